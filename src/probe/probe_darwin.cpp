// The live audit on macOS: hwloc for the topology, then sysctl(3) for what hwloc does not
// give (hwloc reference §3, macOS column). Compiled only on Apple platforms. IOKit and
// Metal would add battery, thermal state and the exact GPU working set; sysctl is enough
// for planning and keeps this file free of Objective-C.

#include "hwloc_reader.hpp"

#include <edgeplan/probe/probe.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <system_error>

#include <mach/mach.h>
#include <sys/statvfs.h>
#include <sys/sysctl.h>
#include <sys/utsname.h>

namespace edgeplan {

namespace {

constexpr std::uint64_t gib = std::uint64_t{1} << 30;

std::optional<std::string> sysctl_string(const char* name) {
    std::size_t size = 0;
    if (::sysctlbyname(name, nullptr, &size, nullptr, 0) != 0 || size == 0) {
        return std::nullopt;
    }
    std::string text(size, '\0');
    if (::sysctlbyname(name, text.data(), &size, nullptr, 0) != 0) {
        return std::nullopt;
    }
    text.resize(std::min(size, text.find('\0')));
    if (text.empty()) {
        return std::nullopt;
    }
    return text;
}

/// An integer sysctl; they come as 4 or 8 bytes depending on the name.
std::optional<std::int64_t> sysctl_number(const char* name) {
    std::size_t size = 0;
    if (::sysctlbyname(name, nullptr, &size, nullptr, 0) != 0) {
        return std::nullopt;
    }
    if (size == sizeof(std::int32_t)) {
        std::int32_t value = 0;
        if (::sysctlbyname(name, &value, &size, nullptr, 0) == 0) {
            return value;
        }
    } else if (size == sizeof(std::int64_t)) {
        std::int64_t value = 0;
        if (::sysctlbyname(name, &value, &size, nullptr, 0) == 0) {
            return value;
        }
    }
    return std::nullopt;
}

/// hw.optional.* flags: 1 when present; an absent name means the OS knows no such
/// feature on this CPU, which is "absent" too.
bool sysctl_flag(const char* name) {
    return sysctl_number(name).value_or(0) != 0;
}

void add_diagnostic(HardwareProfile& profile, std::string severity, std::string where,
                    std::string message) {
    profile.diagnostics.push_back({std::move(severity), std::move(where), std::move(message)});
}

void read_system(HardwareProfile& profile) {
    auto& system = profile.system;
    if (auto version = sysctl_string("kern.osproductversion")) {
        system.os.set("macOS " + *version, Source::os);
    }
    if (auto release = sysctl_string("kern.osrelease")) {
        system.kernel.fill(*release, Source::os);
    }
    struct utsname names {};
    if (::uname(&names) == 0) {
        system.architecture.fill(names.machine, Source::os);
    }
    if (auto vmm = sysctl_number("kern.hv_vmm_present")) {
        system.virtualization.fill(*vmm != 0 ? "unidentified hypervisor" : "none", Source::os);
    }
}

void read_cpu(HardwareProfile& profile) {
    auto& cpu = profile.cpu;
    if (auto brand = sysctl_string("machdep.cpu.brand_string")) {
        cpu.model.fill(*brand, Source::os);
        if (brand->rfind("Apple", 0) == 0) {
            cpu.vendor.fill("Apple", Source::os);
        }
    }
    if (auto vendor = sysctl_string("machdep.cpu.vendor")) {
        cpu.vendor.fill(*vendor == "GenuineIntel" ? "Intel" : *vendor, Source::os);
    }
    if (auto packages = sysctl_number("hw.packages")) {
        cpu.packages.fill(static_cast<int>(*packages), Source::os);
    }
    if (auto cores = sysctl_number("hw.physicalcpu")) {
        cpu.cores.fill(static_cast<int>(*cores), Source::os);
    }
    if (auto threads = sysctl_number("hw.logicalcpu")) {
        cpu.threads.fill(static_cast<int>(*threads), Source::os);
    }
    if (auto hz = sysctl_number("hw.cpufrequency_max"); hz && *hz > 0) {
        cpu.frequency_max_mhz.fill(static_cast<int>(*hz / 1000000), Source::os); // Intel Macs
    }
    // Apple Silicon performance levels: perflevel0 is the fastest (P cores), perflevel1
    // the efficiency cores (sysctl hw.nperflevels, macOS 12+).
    const int levels = static_cast<int>(sysctl_number("hw.nperflevels").value_or(0));
    if (cpu.kinds.empty() && levels > 1) {
        for (int level = levels - 1; level >= 0; --level) {
            const std::string prefix = fmt::format("hw.perflevel{}.", level);
            CpuKind kind;
            kind.label = level == 0 ? "performance" : "efficiency";
            kind.cores =
                static_cast<int>(sysctl_number((prefix + "physicalcpu").c_str()).value_or(0));
            kind.threads = static_cast<int>(
                sysctl_number((prefix + "logicalcpu").c_str()).value_or(kind.cores));
            kind.efficiency_rank = levels - 1 - level;
            cpu.kinds.push_back(std::move(kind));
        }
        cpu.kinds_source = Source::os;
    }
}

void read_isa(HardwareProfile& profile) {
    const std::string arch = profile.system.architecture.value.value_or("");
    IsaFeatures isa;
    isa.source = Source::os;
    if (arch == "arm64" || arch == "aarch64") {
        // Apple's hw.optional.arm.FEAT_* names (developer.apple.com, "Determining
        // Instruction Set Characteristics"). Apple cores implement no SVE/SVE2; M4 adds SME.
        isa.features["neon"] =
            sysctl_flag("hw.optional.neon") || sysctl_flag("hw.optional.AdvSIMD");
        isa.features["dotprod"] = sysctl_flag("hw.optional.arm.FEAT_DotProd");
        isa.features["i8mm"] = sysctl_flag("hw.optional.arm.FEAT_I8MM");
        isa.features["bf16"] = sysctl_flag("hw.optional.arm.FEAT_BF16");
        isa.features["sve"] = false;
        isa.features["sve2"] = false;
        isa.features["sme"] = sysctl_flag("hw.optional.arm.FEAT_SME");
    } else if (arch == "x86_64") {
        // Intel Macs: hw.optional.* names as in Apple's same page; the kernel reports AVX
        // state only when it enabled it. No Intel Mac CPU has AVX-512 BF16/FP16, AVX-VNNI
        // or AMX (the newest are Coffee Lake, Ice Lake and Cascade Lake parts).
        isa.features["sse4_2"] = sysctl_flag("hw.optional.sse4_2");
        isa.features["avx"] = sysctl_flag("hw.optional.avx1_0");
        isa.features["avx2"] = sysctl_flag("hw.optional.avx2_0");
        isa.features["fma"] = sysctl_flag("hw.optional.fma");
        const std::string features = sysctl_string("machdep.cpu.features").value_or("");
        isa.features["f16c"] = features.find("F16C") != std::string::npos;
        isa.features["avx512f"] = sysctl_flag("hw.optional.avx512f");
        isa.features["avx512bw"] = sysctl_flag("hw.optional.avx512bw");
        isa.features["avx512_vnni"] = sysctl_flag("hw.optional.avx512vnni");
        for (const char* name :
             {"avx512_bf16", "avx512_fp16", "avx_vnni", "amx_tile", "amx_int8", "amx_bf16"}) {
            isa.features[name] = false;
        }
    } else {
        return;
    }
    profile.cpu.isa = std::move(isa);
}

void read_memory(HardwareProfile& profile) {
    auto& memory = profile.memory;
    if (auto bytes = sysctl_number("hw.memsize"); bytes && *bytes > 0) {
        memory.total_bytes.set(static_cast<std::uint64_t>(*bytes), Source::os);
    }
    // Free + inactive + purgeable pages can be handed to a new process without paging
    // anything out: the closest macOS has to Linux's MemAvailable.
    vm_statistics64_data_t vm{};
    mach_msg_type_number_t count = HOST_VM_INFO64_COUNT;
    const mach_port_t host = mach_host_self();
    const kern_return_t status =
        host_statistics64(host, HOST_VM_INFO64, reinterpret_cast<host_info64_t>(&vm), &count);
    mach_port_deallocate(mach_task_self(), host);
    if (status == KERN_SUCCESS) {
        const std::uint64_t pages =
            std::uint64_t{vm.free_count} + vm.inactive_count + vm.purgeable_count;
        memory.available_bytes.set(pages * vm_page_size, Source::os);
    }
    struct xsw_usage swap {};
    std::size_t size = sizeof swap;
    if (::sysctlbyname("vm.swapusage", &swap, &size, nullptr, 0) == 0) {
        memory.swap_total_bytes.set(swap.xsu_total, Source::os);
        memory.swap_free_bytes.set(swap.xsu_avail, Source::os);
    }
}

/// The GPU's default wired-memory ceiling when iogpu.wired_limit_mb is 0. Apple documents
/// the figure only through Metal's MTLDevice.recommendedMaxWorkingSetSize
/// (developer.apple.com/documentation/metal/mtldevice/recommendedmaxworkingsetsize), not
/// the rule; users of llama.cpp and Ollama report about 2/3 of RAM up to 36 GiB and 3/4
/// above. Some 128 GiB machines report more (about 84 %), so this errs on the safe side.
std::uint64_t default_working_set(std::uint64_t memory_bytes) {
    return memory_bytes <= 36 * gib ? memory_bytes / 3 * 2 : memory_bytes / 4 * 3;
}

void read_apple_gpu(HardwareProfile& profile) {
    const std::string arch = profile.system.architecture.value.value_or("");
    const bool apple_silicon = arch == "arm64" || arch == "aarch64";
    if (!apple_silicon) {
        add_diagnostic(profile, "info", "gpus",
                       "GPUs of Intel Macs need IOKit, which this build does not query");
        return;
    }
    GpuDevice gpu;
    gpu.id = "gpu0";
    gpu.vendor.set("Apple", Source::os);
    if (auto brand = profile.cpu.model.value) {
        gpu.model.set(*brand + " GPU", Source::inferred); // the GPU is part of the SoC
    }
    gpu.memory_kind.set("unified", Source::os);
    if (auto total = profile.memory.total_bytes.value) {
        gpu.memory_total_bytes.set(*total, Source::os);
        const auto limit_mb = sysctl_number("iogpu.wired_limit_mb").value_or(0);
        if (limit_mb > 0) {
            gpu.working_set_limit_bytes.set(static_cast<std::uint64_t>(limit_mb) << 20, Source::os);
        } else {
            gpu.working_set_limit_bytes.set(default_working_set(*total), Source::inferred);
        }
    }
    gpu.apis = {"metal"};
    gpu.apis_source = Source::os;
    profile.gpus = {gpu}; // hwloc sees no Apple GPU: it is not a PCI device
    profile.gpus_source = Source::os;

    // Every Apple Silicon SoC has a Neural Engine; no public API reports it.
    NpuDevice npu;
    npu.id = "npu0";
    npu.vendor.set("Apple", Source::inferred);
    npu.model.set("Apple Neural Engine", Source::inferred);
    profile.npus = {npu};
    profile.npus_source = Source::inferred;
}

void read_storage(const LiveProbeOptions& options, HardwareProfile& profile) {
    std::error_code ec;
    const auto dir = std::filesystem::canonical(options.models_dir, ec);
    struct statvfs vfs {};
    if (!ec && ::statvfs(dir.c_str(), &vfs) == 0) {
        profile.storage.free_bytes.set(static_cast<std::uint64_t>(vfs.f_bavail) * vfs.f_frsize,
                                       Source::os);
        profile.storage.total_bytes.set(static_cast<std::uint64_t>(vfs.f_blocks) * vfs.f_frsize,
                                        Source::os);
    }
    if (options.disk_measurement == DiskMeasurement::measure) {
        add_diagnostic(profile, "info", "storage.read_bandwidth_mbps",
                       "not measured: --measure-disk is implemented on Linux only");
    }
}

} // namespace

Result<HardwareProfile> probe_live(const LiveProbeOptions& options) {
    HardwareProfile profile;
    profile.origin = {"live", "this machine"};
    if (options.use_hwloc) {
        if (auto status = probe_detail::read_hwloc_live(profile); !status) {
            return status.error();
        }
    }
    read_system(profile);
    read_cpu(profile);
    read_isa(profile);
    read_memory(profile);
    read_apple_gpu(profile);
    read_storage(options, profile);
    add_diagnostic(profile, "info", "power",
                   "battery and thermal state need IOKit, which this build does not query");
    return profile;
}

} // namespace edgeplan
