#pragma once

// ISA features for a CPU described only by its identity (an hwloc XML carries no feature
// flags). Pure functions over tables; the live path reads /proc/cpuinfo instead.

#include <edgeplan/core/hardware_profile.hpp>

#include <optional>
#include <string>
#include <vector>

namespace edgeplan::probe_detail {

/// The CPU identity infos hwloc records (Package, else Machine/root objects).
struct CpuIdentity {
    std::string architecture;        ///< root "Architecture": "x86_64", "aarch64"...; "" unknown
    std::string vendor_id;           ///< x86 CPUVendor: "GenuineIntel", "AuthenticAMD"...
    std::optional<int> family;       ///< x86 CPUFamilyNumber (decimal in hwloc)
    std::optional<int> model_number; ///< x86 CPUModelNumber
    std::optional<int> stepping;     ///< x86 CPUStepping
    std::string model_name;          ///< CPUModel, trimmed; "" when absent
    std::optional<unsigned> arm_implementer; ///< ARM MIDR implementer (CPUImplementer)
    std::vector<unsigned> arm_parts;         ///< ARM MIDR part numbers (CPUPart), no duplicates
};

/// Short vendor name for an x86 CPUVendor string ("Intel" for "GenuineIntel"); nullopt if
/// unknown.
std::optional<std::string> x86_vendor_name(const std::string& vendor_id);

/// Short name of an ARM MIDR implementer ("ARM" for 0x41); nullopt if unknown.
std::optional<std::string> arm_implementer_name(unsigned implementer);

/// Core name of an ARM MIDR implementer/part pair ("Cortex-X925" for 0x41/0xd85); nullopt
/// if not in the table.
std::optional<std::string> arm_part_name(unsigned implementer, unsigned part);

/// Parses "0x41"/"0xd85" (hex with 0x) or decimal; nullopt for anything else.
std::optional<unsigned> parse_midr_field(const std::string& text);

/// Features inferred from the identity, every key of isa_feature_names_for(architecture)
/// present: true/false where a table says so, nullopt where it cannot tell. `source` is
/// Source::inferred when at least one feature is known, else Source::unknown (and the map
/// stays empty).
IsaFeatures infer_isa(const CpuIdentity& identity);

} // namespace edgeplan::probe_detail
