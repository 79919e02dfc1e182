#pragma once

// `audit --target NAME`: a catalogue preset's profile with command-line overrides applied
// to its JSON before the strict reader sees it, so an override is validated like the data.

#include <edgeplan/core/catalog.hpp>
#include <edgeplan/core/result.hpp>

#include <optional>
#include <string>
#include <vector>

namespace edgeplan::cli {

struct TargetOverrides {
    std::optional<double> memory_gib;     ///< --memory-gb: system memory in GiB (as sold)
    std::vector<std::string> assignments; ///< --set POINTER=VALUE, applied in order
};

/// The target's profile with overrides; overridden fields have source "user". Errors are
/// usage errors (exit 2): unknown target (with a "did you mean" hint in `hint`), a --set
/// whose pointer names no field, or a value the profile reader rejects.
Result<HardwareProfile> target_profile(const Catalog& catalog, const std::string& target_id,
                                       const TargetOverrides& overrides, std::string& hint);

} // namespace edgeplan::cli
