#pragma once

// Wording shared by the fit renderers (Markdown and JSON say the same things).

#include <edgeplan/core/hardware_profile.hpp>
#include <edgeplan/estimate/fit.hpp>

#include <string>

namespace edgeplan::report_detail {

/// "preset desktop-rtx-4090", "profile box.json", "this machine".
std::string hardware_name(const HardwareProfile& profile);

/// One sentence on the placement: where the blocks, experts, embedding and head are.
std::string placement_summary(const FitMemory& memory);

/// The verdict line: "fits", "fits with offload (...)", "does not fit: gpu0 needs ... more".
std::string verdict_line(const FitEvaluation& evaluation);

/// "128 tok/s", "41.3 tok/s", "4.12 tok/s".
std::string format_rate(double tokens_per_s);

/// "7.8 ms", "1.24 s".
std::string format_seconds(double seconds);

/// Where the formulas are documented.
std::string how_computed_text();

} // namespace edgeplan::report_detail
