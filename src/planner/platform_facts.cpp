// The hardware facts the rules read (E1 platform and ISA, W1 power and thermal), once per
// plan, from the profile alone.
#include "section_text.hpp"
#include "select_internal.hpp"

#include <edgeplan/estimate/memory.hpp>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <cmath>

namespace edgeplan::planner_detail {

namespace {

bool isa(const HardwareProfile& profile, const char* name) {
    const auto it = profile.cpu.isa.features.find(name);
    return it != profile.cpu.isa.features.end() && it->second.value_or(false);
}

std::string isa_path(const HardwareProfile& profile) {
    if (isa(profile, "avx512f")) {
        return isa(profile, "avx512_vnni") ? "AVX-512 + VNNI" : "AVX-512";
    }
    if (isa(profile, "avx2")) {
        return isa(profile, "avx_vnni") ? "AVX2 + AVX-VNNI" : "AVX2";
    }
    if (isa(profile, "neon")) {
        std::string path = "NEON";
        if (isa(profile, "dotprod")) {
            path += "+dotprod";
        }
        if (isa(profile, "i8mm")) {
            path += "+i8mm";
        }
        return path;
    }
    if (profile.cpu.isa.features.empty()) {
        return "unknown (the profile records no ISA features)";
    }
    return "scalar/SSE (no AVX2 or NEON found: slow)";
}

std::string os_name(DevicePlatform p, PlatformKind kind) {
    switch (p) {
    case DevicePlatform::os_linux:
        return "linux";
    case DevicePlatform::os_macos:
        return "macos";
    case DevicePlatform::os_windows:
        return "windows";
    case DevicePlatform::os_android:
        return "android";
    case DevicePlatform::os_ios:
        return "ios";
    case DevicePlatform::unknown:
        break;
    }
    return kind == PlatformKind::apple_silicon ? "macos" : "linux";
}

bool has_api(const GpuDevice& gpu, const char* api) {
    return std::find(gpu.apis.begin(), gpu.apis.end(), api) != gpu.apis.end();
}

/// Degrees from a trip point under which a zone counts as hot (W1).
constexpr double hot_margin_c = 10.0;

} // namespace

PlatformFacts platform_facts(const PlanRequest& request, const HardwareProfile& profile,
                             const Catalog& catalog) {
    PlatformFacts f;
    const std::vector<MemoryDevice> devices = memory_devices(profile, BudgetRules{});
    auto budgeted = [&](const std::string& id) {
        return std::any_of(devices.begin(), devices.end(), [&](const MemoryDevice& d) {
            return d.kind == MemoryDeviceKind::gpu && d.id == id;
        });
    };
    const GpuDevice* first = nullptr;
    for (const auto& gpu : profile.gpus) {
        if (!budgeted(gpu.id)) {
            f.gpus_unknown_vram.push_back(gpu.id);
            continue;
        }
        if (first == nullptr) {
            first = &gpu;
        }
        if (gpu.memory_kind.value == std::optional<std::string>("unified")) {
            f.unified_memory = true;
        }
        const bool discrete = gpu.memory_kind.value == std::optional<std::string>("discrete");
        if (discrete && (has_api(gpu, "cuda") || has_api(gpu, "rocm"))) {
            f.vllm_gpu = true;
        }
        if (has_api(gpu, "cuda") && gpu.compute_capability.value && !f.cuda_compute_capability) {
            const std::string& text = *gpu.compute_capability.value;
            char* end = nullptr;
            const double cc = std::strtod(text.c_str(), &end);
            if (end != text.c_str() && cc > 0) { // "8.9"; other text leaves it unknown
                f.cuda_compute_capability = cc;
            }
        }
    }
    const std::string vendor = first != nullptr ? first->vendor.value.value_or("") : "";
    if (first == nullptr) {
        f.kind = PlatformKind::cpu_only;
        f.backend = "cpu";
    } else if (vendor == "Apple") {
        f.kind = PlatformKind::apple_silicon;
        f.backend = "metal";
    } else if (vendor == "NVIDIA" || has_api(*first, "cuda")) {
        f.kind = PlatformKind::nvidia;
        f.backend = "cuda";
    } else if (vendor == "AMD") {
        f.kind = PlatformKind::amd_gpu;
        f.backend = has_api(*first, "rocm") ? "rocm" : "vulkan";
    } else {
        f.kind = PlatformKind::other_gpu;
        f.backend = has_api(*first, "sycl") ? "sycl" : "vulkan";
    }
    f.os = os_name(device_platform(profile, catalog), f.kind);

    std::uint64_t ram = profile.memory.total_bytes.value.value_or(0);
    if (profile.memory.cgroup_limit_bytes.value) {
        ram = std::min(ram, *profile.memory.cgroup_limit_bytes.value);
    }
    f.total_memory_bytes = ram;
    for (const auto& d : devices) {
        if (d.kind == MemoryDeviceKind::gpu && !d.shares_system_memory) {
            f.total_memory_bytes += d.capacity_bytes;
        }
        if (d.kind != MemoryDeviceKind::disk && !d.shares_system_memory) {
            f.usable_memory_bytes += d.usable_bytes();
        }
    }

    const auto& power = profile.power;
    if (request.power == PowerMode::battery) {
        f.battery = true;
        f.power_basis = "--power battery";
    } else if (request.power == PowerMode::ac) {
        f.power_basis = "--power ac";
    } else if (power.supply.value) {
        f.battery = *power.supply.value == "battery";
        f.power_basis = "the profile's supply is " + *power.supply.value;
    } else {
        f.power_basis = power.has_battery.value.value_or(false)
                            ? "supply unknown (the machine has a battery): planning for AC; pass "
                              "--power battery for unplugged use"
                            : "no battery reported: AC";
    }
    f.passive_cooling = power.cooling.value == std::optional<std::string>("passive");
    f.sustained_fraction = power.sustained_fraction.value;
    for (const auto& zone : power.thermal_zones) {
        if (!zone.temperature_c) {
            continue;
        }
        for (const auto& trip : zone.trip_points) {
            if (trip.temperature_c - *zone.temperature_c <= hot_margin_c && !f.hot_zone) {
                f.hot_zone = zone.name + " at " + number_text(*zone.temperature_c) + " C, " +
                             trip.type + " trip " + number_text(trip.temperature_c) + " C";
            }
        }
    }
    for (const auto& kind : profile.cpu.kinds) {
        if (kind.label == "performance") {
            f.performance_cores += kind.cores;
        }
    }
    if (f.performance_cores == 0) {
        f.performance_cores = profile.cpu.cores.value.value_or(0);
    }
    f.isa_path = isa_path(profile);
    f.catalog = &catalog;
    f.peak_bandwidth_gbps = std::max({profile.memory.bandwidth_gbps.value.value_or(0.0),
                                      profile.memory.measured_read_gbps.value.value_or(0.0)});
    bool unknown_gpu_bandwidth = false;
    for (const auto& gpu : profile.gpus) {
        if (!budgeted(gpu.id)) {
            continue;
        }
        if (gpu.memory_bandwidth_gbps.value) {
            f.peak_bandwidth_gbps =
                std::max(f.peak_bandwidth_gbps, *gpu.memory_bandwidth_gbps.value);
        } else {
            unknown_gpu_bandwidth = true;
        }
    }
    if (unknown_gpu_bandwidth ||
        (!profile.memory.bandwidth_gbps.value && !profile.memory.measured_read_gbps.value)) {
        f.peak_bandwidth_gbps = 0; // RAM speed unknown: no bound (offloaded layers run from it)
    }
    return f;
}

} // namespace edgeplan::planner_detail
