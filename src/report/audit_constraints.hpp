#pragma once

#include <edgeplan/core/hardware_profile.hpp>

#include <string>
#include <vector>

namespace edgeplan::report_detail {

/// The facts of a profile that limit what can be deployed on it, one sentence each, with
/// the numbers they rest on: memory budget, accelerators, ISA paths, power, heat, disk.
std::vector<std::string> audit_constraints(const HardwareProfile& profile);

} // namespace edgeplan::report_detail
