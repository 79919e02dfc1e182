#pragma once

// `edgeplan fit` output: one FitReport rendered as Markdown or as JSON
// (data/schema/fit.schema.json). Renderers only format; every figure comes from the
// estimate module.

#include <edgeplan/core/hardware_profile.hpp>
#include <edgeplan/estimate/fit.hpp>

#include <nlohmann/json.hpp>

#include <string>

namespace edgeplan {

/// Version of the fit JSON document. Bump on any incompatible change.
inline constexpr int fit_schema_version = 1;

/// Request, verdict, memory per device, placement and command line, speed, concurrency,
/// alternatives and a "how computed" line, as Markdown.
std::string render_fit_markdown(const FitReport& report, const HardwareProfile& profile);

/// The same content as JSON: {"schema_version", "kind": "edgeplan.fit", ...}. Unknown
/// figures are null with an "unknown_reason".
nlohmann::json fit_to_json(const FitReport& report, const HardwareProfile& profile);

} // namespace edgeplan
