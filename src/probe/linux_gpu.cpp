#include "linux_probe.hpp"

#include "gpu_merge.hpp"
#include "pci_ids.hpp"

namespace edgeplan::probe_detail {

namespace {

// An amdgpu device whose dedicated VRAM is below this is an APU's BIOS carve-out (typically
// 512 MiB-2 GiB on Ryzen APUs); its real working memory is system RAM mapped through GTT.
constexpr std::uint64_t apu_vram_carve_out_limit = std::uint64_t{2} << 30;

/// "card0", "card1"...: DRM device nodes. Connectors ("card0-DP-1") and render nodes
/// ("renderD128") name the same hardware again.
bool is_card_node(const std::string& name) {
    if (name.size() <= 4 || name.compare(0, 4, "card") != 0) {
        return false;
    }
    return name.find_first_not_of("0123456789", 4) == std::string::npos;
}

bool is_intel_integrated(const std::optional<std::string>& bus_id) {
    // Intel's integrated graphics device is always PCI 00:02.0 on the root bus (the IGD
    // location in Intel's chipset datasheets); Arc discrete cards sit behind a bridge.
    return bus_id && bus_id->size() >= 12 && bus_id->substr(5) == "00:02.0";
}

void read_amdgpu_memory(const SysRoot& root, const std::string& device, GpuDevice& gpu) {
    // amdgpu sysfs memory attributes, in bytes (Documentation/gpu/amdgpu/driver-misc.rst).
    const auto vram = root.read_unsigned(device + "/mem_info_vram_total");
    const auto used = root.read_unsigned(device + "/mem_info_vram_used");
    const auto gtt = root.read_unsigned(device + "/mem_info_gtt_total");
    if (vram) {
        gpu.memory_total_bytes.set(*vram, Source::sysfs);
        if (used && *used <= *vram) {
            gpu.memory_free_bytes.set(*vram - *used, Source::sysfs);
        }
    }
    if (gtt) {
        gpu.shared_memory_bytes.set(*gtt, Source::sysfs);
    }
    if (vram && gtt && *vram < apu_vram_carve_out_limit) {
        gpu.memory_kind.set("unified", Source::inferred);
    } else if (vram) {
        gpu.memory_kind.set("discrete", Source::inferred);
    }
}

std::optional<GpuDevice> read_card(const SysRoot& root, const std::string& card) {
    const std::string device = "/sys/class/drm/" + card + "/device";
    const auto vendor_id = root.read_unsigned(device + "/vendor");
    const auto device_id = root.read_unsigned(device + "/device");
    if (!vendor_id || !device_id || *vendor_id > 0xffff || *device_id > 0xffff) {
        // Not a PCI device (an ARM SoC's display controller): no GPU we can plan for.
        return std::nullopt;
    }
    GpuDevice gpu;
    gpu.id = card;
    const auto vendor = static_cast<std::uint16_t>(*vendor_id);
    const auto product = static_cast<std::uint16_t>(*device_id);
    gpu.pci_id = format_pci_id(vendor, product);
    if (auto bus = root.link_basename(device)) {
        gpu.pci_bus_id = normalize_pci_bus_id(*bus);
    }
    if (auto name = pci_vendor_name(vendor)) {
        gpu.vendor.set(*name, Source::sysfs);
    }
    // pci.ids is a table lookup, not the device's own answer.
    if (auto name = pci_device_name(vendor, product, root.resolve("/usr/share/misc/pci.ids"))) {
        gpu.model.set(*name, Source::inferred);
    }
    const auto driver = root.link_basename(device + "/driver");
    if (driver) {
        gpu.driver.set(*driver, Source::sysfs);
        if (*driver == "amdgpu") {
            read_amdgpu_memory(root, device, gpu);
        } else if (*driver == "i915" || *driver == "xe") {
            const bool integrated = is_intel_integrated(gpu.pci_bus_id);
            gpu.memory_kind.set(integrated ? "unified" : "discrete", Source::inferred);
        } else if (*driver == "nvidia") {
            // Memory comes from NVML; the nvidia driver exposes none in sysfs.
        }
        gpu.apis = detect_gpu_apis(root, *driver);
        gpu.apis_source = Source::sysfs;
    }
    gpu.os_views.push_back(card);
    return gpu;
}

} // namespace

GpuScan read_drm_gpus(const SysRoot& root) {
    GpuScan scan;
    // sysfs mounted but no drm class means no DRM driver bound: checked, none found.
    scan.checked = root.is_directory("/sys/class");
    const auto cards = root.list_dir("/sys/class/drm");
    if (!cards) {
        return scan;
    }
    for (const auto& card : *cards) {
        if (!is_card_node(card)) {
            continue;
        }
        if (auto gpu = read_card(root, card)) {
            merge_gpu(scan.gpus, *gpu);
        }
    }
    return scan;
}

} // namespace edgeplan::probe_detail
