#pragma once

// Device names from the pci.ids database (Debian package pci.ids,
// /usr/share/misc/pci.ids), for GPUs found through sysfs where hwloc gave no name.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace edgeplan::probe_detail {

/// The device name for vendor:device, e.g. "AD102 [GeForce RTX 4090]"; nullopt if the
/// file is missing or has no such entry. Reads the file lazily, once per call.
std::optional<std::string> pci_device_name(std::uint16_t vendor_id, std::uint16_t device_id,
                                           const std::filesystem::path& ids_file =
                                               "/usr/share/misc/pci.ids");

} // namespace edgeplan::probe_detail
