#pragma once

// One physical GPU is seen through several views (hwloc PCI device, CUDA/OpenCL/NVML/RSMI
// OS devices, DRM card nodes, NVML on a live machine). This merges them into one entry
// per PCI bus id so the audit lists each device exactly once.

#include <edgeplan/core/hardware_profile.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace edgeplan::probe_detail {

/// "0000:01:00.0" in lower case with a 4-digit domain, from any of the spellings hwloc,
/// sysfs and NVML use ("00000000:01:00.0", "0000:01:00.0", "01:00.0"). nullopt if invalid.
std::optional<std::string> normalize_pci_bus_id(const std::string& text);

/// "10de:2684" from numeric ids.
std::string format_pci_id(std::uint16_t vendor_id, std::uint16_t device_id);

/// Short vendor name for a PCI vendor id ("NVIDIA", "AMD", "Intel"...), nullopt if unknown.
std::optional<std::string> pci_vendor_name(std::uint16_t vendor_id);

/// Adds `incoming` to `gpus`: if an entry with the same PCI bus id exists, fills its unknown
/// fields from `incoming` (known values are kept: the first, more trusted, source wins) and
/// unions the API and OS-view lists; otherwise appends it. Entries without a bus id are
/// merged by id when the ids match, else appended.
void merge_gpu(std::vector<GpuDevice>& gpus, const GpuDevice& incoming);

/// Sorts by PCI bus id (devices without one last) and renumbers ids gpu0, gpu1...
void finalize_gpu_ids(std::vector<GpuDevice>& gpus);

} // namespace edgeplan::probe_detail
