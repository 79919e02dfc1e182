// GPUs, NPUs and (for XML) a block-device note from hwloc's PCI and OS devices.
// One physical GPU can appear as a PCI device plus several OS devices (cudaN, openclXdY,
// nvmlN, cardN); each view becomes a GpuDevice and gpu_merge.cpp folds them by PCI bus id.

#include "gpu_merge.hpp"
#include "hwloc_detail.hpp"
#include "pci_ids.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>

namespace edgeplan::probe_detail {

namespace {

// Which library or driver produced an OS device. Declaration order is merge order: the
// first view that knows a value wins, so views with memory sizes come first.
enum class Backend { cuda, rsmi, level_zero, vector_engine, opencl, nvml, drm, display, other };

bool starts_with(std::string_view text, std::string_view prefix) {
    return text.rfind(prefix, 0) == 0;
}

Backend backend_from_name(std::string_view name) {
    if (name == "CUDA") {
        return Backend::cuda;
    }
    if (name == "NVML") {
        return Backend::nvml;
    }
    if (name == "OpenCL") {
        return Backend::opencl;
    }
    if (name == "RSMI") {
        return Backend::rsmi;
    }
    if (name == "LevelZero") {
        return Backend::level_zero;
    }
    if (name == "VectorEngine") {
        return Backend::vector_engine;
    }
    if (name == "Display") {
        return Backend::display;
    }
    return Backend::other;
}

// The Backend info is set by every external component; the subtype can be missing
// (nvidiaDGX2.xml: NVML devices of type COPROC with no subtype), and the Linux backend's
// DRM nodes have neither, so the name prefix is the last resort.
Backend backend_of(hwloc_obj_t osdev) {
    if (auto info = obj_info(osdev, "Backend")) {
        if (const Backend b = backend_from_name(*info); b != Backend::other) {
            return b;
        }
    }
    if (osdev->subtype) {
        if (const Backend b = backend_from_name(osdev->subtype); b != Backend::other) {
            return b;
        }
    }
    const std::string_view name = osdev->name ? osdev->name : "";
    const std::pair<std::string_view, Backend> prefixes[] = {
        {"cuda", Backend::cuda}, {"nvml", Backend::nvml},     {"opencl", Backend::opencl},
        {"rsmi", Backend::rsmi}, {"ze", Backend::level_zero}, {"ve", Backend::vector_engine},
        {"card", Backend::drm},  {"renderD", Backend::drm},   {":", Backend::display}};
    for (const auto& [prefix, backend] : prefixes) {
        if (starts_with(name, prefix)) {
            return backend;
        }
    }
    return Backend::other;
}

bool is_gpu_view(hwloc_obj_t osdev) {
    const auto type = osdev->attr->osdev.type;
    if (type != HWLOC_OBJ_OSDEV_GPU && type != HWLOC_OBJ_OSDEV_COPROC) {
        return false;
    }
    // hwloc already skips OpenCL CPU devices; be safe with other exporters.
    return obj_info(osdev, "OpenCLDeviceType").value_or("") != "CPU";
}

bool is_compute_backend(Backend backend) {
    return backend != Backend::drm && backend != Backend::display && backend != Backend::other;
}

std::string normalize_gpu_vendor(const std::string& vendor) {
    // GPUVendor holds the runtime's own spelling ("NVIDIA Corporation", "Advanced Micro
    // Devices, Inc.", "Intel(R) Corporation"); the profile uses short names.
    if (starts_with(vendor, "NVIDIA")) {
        return "NVIDIA";
    }
    if (starts_with(vendor, "Advanced Micro Devices") || starts_with(vendor, "AMD")) {
        return "AMD";
    }
    if (starts_with(vendor, "Intel")) {
        return "Intel";
    }
    return trim(vendor);
}

// Device memory in the first size info the view has, with whether it is the device's own
// memory (CUDA, ROCm SMI, NEC VE, Level Zero HBM/DDR) rather than OpenCL's global memory,
// which on an integrated GPU is shared system RAM.
std::optional<std::uint64_t> view_memory(hwloc_obj_t osdev, bool& own_memory) {
    own_memory = true;
    for (const char* key : {"CUDAGlobalMemorySize", "RSMIVRAMSize", "VectorEngineMemorySize"}) {
        if (auto text = obj_info(osdev, key)) {
            return parse_kib_size(*text);
        }
    }
    const auto hbm = parse_kib_size(obj_info(osdev, "LevelZeroHBMSize").value_or(""));
    const auto ddr = parse_kib_size(obj_info(osdev, "LevelZeroDDRSize").value_or(""));
    if (hbm || ddr) {
        return hbm.value_or(0) + ddr.value_or(0);
    }
    own_memory = false;
    for (const char* key : {"LevelZeroMemorySize", "OpenCLGlobalMemorySize"}) {
        if (auto text = obj_info(osdev, key)) {
            return parse_kib_size(*text);
        }
    }
    return std::nullopt;
}

std::optional<std::string> api_for(Backend backend) {
    switch (backend) {
    case Backend::cuda:
    case Backend::nvml:
        return "cuda";
    case Backend::opencl:
        return "opencl";
    case Backend::rsmi:
        return "rocm";
    case Backend::level_zero:
        return "level_zero";
    default:
        return std::nullopt;
    }
}

GpuDevice make_view(hwloc_obj_t osdev, Backend backend, hwloc_obj_t pci, Source source) {
    GpuDevice view;
    view.id = osdev->name ? osdev->name : "";
    view.os_views.push_back(view.id);
    if (pci) {
        view.pci_bus_id = pci_bus_id_of(pci);
    }
    if (auto vendor = obj_info(osdev, "GPUVendor")) {
        view.vendor.set(normalize_gpu_vendor(*vendor), source);
    }
    if (auto model = obj_info(osdev, "GPUModel")) {
        view.model.set(trim(*model), source);
    }
    bool own_memory = false;
    if (auto memory = view_memory(osdev, own_memory)) {
        view.memory_total_bytes.set(*memory, source);
        if (own_memory && pci) {
            view.memory_kind.set("discrete", source);
        }
    }
    if (auto api = api_for(backend)) {
        view.apis.push_back(*api);
        view.apis_source = source;
    }
    return view;
}

bool valid_vendor(std::uint16_t vendor_id) {
    return vendor_id != 0 && vendor_id != 0xffff; // 0000 in the POWER9 dump: ids unreadable
}

GpuDevice make_pci_record(hwloc_obj_t pci, Source source) {
    const auto& a = pci->attr->pcidev;
    GpuDevice record;
    record.pci_bus_id = pci_bus_id_of(pci);
    if (valid_vendor(a.vendor_id)) {
        record.pci_id = format_pci_id(a.vendor_id, a.device_id);
        if (auto vendor = pci_vendor_name(a.vendor_id)) {
            record.vendor.set(*vendor, source);
        }
        if (auto model = obj_info(pci, "PCIDevice")) {
            record.model.set(*model, source);
        } else if (auto name = pci_device_name(a.vendor_id, a.device_id)) {
            record.model.set(*name, Source::inferred);
        }
    }
    return record;
}

std::string describe_pci(hwloc_obj_t pci) {
    const auto& a = pci->attr->pcidev;
    auto name = obj_info(pci, "PCIDevice");
    if (!name) {
        name = pci_device_name(a.vendor_id, a.device_id);
    }
    return fmt::format("{} [{}]{}", pci_bus_id_of(pci), format_pci_id(a.vendor_id, a.device_id),
                       name ? " " + *name : "");
}

// 0b40 co-processors include crypto/compression offload (Intel QuickAssist); only the
// compute cards are kept: NEC SX-Aurora and Intel Xeon Phi (MIC, device ids 0x2250-0x225e
// per the Linux mic driver), and GPU vendors.
bool is_compute_coprocessor(std::uint16_t vendor_id, std::uint16_t device_id) {
    return vendor_id == 0x1bcf || vendor_id == 0x10de || vendor_id == 0x1002 ||
           (vendor_id == 0x8086 && device_id >= 0x2250 && device_id <= 0x225e);
}

// Server boards' BMC display adapters (ASPEED, Matrox G200): a console, not an accelerator.
bool is_bmc_display(std::uint16_t vendor_id) {
    return vendor_id == 0x1a03 || vendor_id == 0x102b;
}

// An OpenCL view without PCI locality is, in practice, the iGPU whose DRM/Level Zero views
// are on PCI. When exactly one PCI GPU has the view's vendor and no OpenCL view yet, they are
// taken to be the same device; otherwise the view stays a separate entry.
void attach_to_sole_pci_gpu(const std::vector<GpuDevice>& gpus, GpuDevice& view) {
    if (!view.vendor.known()) {
        return;
    }
    const GpuDevice* match = nullptr;
    for (const auto& gpu : gpus) {
        const bool has_opencl =
            std::find(gpu.apis.begin(), gpu.apis.end(), "opencl") != gpu.apis.end();
        if (gpu.pci_bus_id && gpu.vendor.value == view.vendor.value && !has_opencl) {
            if (match) {
                return; // ambiguous
            }
            match = &gpu;
        }
    }
    if (match) {
        view.pci_bus_id = match->pci_bus_id;
        view.memory_kind = {}; // OpenCL global memory says nothing about the device's own
    }
}

} // namespace

std::string pci_bus_id_of(hwloc_obj_t pci) {
    const auto& a = pci->attr->pcidev;
    const auto text = fmt::format("{:04x}:{:02x}:{:02x}.{:x}", a.domain, a.bus, a.dev, a.func);
    return normalize_pci_bus_id(text).value_or(text);
}

void read_io_devices(hwloc_topology_t topology, TopologyOrigin origin, HardwareProfile& profile) {
    const Source source = source_for(origin);
    std::vector<GpuDevice> gpus;
    hwloc_obj_t pci = nullptr;
    while ((pci = hwloc_get_next_pcidev(topology, pci)) != nullptr) {
        const auto& a = pci->attr->pcidev;
        std::vector<std::pair<Backend, hwloc_obj_t>> views;
        for (hwloc_obj_t child = pci->io_first_child; child; child = child->next_sibling) {
            if (child->type == HWLOC_OBJ_OS_DEVICE && is_gpu_view(child)) {
                views.emplace_back(backend_of(child), child);
            }
        }
        const bool has_compute_view = std::any_of(
            views.begin(), views.end(), [](const auto& v) { return is_compute_backend(v.first); });
        const unsigned base = a.class_id >> 8;
        bool is_gpu = has_compute_view || (base == 0x03 && !is_bmc_display(a.vendor_id)) ||
                      (a.class_id == 0x0b40 && is_compute_coprocessor(a.vendor_id, a.device_id));
        if (!is_gpu) {
            if (base == 0x03 || a.class_id == 0x0b40) {
                add_diagnostic(profile, "info", "gpus",
                               fmt::format("ignored {} {}: not a compute accelerator",
                                           base == 0x03 ? "display controller" : "co-processor",
                                           describe_pci(pci)));
            }
            continue; // NPUs (class 12xx) are read below
        }
        std::stable_sort(views.begin(), views.end(),
                         [](const auto& x, const auto& y) { return x.first < y.first; });
        for (const auto& [backend, osdev] : views) {
            merge_gpu(gpus, make_view(osdev, backend, pci, source));
        }
        merge_gpu(gpus, make_pci_record(pci, source));
    }
    // Views with no PCI parent: OpenCL devices without PCI locality (Intel iGPUs via
    // intel-opencl-icd), the gl plugin's displays.
    hwloc_obj_t osdev = nullptr;
    while ((osdev = hwloc_get_next_osdev(topology, osdev)) != nullptr) {
        const bool on_pci = osdev->parent && osdev->parent->type == HWLOC_OBJ_PCI_DEVICE;
        if (!on_pci && is_gpu_view(osdev)) {
            GpuDevice view = make_view(osdev, backend_of(osdev), nullptr, source);
            attach_to_sole_pci_gpu(gpus, view);
            merge_gpu(gpus, view);
        }
    }
    // GPU memory exposed as NUMA nodes (POWER9/Grace with NVLink-C2C), tied by PCIBusID.
    hwloc_obj_t node = nullptr;
    while ((node = hwloc_get_next_obj_by_type(topology, HWLOC_OBJ_NUMANODE, node)) != nullptr) {
        const auto bus = normalize_pci_bus_id(obj_info(node, "PCIBusID").value_or(""));
        if (!bus || !node->subtype || std::string_view(node->subtype) != "GPUMemory" ||
            node->attr->numanode.local_memory == 0) {
            continue;
        }
        for (auto& gpu : gpus) {
            if (gpu.pci_bus_id == bus) {
                gpu.memory_total_bytes.fill(node->attr->numanode.local_memory, source);
                gpu.memory_kind.fill("discrete", source);
            }
        }
    }
    finalize_gpu_ids(gpus);
    const auto without_memory = std::count_if(
        gpus.begin(), gpus.end(), [](const GpuDevice& g) { return !g.memory_total_bytes.known(); });
    if (without_memory > 0) {
        add_diagnostic(profile, "info", "gpus",
                       fmt::format("{} of {} GPUs have no memory size in the topology (PCI, NVML "
                                   "and DRM views carry none)",
                                   without_memory, gpus.size()));
    }
    profile.gpus = std::move(gpus);
    // A topology exported without I/O objects says nothing about GPUs: "none found"
    // would be a claim the file cannot support.
    if (hwloc_get_next_pcidev(topology, nullptr) == nullptr &&
        hwloc_get_next_osdev(topology, nullptr) == nullptr) {
        add_diagnostic(profile, "info", "gpus",
                       "the topology has no PCI or OS devices (exported without I/O), so GPUs "
                       "and NPUs are unknown");
        return;
    }
    profile.gpus_source = source;
    read_npus(topology, source, profile);
    if (origin == TopologyOrigin::xml) {
        note_block_devices(topology, profile);
    }
}

} // namespace edgeplan::probe_detail
