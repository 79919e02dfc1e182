#pragma once

// The Linux layer of the live audit: procfs and sysfs readers, each filling one part of a
// HardwareProfile through a SysRoot. Values hwloc already gave are kept (Sourced::fill);
// absence of a device class is recorded as "checked, none found", never as an error.

#include "sysroot.hpp"

#include <edgeplan/core/hardware_profile.hpp>
#include <edgeplan/probe/probe.hpp>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace edgeplan::probe_detail {

/// os (os-release PRETTY_NAME), kernel and architecture (uname() on the host, else
/// proc/sys/kernel/{osrelease,arch}).
void read_linux_system(const SysRoot& root, HardwareProfile& profile);

/// memory totals from proc/meminfo (MemTotal, MemAvailable, SwapTotal, SwapFree).
void read_meminfo(const SysRoot& root, HardwareProfile& profile);

/// One SMBIOS type-17 record (a DIMM slot).
struct SmbiosMemoryDevice {
    bool populated = false;
    std::optional<std::string> type; ///< "DDR5", "LPDDR5"...
    std::optional<int> speed_mts;    ///< configured speed, else rated speed
};
SmbiosMemoryDevice parse_smbios_memory_device(const std::string& raw);

/// memory.type and memory.speed_mts (slowest populated module) from
/// sys/firmware/dmi/entries/17-*/raw; absent (not root, VM, ARM board) leaves them unknown.
void read_smbios_memory(const SysRoot& root, HardwareProfile& profile);

/// The flags (x86 "flags", ARM "Features") present on every CPU in proc/cpuinfo, the
/// architecture the file describes ("x86_64", "aarch64", or empty when neither line exists).
struct CpuinfoFlags {
    std::string architecture;
    std::set<std::string> flags;
};
CpuinfoFlags parse_cpuinfo_flags(const std::string& cpuinfo);

/// The ISA map for `architecture` from kernel flag names: every feature of that
/// architecture is true or false (checked); the other architecture's are left out.
IsaFeatures isa_from_flags(const std::string& architecture, const std::set<std::string>& flags,
                           Source source);

/// cpu vendor/model fallbacks, the ISA map and virtualization from proc/cpuinfo.
void read_cpuinfo(const SysRoot& root, HardwareProfile& profile);

/// cpu packages/cores/threads fallbacks from sys/devices/system/cpu (online + topology),
/// and the cpufreq governor and maximum frequency of cpu0.
void read_cpu_sysfs(const SysRoot& root, HardwareProfile& profile);
/// Fallback for cpu.frequency_max_mhz when cpufreq has no driver: /proc/cpuinfo "cpu MHz".
void read_cpuinfo_clock(const SysRoot& root, HardwareProfile& profile);

/// memory.cgroup_limit_bytes from the process's cgroup (v2 memory.max, v1 limit_in_bytes).
void read_cgroup_limit(const SysRoot& root, HardwareProfile& profile);

/// GPUs from sys/class/drm/card*/device. `checked` tells whether sysfs could be read
/// at all (an empty list then means "no DRM GPU").
struct GpuScan {
    std::vector<GpuDevice> gpus;
    bool checked = false;
};
GpuScan read_drm_gpus(const SysRoot& root);

/// The user-space runtimes installed for a GPU driven by `driver` ("nvidia", "amdgpu",
/// "i915", "xe"...): cuda, rocm, level_zero, vulkan, opencl, by file checks only.
std::vector<std::string> detect_gpu_apis(const SysRoot& root, const std::string& driver);

/// NPUs from sys/class/accel/accel*/device.
struct NpuScan {
    std::vector<NpuDevice> npus;
    bool checked = false;
};
NpuScan read_accel_npus(const SysRoot& root);

/// Battery, supply and thermal zones from sys/class/power_supply and sys/class/thermal.
void read_power(const SysRoot& root, HardwareProfile& profile);

/// Block device name and type of sys/dev/block/MAJ:MIN: a partition resolves to its disk,
/// a device-mapper volume to the disk beneath it. Unknown parts stay unknown.
struct BlockDevice {
    std::optional<std::string> name;
    std::optional<std::string> type; ///< "nvme", "virtual", "ssd", "hdd", "ram"
};
BlockDevice classify_block_device(const SysRoot& root, unsigned major, unsigned minor);

/// storage.* for the disk holding options.models_dir, and the optional read measurement.
void read_storage(const SysRoot& root, const LiveProbeOptions& options, HardwareProfile& profile);

/// Times a sequential read of the largest file in `models_dir` (read only, at most 1 GiB
/// or 3 s) into storage.read_bandwidth_mbps; a Diagnostic when there is nothing to read.
void measure_disk_read(const std::filesystem::path& models_dir, HardwareProfile& profile);

/// Appends a diagnostic.
void add_os_diagnostic(HardwareProfile& profile, std::string severity, std::string where,
                       std::string message);

} // namespace edgeplan::probe_detail
