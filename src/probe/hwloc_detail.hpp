#pragma once

// Private to the hwloc layer (hwloc_reader.cpp, hwloc_cpu.cpp, hwloc_kinds.cpp, hwloc_io.cpp).
// The only header besides hwloc_reader.cpp's siblings that includes <hwloc.h>.

#include "isa_inference.hpp"

#include <edgeplan/core/hardware_profile.hpp>

#include <hwloc.h>

#include <cstdint>
#include <optional>
#include <string>

namespace edgeplan::probe_detail {

/// Whether the topology was discovered on this machine or loaded from a file. Decides the
/// Source credited to every value and which XML-only fields are filled.
enum class TopologyOrigin { live, xml };

/// Source::hwloc for a live topology, Source::xml for a file.
Source source_for(TopologyOrigin origin);

/// The value of info `name` on `obj`, nullopt when absent or empty.
std::optional<std::string> obj_info(hwloc_obj_t obj, const char* name);

/// `text` without leading and trailing white space (AMD brand strings are space-padded).
std::string trim(const std::string& text);

/// Parses an hwloc size info: a KiB count ("16671616", as hwloc 2.x writes it) with an
/// optional unit suffix ("16671616KiB", "16GiB", as hwloc-3 v2 exports write it).
/// Returns bytes; nullopt for garbage and for 0 (hwloc writes 0 when it does not know).
std::optional<std::uint64_t> parse_kib_size(const std::string& text);

/// Appends a Diagnostic to `profile`.
void add_diagnostic(HardwareProfile& profile, const char* severity, std::string where,
                    std::string message);

/// system.os / kernel / architecture from the root object's infos.
void read_system(hwloc_topology_t topology, TopologyOrigin origin, HardwareProfile& profile);

/// cpu.vendor, model, packages, cores, threads, caches and NUMA nodes. Returns the raw CPU
/// identity infos for ISA inference (hwloc_cpu.cpp).
CpuIdentity read_cpu(hwloc_topology_t topology, TopologyOrigin origin, HardwareProfile& profile);

/// cpu.kinds from hwloc cpukinds, and cpu.frequency_max_mhz (hwloc_kinds.cpp). Adds ARM
/// CPUPart values found on kinds to `identity`.
void read_cpu_kinds(hwloc_topology_t topology, TopologyOrigin origin, HardwareProfile& profile,
                    CpuIdentity& identity);

/// cpu.model from the ARM MIDR part names when the topology has no CPUModel (Kunpeng, GB10),
/// credited as inferred. Call after read_cpu_kinds, which adds the parts found on kinds.
void derive_arm_model(const CpuIdentity& identity, CpuInfo& cpu);

/// memory.total_bytes as the sum of the non-GPU NUMA nodes (XML only).
void read_memory_total(hwloc_topology_t topology, HardwareProfile& profile);

/// "0000:01:00.0" for an hwloc PCI device object.
std::string pci_bus_id_of(hwloc_obj_t pci);

/// npus from PCI class 12xx (processing accelerator) devices not already listed as GPUs
/// (hwloc_npu.cpp). Sets npus_source.
void read_npus(hwloc_topology_t topology, Source source, HardwareProfile& profile);

/// An info Diagnostic listing the topology's block devices: storage describes the machine
/// edgeplan runs on, so another machine's disks are only noted (hwloc_npu.cpp).
void note_block_devices(hwloc_topology_t topology, HardwareProfile& profile);

/// gpus and npus from PCI and OS devices; for XML also a storage diagnostic (hwloc_io.cpp).
void read_io_devices(hwloc_topology_t topology, TopologyOrigin origin, HardwareProfile& profile);

} // namespace edgeplan::probe_detail
