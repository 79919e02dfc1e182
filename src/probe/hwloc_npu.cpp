// NPUs (PCI processing accelerators) and the block-device note from an hwloc topology.

#include "gpu_merge.hpp"
#include "hwloc_detail.hpp"
#include "pci_ids.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>

namespace edgeplan::probe_detail {

namespace {

// Client NPUs newer than Debian bookworm's pci.ids (2023). Ids from the Linux drivers:
// drivers/accel/ivpu/ivpu_drv.h (PCI_DEVICE_ID_MTL 0x7d1d, ARL 0xad1d, LNL 0x643e) and
// drivers/accel/amdxdna/amdxdna_pci_drv.c (0x1502 Phoenix/Hawk Point, 0x17f0 Strix).
std::optional<std::string> known_npu_name(std::uint16_t vendor_id, std::uint16_t device_id) {
    if (vendor_id == 0x8086) {
        switch (device_id) {
        case 0x7d1d:
            return "Meteor Lake NPU";
        case 0xad1d:
            return "Arrow Lake NPU";
        case 0x643e:
            return "Lunar Lake NPU";
        default:
            return std::nullopt;
        }
    }
    if (vendor_id == 0x1022) {
        switch (device_id) {
        case 0x1502:
            return "XDNA NPU (Ryzen AI, Phoenix/Hawk Point)";
        case 0x17f0:
            return "XDNA 2 NPU (Ryzen AI, Strix)";
        default:
            return std::nullopt;
        }
    }
    return std::nullopt;
}

std::string describe_size(const std::optional<std::uint64_t>& bytes) {
    if (!bytes) {
        return "size unknown";
    }
    return fmt::format("{:.1f} GiB", static_cast<double>(*bytes) / (1024.0 * 1024.0 * 1024.0));
}

} // namespace

void read_npus(hwloc_topology_t topology, Source source, HardwareProfile& profile) {
    hwloc_obj_t pci = nullptr;
    while ((pci = hwloc_get_next_pcidev(topology, pci)) != nullptr) {
        const auto& a = pci->attr->pcidev;
        if ((a.class_id >> 8) != 0x12) {
            continue;
        }
        const std::string bus = pci_bus_id_of(pci);
        // A 12xx device with a CUDA/ROCm/Level Zero view was already listed as a GPU.
        if (std::any_of(profile.gpus.begin(), profile.gpus.end(),
                        [&](const GpuDevice& gpu) { return gpu.pci_bus_id == bus; })) {
            continue;
        }
        NpuDevice npu;
        npu.id = fmt::format("npu{}", profile.npus.size());
        npu.pci_bus_id = bus;
        npu.pci_id = format_pci_id(a.vendor_id, a.device_id);
        if (auto vendor = pci_vendor_name(a.vendor_id)) {
            npu.vendor.set(*vendor, source);
        }
        if (auto model = obj_info(pci, "PCIDevice")) {
            npu.model.set(*model, source);
        } else if (auto known = known_npu_name(a.vendor_id, a.device_id)) {
            npu.model.set(*known, Source::inferred);
        } else if (auto name = pci_device_name(a.vendor_id, a.device_id)) {
            npu.model.set(*name, Source::inferred);
        }
        profile.npus.push_back(std::move(npu));
    }
    profile.npus_source = source;
}

void note_block_devices(hwloc_topology_t topology, HardwareProfile& profile) {
    std::vector<std::string> entries;
    hwloc_obj_t osdev = nullptr;
    while ((osdev = hwloc_get_next_osdev(topology, osdev)) != nullptr) {
        if (osdev->attr->osdev.type != HWLOC_OBJ_OSDEV_BLOCK || !osdev->name) {
            continue;
        }
        const std::string_view name = osdev->name;
        // hwloc has no rotational flag: only NVMe is recognisable by name (notes: hwloc.md 2.6).
        const std::string kind =
            name.rfind("nvme", 0) == 0 ? "NVMe" : (osdev->subtype ? osdev->subtype : "block");
        const auto size = parse_kib_size(obj_info(osdev, "Size").value_or(""));
        entries.push_back(fmt::format("{} ({}, {})", name, kind, describe_size(size)));
    }
    if (entries.empty()) {
        return;
    }
    add_diagnostic(profile, "info", "storage",
                   fmt::format("the topology lists block devices {}; storage describes the "
                               "models directory on the machine edgeplan runs on, so it stays "
                               "unknown",
                               fmt::join(entries, ", ")));
}

} // namespace edgeplan::probe_detail
