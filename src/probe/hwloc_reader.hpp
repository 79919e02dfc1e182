#pragma once

// The only code that includes <hwloc.h>. Reads an hwloc topology (live or from XML) into
// a HardwareProfile.

#include "isa_inference.hpp"

#include <edgeplan/core/hardware_profile.hpp>
#include <edgeplan/core/result.hpp>

#include <filesystem>
#include <string>

namespace edgeplan::probe_detail {

/// Live discovery on this machine. Fills system (os/kernel/architecture from hwloc's root
/// infos), cpu (vendor, model, packages, cores, threads, kinds, caches, NUMA split) and the
/// GPU/NPU lists from PCI and OS devices, every field credited to Source::hwloc. It does
/// NOT set memory.total_bytes: the OS is the authority for totals (hwloc undercounts on
/// some VMs); the NUMA split is in cpu.numa_nodes. Error: ExitCode::probe_failed.
Status read_hwloc_live(HardwareProfile& profile);

/// Same from an XML file, credited to Source::xml, and additionally memory.total_bytes as
/// the sum of the non-GPU NUMA nodes (an XML is the only source there is). Errors:
/// ExitCode::bad_input for missing, unreadable, empty, malformed or v3-format files.
Status read_hwloc_xml(const std::filesystem::path& path, HardwareProfile& profile);

/// Same, also returning the raw CPU identity infos (vendor string, family/model numbers,
/// ARM MIDR fields) that infer_isa needs and the profile does not keep.
Status read_hwloc_xml(const std::filesystem::path& path, HardwareProfile& profile,
                      CpuIdentity& identity);

} // namespace edgeplan::probe_detail
