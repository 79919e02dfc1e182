// The live audit on Linux: hwloc for the topology, then procfs/sysfs and NVML for what
// hwloc does not give (hwloc reference §3). Compiled only on Linux; probe_darwin.cpp and
// probe_other.cpp define probe_live elsewhere.

#include "gpu_merge.hpp"
#include "hwloc_reader.hpp"
#include "linux_probe.hpp"
#include "memory_bandwidth.hpp"
#include "nvml_loader.hpp"

#include <edgeplan/probe/probe.hpp>

#include <fmt/format.h>

#include <cmath>

namespace edgeplan {

namespace {

using namespace probe_detail;

// hwloc's NUMA sizes and MemTotal differ by a few percent normally (firmware and kernel
// reservations); beyond this one of them is wrong, as on this project's VM (4.8 vs 23.5 GiB).
constexpr double numa_mismatch_fraction = 0.10;

void check_numa_total(HardwareProfile& profile) {
    const auto& total = profile.memory.total_bytes;
    std::uint64_t numa_sum = 0;
    bool any = false;
    for (const auto& node : profile.cpu.numa_nodes) {
        if (node.memory_bytes && node.kind != "GPUMemory") {
            numa_sum += *node.memory_bytes;
            any = true;
        }
    }
    if (!any || !total.known() || *total.value == 0) {
        return;
    }
    const double os_bytes = static_cast<double>(*total.value);
    const double difference = std::fabs(static_cast<double>(numa_sum) - os_bytes);
    if (difference / os_bytes > numa_mismatch_fraction) {
        constexpr double gib = 1024.0 * 1024.0 * 1024.0;
        add_os_diagnostic(profile, "warning", "memory.total_bytes",
                          fmt::format("hwloc NUMA nodes total {:.1f} GiB but the OS reports {:.1f} "
                                      "GiB; using the OS figure",
                                      static_cast<double>(numa_sum) / gib, os_bytes / gib));
    }
}

void read_gpus(const SysRoot& root, const LiveProbeOptions& options, HardwareProfile& profile) {
    // NVML is asked only about the machine it runs on: a fixture root describes another one,
    // unless the caller names a library (the test stub) explicitly.
    NvmlScan nvml;
    if (root.is_host() || !options.nvml_library.empty()) {
        nvml = read_nvml(options.nvml_library);
    }
    const GpuScan drm = read_drm_gpus(root);

    // NVML before DRM: merge_gpu keeps the first known value, and NVML's product name and
    // memory figures are the driver's own, where sysfs offers only a pci.ids lookup.
    const auto nvidia_apis = detect_gpu_apis(root, "nvidia");
    for (auto gpu : nvml.gpus) {
        gpu.apis = nvidia_apis;
        gpu.apis_source = Source::sysfs;
        merge_gpu(profile.gpus, gpu);
    }
    bool nvidia_without_nvml = false;
    for (const auto& gpu : drm.gpus) {
        nvidia_without_nvml |= gpu.driver.value.value_or("") == "nvidia" && !nvml.loaded;
        merge_gpu(profile.gpus, gpu);
    }
    finalize_gpu_ids(profile.gpus);
    profile.diagnostics.insert(profile.diagnostics.end(), nvml.diagnostics.begin(),
                               nvml.diagnostics.end());
    if (nvidia_without_nvml) {
        add_os_diagnostic(profile, "warning", "gpus",
                          "an NVIDIA GPU is driven by the nvidia driver but libnvidia-ml.so.1 "
                          "could not be loaded; its memory is unknown");
    }
    if (profile.gpus_source == Source::unknown) {
        if (drm.checked) {
            profile.gpus_source = Source::sysfs;
        } else if (nvml.loaded) {
            profile.gpus_source = Source::nvml;
        }
    }
}

void read_npus(const SysRoot& root, HardwareProfile& profile) {
    NpuScan scan = read_accel_npus(root);
    for (auto& npu : scan.npus) {
        bool merged = false;
        for (auto& known : profile.npus) {
            if (known.pci_bus_id && known.pci_bus_id == npu.pci_bus_id) {
                // hwloc saw the PCI function; sysfs adds the driver and a name.
                if (npu.driver.known()) {
                    known.driver.fill(*npu.driver.value, npu.driver.source);
                }
                if (npu.model.known()) {
                    known.model.fill(*npu.model.value, npu.model.source);
                }
                if (npu.vendor.known()) {
                    known.vendor.fill(*npu.vendor.value, npu.vendor.source);
                }
                merged = true;
            }
        }
        if (!merged) {
            profile.npus.push_back(std::move(npu));
        }
    }
    for (std::size_t i = 0; i < profile.npus.size(); ++i) {
        profile.npus[i].id = "npu" + std::to_string(i);
    }
    if (profile.npus_source == Source::unknown && scan.checked) {
        profile.npus_source = Source::sysfs;
    }
}

void measure_memory(HardwareProfile& profile) {
    std::optional<std::size_t> l3_total;
    if (profile.cpu.l3.size_bytes.value) {
        l3_total = *profile.cpu.l3.size_bytes.value *
                   static_cast<std::size_t>(profile.cpu.l3.instances.value.value_or(1));
    }
    std::optional<std::size_t> available;
    if (profile.memory.available_bytes.value) {
        available = *profile.memory.available_bytes.value;
    }
    // One thread per physical core: SMT siblings share the core's load ports, and decode
    // kernels run one thread per core too.
    const int threads = profile.cpu.cores.value.value_or(profile.cpu.threads.value.value_or(1));
    const auto bytes = read_bandwidth_buffer_bytes(l3_total, available);
    if (auto gbps = measure_read_bandwidth(bytes, threads)) {
        profile.memory.measured_read_gbps.set(*gbps, Source::measured);
        add_os_diagnostic(profile, "info", "memory.measured_read_gbps",
                          "streamed " + std::to_string(bytes >> 20) + " MiB with " +
                              std::to_string(threads) + " threads, median of 5 passes");
    } else {
        add_os_diagnostic(profile, "warning", "memory.measured_read_gbps",
                          "could not allocate the measurement buffer");
    }
}

} // namespace

Result<HardwareProfile> probe_live(const LiveProbeOptions& options) {
    HardwareProfile profile;
    profile.origin = {"live", "this machine"};
    // hwloc always discovers the real machine; tests of a fixture root turn it off.
    if (options.use_hwloc) {
        if (auto status = read_hwloc_live(profile); !status) {
            return status.error();
        }
    }
    const SysRoot root(options.system_root);
    read_linux_system(root, profile);
    read_cpuinfo(root, profile);
    read_cpu_sysfs(root, profile);
    read_cpuinfo_clock(root, profile);
    read_meminfo(root, profile);
    read_smbios_memory(root, profile);
    check_numa_total(profile);
    read_cgroup_limit(root, profile);
    read_gpus(root, options, profile);
    read_npus(root, profile);
    read_power(root, profile);
    read_storage(root, options, profile);
    if (options.memory_measurement == MemoryMeasurement::measure) {
        measure_memory(profile);
    }
    if (!profile.cpu.threads.known()) {
        add_os_diagnostic(profile, "warning", "cpu.threads",
                          "neither hwloc nor /sys/devices/system/cpu gave the CPU count");
    }
    return profile;
}

} // namespace edgeplan
