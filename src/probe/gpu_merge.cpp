#include "gpu_merge.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace edgeplan::probe_detail {

namespace {

bool parse_hex(std::string_view text, unsigned& out) {
    if (text.empty()) {
        return false;
    }
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out, 16);
    return ec == std::errc() && ptr == text.data() + text.size();
}

template <typename T> void fill(Sourced<T>& into, const Sourced<T>& from) {
    if (!into.known() && from.known()) {
        into = from;
    }
}

void union_into(std::vector<std::string>& into, const std::vector<std::string>& from) {
    for (const auto& item : from) {
        if (std::find(into.begin(), into.end(), item) == into.end()) {
            into.push_back(item);
        }
    }
}

void merge_into(GpuDevice& into, const GpuDevice& from) {
    fill(into.vendor, from.vendor);
    fill(into.model, from.model);
    if (!into.pci_id) {
        into.pci_id = from.pci_id;
    }
    fill(into.memory_total_bytes, from.memory_total_bytes);
    fill(into.memory_free_bytes, from.memory_free_bytes);
    fill(into.memory_kind, from.memory_kind);
    fill(into.shared_memory_bytes, from.shared_memory_bytes);
    fill(into.working_set_limit_bytes, from.working_set_limit_bytes);
    if (into.apis_source == Source::unknown) {
        into.apis_source = from.apis_source;
    }
    union_into(into.apis, from.apis);
    fill(into.compute_capability, from.compute_capability);
    fill(into.memory_bandwidth_gbps, from.memory_bandwidth_gbps);
    fill(into.fp16_tflops, from.fp16_tflops);
    fill(into.driver, from.driver);
    union_into(into.os_views, from.os_views);
}

} // namespace

std::optional<std::string> normalize_pci_bus_id(const std::string& text) {
    // Accepted: [domain:]bus:device.function, domain of up to 8 hex digits (NVML pads to 8).
    std::string_view rest = text;
    unsigned domain = 0;
    unsigned bus = 0;
    unsigned device = 0;
    unsigned function = 0;
    const auto colons = std::count(rest.begin(), rest.end(), ':');
    if (colons == 2) {
        const auto first = rest.find(':');
        if (first > 8 || !parse_hex(rest.substr(0, first), domain)) {
            return std::nullopt;
        }
        rest.remove_prefix(first + 1);
    } else if (colons != 1) {
        return std::nullopt;
    }
    const auto colon = rest.find(':');
    const auto dot = rest.find('.');
    if (dot == std::string_view::npos || dot < colon ||
        !parse_hex(rest.substr(0, colon), bus) ||
        !parse_hex(rest.substr(colon + 1, dot - colon - 1), device) ||
        !parse_hex(rest.substr(dot + 1), function) || domain > 0xffff || bus > 0xff ||
        device > 0x1f || function > 0x7) {
        return std::nullopt;
    }
    return fmt::format("{:04x}:{:02x}:{:02x}.{:x}", domain, bus, device, function);
}

std::string format_pci_id(std::uint16_t vendor_id, std::uint16_t device_id) {
    return fmt::format("{:04x}:{:04x}", vendor_id, device_id);
}

std::optional<std::string> pci_vendor_name(std::uint16_t vendor_id) {
    // PCI-SIG vendor ids, as listed in pci.ids.
    switch (vendor_id) {
    case 0x10de: return "NVIDIA";
    case 0x1002:
    case 0x1022: return "AMD";
    case 0x8086: return "Intel";
    case 0x106b: return "Apple";
    case 0x17cb:
    case 0x5143: return "Qualcomm";
    case 0x1bcf: return "NEC";
    case 0x1a03: return "ASPEED";
    case 0x1af4: return "Red Hat (virtio)";
    case 0x1234: return "QEMU";
    case 0x15ad: return "VMware";
    case 0x1414: return "Microsoft";
    case 0x1d0f: return "Amazon";
    case 0x1e52: return "Tenstorrent";
    case 0x1da3: return "Habana Labs";
    case 0x1ae0: return "Google";
    case 0x102b: return "Matrox";
    case 0x1cb8: return "Moore Threads";
    default: return std::nullopt;
    }
}

void merge_gpu(std::vector<GpuDevice>& gpus, const GpuDevice& incoming) {
    for (auto& gpu : gpus) {
        const bool same_bus = gpu.pci_bus_id && incoming.pci_bus_id &&
                              *gpu.pci_bus_id == *incoming.pci_bus_id;
        const bool same_id = !gpu.pci_bus_id && !incoming.pci_bus_id && !incoming.id.empty() &&
                             gpu.id == incoming.id;
        if (same_bus || same_id) {
            merge_into(gpu, incoming);
            return;
        }
    }
    gpus.push_back(incoming);
}

void finalize_gpu_ids(std::vector<GpuDevice>& gpus) {
    std::stable_sort(gpus.begin(), gpus.end(), [](const GpuDevice& a, const GpuDevice& b) {
        if (a.pci_bus_id.has_value() != b.pci_bus_id.has_value()) {
            return a.pci_bus_id.has_value();
        }
        return a.pci_bus_id.value_or("") < b.pci_bus_id.value_or("");
    });
    for (std::size_t i = 0; i < gpus.size(); ++i) {
        gpus[i].id = "gpu" + std::to_string(i);
        std::sort(gpus[i].os_views.begin(), gpus[i].os_views.end());
    }
}

} // namespace edgeplan::probe_detail
