#pragma once

#include <edgeplan/core/sourced.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace edgeplan {

/// Version of the profile's JSON document (data/schema/hardware-profile.schema.json).
/// Bump on any incompatible change; readers refuse other versions.
inline constexpr int hardware_profile_schema_version = 1;

/// How the profile was obtained. A catalogue target preset is simply a saved profile
/// whose origin method is "preset".
struct ProfileOrigin {
    std::string method; ///< "live", "topology", "profile" or "preset"
    std::string name;   ///< file base name, preset id, or "this machine"; never a path
    friend bool operator==(const ProfileOrigin&, const ProfileOrigin&) = default;
};

struct SystemInfo {
    Sourced<std::string> os;             ///< e.g. "Debian GNU/Linux 12 (bookworm)", "macOS 15.1"
    Sourced<std::string> kernel;         ///< kernel release, e.g. "6.1.0-18-amd64"
    Sourced<std::string> architecture;   ///< "x86_64", "aarch64", "arm64", "ppc64le"
    Sourced<std::string> virtualization; ///< hypervisor name, "none", or unknown
    friend bool operator==(const SystemInfo&, const SystemInfo&) = default;
};

/// One kind of core on a hybrid CPU (hwloc cpukinds), ordered from least to most
/// performant, as hwloc ranks them.
struct CpuKind {
    std::string label;                  ///< "performance", "efficiency", "low-power", "uniform"
    std::optional<std::string> core_type; ///< hwloc CoreType (IntelCore, AMDEfficiency...) or CPUPart
    int cores = 0;                      ///< physical cores of this kind
    int threads = 0;                    ///< hardware threads (PUs) of this kind
    std::optional<int> efficiency_rank; ///< hwloc's rank; higher = faster; nullopt if unranked
    std::optional<int> frequency_max_mhz;
    std::optional<int> frequency_base_mhz;
    friend bool operator==(const CpuKind&, const CpuKind&) = default;
};

/// One cache level: size of one instance and how many instances the machine has.
struct CacheLevel {
    Sourced<std::uint64_t> size_bytes;
    Sourced<int> instances;
    friend bool operator==(const CacheLevel&, const CacheLevel&) = default;
};

struct NumaNode {
    int index = 0;
    std::optional<std::uint64_t> memory_bytes; ///< nullopt when the topology has no size
    std::string kind;                          ///< "DRAM", "HBM", "MCDRAM", "NVM", "GPUMemory"...
    friend bool operator==(const NumaNode&, const NumaNode&) = default;
};

/// Instruction-set extensions inference engines dispatch on. Each is true (present and
/// enabled by the OS), false (checked and absent) or unknown.
struct IsaFeatures {
    Source source = Source::unknown;
    std::map<std::string, std::optional<bool>> features; ///< key: names in isa_feature_names()
    friend bool operator==(const IsaFeatures&, const IsaFeatures&) = default;
};

/// The ISA feature keys edgeplan reports, x86 then ARM, in report order.
const std::vector<std::string>& isa_feature_names();
/// The subset relevant to an architecture ("x86_64" or "aarch64"); all of them otherwise.
std::vector<std::string> isa_feature_names_for(const std::string& architecture);

struct CpuInfo {
    Sourced<std::string> vendor;
    Sourced<std::string> model;
    Sourced<int> packages;
    Sourced<int> cores;   ///< physical cores
    Sourced<int> threads; ///< hardware threads (PUs)
    Sourced<int> frequency_max_mhz;
    Sourced<std::string> frequency_governor;
    std::vector<CpuKind> kinds; ///< empty when the CPU is homogeneous or kinds are unknown
    Source kinds_source = Source::unknown;
    CacheLevel l1d;
    CacheLevel l2;
    CacheLevel l3;
    std::vector<NumaNode> numa_nodes;
    Source numa_source = Source::unknown;
    IsaFeatures isa;
    friend bool operator==(const CpuInfo&, const CpuInfo&) = default;
};

struct MemoryInfo {
    Sourced<std::uint64_t> total_bytes;
    Sourced<std::uint64_t> available_bytes;
    Sourced<std::uint64_t> swap_total_bytes;
    Sourced<std::uint64_t> swap_free_bytes;
    Sourced<std::uint64_t> cgroup_limit_bytes; ///< container limit, when one applies
    Sourced<std::string> type;                  ///< "DDR5", "LPDDR5X", "unified LPDDR5"...
    Sourced<int> speed_mts;                     ///< transfer rate in MT/s
    Sourced<double> bandwidth_gbps;             ///< peak (datasheet), GB/s (10^9 bytes/s)
    /// Sustained read bandwidth measured by edgeplan with all cores (--measure-memory),
    /// GB/s. Lower than the peak: it is what a memory-bound decode can actually stream.
    Sourced<double> measured_read_gbps;
    friend bool operator==(const MemoryInfo&, const MemoryInfo&) = default;
};

/// One GPU or accelerator, once, however many OS views (CUDA, OpenCL, NVML, DRM) name it.
struct GpuDevice {
    std::string id;                 ///< "gpu0", "gpu1"... in PCI bus order
    Sourced<std::string> vendor;    ///< "NVIDIA", "AMD", "Intel", "Apple"...
    Sourced<std::string> model;
    std::optional<std::string> pci_bus_id; ///< "0000:01:00.0"; nullopt when not on PCI
    std::optional<std::string> pci_id;     ///< "10de:2684" (vendor:device)
    Sourced<std::uint64_t> memory_total_bytes;
    Sourced<std::uint64_t> memory_free_bytes;
    Sourced<std::string> memory_kind; ///< "discrete" or "unified"
    Sourced<std::uint64_t> shared_memory_bytes; ///< GTT / shared system memory usable by the GPU
    Sourced<std::uint64_t> working_set_limit_bytes; ///< Apple's recommendedMaxWorkingSetSize
    std::vector<std::string> apis; ///< "cuda", "rocm", "vulkan", "metal", "level_zero", "opencl"
    Source apis_source = Source::unknown;
    Sourced<std::string> compute_capability; ///< CUDA "8.9", AMD "gfx1100"
    Sourced<double> memory_bandwidth_gbps;
    Sourced<double> fp16_tflops;
    /// Bandwidth of this GPU's link to its peers, one direction, GB/s: NVLink/NVSwitch
    /// where present, else its PCIe slot. Prices tensor-parallel all-reduces; unknown:
    /// PCIe 4.0 x16 is assumed and the plan says so.
    Sourced<double> peer_link_gbps;
    Sourced<std::string> driver;
    std::vector<std::string> os_views; ///< hwloc OS device names merged into this entry
    friend bool operator==(const GpuDevice&, const GpuDevice&) = default;
};

struct NpuDevice {
    std::string id; ///< "npu0"...
    Sourced<std::string> vendor;
    Sourced<std::string> model;
    Sourced<std::string> driver; ///< "intel_vpu", "amdxdna", "qaic"...
    std::optional<std::string> pci_bus_id;
    std::optional<std::string> pci_id;
    Sourced<double> int8_tops;
    friend bool operator==(const NpuDevice&, const NpuDevice&) = default;
};

struct StorageInfo {
    Sourced<std::string> device; ///< block device holding the models directory, "nvme0n1"
    Sourced<std::string> type;   ///< "nvme", "ssd", "hdd", "virtual", "network", "ram"
    Sourced<std::uint64_t> free_bytes;
    Sourced<std::uint64_t> total_bytes;
    Sourced<double> read_bandwidth_mbps; ///< sequential read, MB/s; only with --measure-disk
    friend bool operator==(const StorageInfo&, const StorageInfo&) = default;
};

struct TripPoint {
    std::string type; ///< "passive", "hot", "critical"...
    double temperature_c = 0;
    friend bool operator==(const TripPoint&, const TripPoint&) = default;
};

struct ThermalZone {
    std::string name; ///< sysfs zone type, e.g. "x86_pkg_temp"
    std::optional<double> temperature_c;
    std::vector<TripPoint> trip_points;
    friend bool operator==(const ThermalZone&, const ThermalZone&) = default;
};

struct PowerInfo {
    Sourced<std::string> supply;          ///< "ac", "battery"
    Sourced<int> battery_percent;         ///< 0..100
    Sourced<std::string> battery_state;   ///< "charging", "discharging", "full", "not charging"
    Sourced<bool> has_battery;
    Sourced<double> tdp_watts;            ///< sustained package power budget
    Sourced<std::string> cooling;         ///< "active" or "passive"
    Sourced<double> sustained_fraction;   ///< sustained / peak throughput under long load
    std::vector<ThermalZone> thermal_zones;
    Source thermal_source = Source::unknown;
    friend bool operator==(const PowerInfo&, const PowerInfo&) = default;
};

/// A non-fatal finding: something missing, inconsistent or worth a user's attention.
struct Diagnostic {
    std::string severity; ///< "info" or "warning"
    std::string where;    ///< the field or probe, e.g. "memory.total_bytes"
    std::string message;
    friend bool operator==(const Diagnostic&, const Diagnostic&) = default;
};

/// Where a preset's or profile's figures come from (a datasheet, a review, a benchmark).
struct Reference {
    std::string url;
    std::string covers; ///< which fields it supports, e.g. "memory bandwidth, GPU FP16 TFLOPS"
    friend bool operator==(const Reference&, const Reference&) = default;
};

/// Everything edgeplan knows about one machine. Every later stage plans from this.
struct HardwareProfile {
    int schema_version = hardware_profile_schema_version;
    ProfileOrigin origin;
    SystemInfo system;
    CpuInfo cpu;
    MemoryInfo memory;
    std::vector<GpuDevice> gpus;
    Source gpus_source = Source::unknown; ///< where the GPU list came from (empty list = none found)
    std::vector<NpuDevice> npus;
    Source npus_source = Source::unknown;
    StorageInfo storage;
    PowerInfo power;
    std::vector<Diagnostic> diagnostics;
    std::vector<Reference> references; ///< sources for preset/profile figures
    friend bool operator==(const HardwareProfile&, const HardwareProfile&) = default;
};

} // namespace edgeplan
