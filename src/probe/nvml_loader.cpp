#include "nvml_loader.hpp"

#include "gpu_merge.hpp"

#include <fmt/format.h>

#include <dlfcn.h>

namespace edgeplan::probe_detail {

namespace {

// The few NVML declarations edgeplan needs, written from NVIDIA's NVML API reference
// (https://docs.nvidia.com/deploy/nvml-api/, nvml.h): nvmlReturn_t is an enum whose
// NVML_SUCCESS is 0; nvmlDevice_t an opaque handle; nvmlMemory_t and nvmlPciInfo_t the
// structs below (nvmlPciInfo_t as of the _v3 call: busIdLegacy[16], four ids, busId[32]).
using nvmlReturn_t = int;
struct nvmlDevice_st;
using nvmlDevice_t = nvmlDevice_st*;
struct nvmlMemory_t {
    unsigned long long total; // bytes
    unsigned long long free;
    unsigned long long used;
};
struct nvmlPciInfo_t {
    char busIdLegacy[16];
    unsigned int domain;
    unsigned int bus;
    unsigned int device;
    unsigned int pciDeviceId; // (device id << 16) | vendor id
    unsigned int pciSubSystemId;
    char busId[32]; // "00000000:01:00.0"
};
constexpr nvmlReturn_t nvml_success = 0;
constexpr nvmlReturn_t nvml_error_not_supported = 3;
constexpr int nvml_clock_mem = 2; // nvmlClockType_t NVML_CLOCK_MEM
// NVML_DEVICE_NAME_V2_BUFFER_SIZE and NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE.
constexpr unsigned name_buffer_size = 96;
constexpr unsigned version_buffer_size = 80;

struct NvmlApi {
    nvmlReturn_t (*init)() = nullptr;
    nvmlReturn_t (*shutdown)() = nullptr;
    nvmlReturn_t (*get_count)(unsigned*) = nullptr;
    nvmlReturn_t (*get_handle)(unsigned, nvmlDevice_t*) = nullptr;
    nvmlReturn_t (*get_name)(nvmlDevice_t, char*, unsigned) = nullptr;
    nvmlReturn_t (*get_memory)(nvmlDevice_t, nvmlMemory_t*) = nullptr;
    nvmlReturn_t (*get_pci)(nvmlDevice_t, nvmlPciInfo_t*) = nullptr;
    nvmlReturn_t (*get_cc)(nvmlDevice_t, int*, int*) = nullptr;
    nvmlReturn_t (*get_driver_version)(char*, unsigned) = nullptr;
    nvmlReturn_t (*get_bus_width)(nvmlDevice_t, unsigned*) = nullptr;
    nvmlReturn_t (*get_max_clock)(nvmlDevice_t, int, unsigned*) = nullptr;
};

template <typename F> void bind(void* handle, const char* name, F& out) {
    // POSIX guarantees dlsym's void* converts to a function pointer (dlsym(3)).
    out = reinterpret_cast<F>(::dlsym(handle, name));
}

NvmlApi bind_api(void* handle) {
    NvmlApi api;
    bind(handle, "nvmlInit_v2", api.init);
    bind(handle, "nvmlShutdown", api.shutdown);
    bind(handle, "nvmlDeviceGetCount_v2", api.get_count);
    bind(handle, "nvmlDeviceGetHandleByIndex_v2", api.get_handle);
    bind(handle, "nvmlDeviceGetName", api.get_name);
    bind(handle, "nvmlDeviceGetMemoryInfo", api.get_memory);
    bind(handle, "nvmlDeviceGetPciInfo_v3", api.get_pci);
    bind(handle, "nvmlDeviceGetCudaComputeCapability", api.get_cc);
    bind(handle, "nvmlSystemGetDriverVersion", api.get_driver_version);
    bind(handle, "nvmlDeviceGetMemoryBusWidth", api.get_bus_width);
    bind(handle, "nvmlDeviceGetMaxClockInfo", api.get_max_clock);
    return api;
}

/// Names of the nvmlReturn_t codes a user is likely to meet (values from nvml.h).
std::string return_name(nvmlReturn_t code) {
    switch (code) {
    case 1:
        return "NVML_ERROR_UNINITIALIZED";
    case 2:
        return "NVML_ERROR_INVALID_ARGUMENT";
    case 3:
        return "NVML_ERROR_NOT_SUPPORTED";
    case 4:
        return "NVML_ERROR_NO_PERMISSION";
    case 9:
        return "NVML_ERROR_DRIVER_NOT_LOADED";
    case 15:
        return "NVML_ERROR_GPU_IS_LOST";
    case 18:
        return "NVML_ERROR_LIB_RM_VERSION_MISMATCH";
    default:
        return fmt::format("NVML error {}", code);
    }
}

class Reporter {
  public:
    explicit Reporter(NvmlScan& scan) : scan_(scan) {}
    /// True on success; otherwise records which call failed for which device.
    bool check(nvmlReturn_t code, const std::string& where, const char* call) {
        if (code == nvml_success) {
            return true;
        }
        // NOT_SUPPORTED is an answer (a GPU without that counter), not a malfunction.
        const char* severity = code == nvml_error_not_supported ? "info" : "warning";
        scan_.diagnostics.push_back(
            {severity, where, fmt::format("{} failed: {}", call, return_name(code))});
        return false;
    }

  private:
    NvmlScan& scan_;
};

GpuDevice read_device(const NvmlApi& api, nvmlDevice_t device, unsigned index,
                      const std::optional<std::string>& driver_version, Reporter& report) {
    GpuDevice gpu;
    gpu.id = fmt::format("nvml{}", index);
    gpu.os_views.push_back(gpu.id);
    gpu.vendor.set("NVIDIA", Source::nvml);
    const std::string where = "gpus." + gpu.id;
    if (driver_version) {
        gpu.driver.set("nvidia " + *driver_version, Source::nvml);
    }
    char name[name_buffer_size] = {};
    if (api.get_name &&
        report.check(api.get_name(device, name, sizeof name), where, "nvmlDeviceGetName")) {
        name[sizeof name - 1] = '\0';
        gpu.model.set(name, Source::nvml);
    }
    nvmlMemory_t memory{};
    if (api.get_memory &&
        report.check(api.get_memory(device, &memory), where, "nvmlDeviceGetMemoryInfo")) {
        gpu.memory_total_bytes.set(memory.total, Source::nvml);
        gpu.memory_free_bytes.set(memory.free, Source::nvml);
        // NVML reports framebuffer memory only for a GPU with its own; unified parts
        // (GB10, Jetson) answer NOT_SUPPORTED here instead.
        gpu.memory_kind.set("discrete", Source::inferred);
    }
    nvmlPciInfo_t pci{};
    if (api.get_pci && report.check(api.get_pci(device, &pci), where, "nvmlDeviceGetPciInfo_v3")) {
        pci.busId[sizeof pci.busId - 1] = '\0';
        gpu.pci_bus_id = normalize_pci_bus_id(pci.busId);
        gpu.pci_id = format_pci_id(static_cast<std::uint16_t>(pci.pciDeviceId & 0xffffu),
                                   static_cast<std::uint16_t>(pci.pciDeviceId >> 16));
    }
    int major = 0;
    int minor = 0;
    if (api.get_cc && report.check(api.get_cc(device, &major, &minor), where,
                                   "nvmlDeviceGetCudaComputeCapability")) {
        gpu.compute_capability.set(fmt::format("{}.{}", major, minor), Source::nvml);
    }
    unsigned bus_width = 0;
    unsigned memory_clock = 0;
    if (api.get_bus_width && api.get_max_clock &&
        report.check(api.get_bus_width(device, &bus_width), where, "nvmlDeviceGetMemoryBusWidth") &&
        report.check(api.get_max_clock(device, nvml_clock_mem, &memory_clock), where,
                     "nvmlDeviceGetMaxClockInfo") &&
        bus_width > 0 && memory_clock > 0) {
        gpu.memory_bandwidth_gbps.set(nvml_memory_bandwidth_gbps(bus_width, memory_clock),
                                      Source::nvml);
    }
    return gpu;
}

} // namespace

double nvml_memory_bandwidth_gbps(unsigned bus_width_bits, unsigned memory_clock_mhz) {
    // NVML's memory clock counts one edge of a double-data-rate bus: GDDR6X at 21 Gb/s per
    // pin reports 10501 MHz, HBM3 at 5.2 Gb/s reports 2619 MHz. So bytes per clock times
    // two transfers; 384-bit RTX 4090 -> 1008 GB/s, 5120-bit H100 SXM -> 3352 GB/s, both
    // matching NVIDIA's datasheets.
    return static_cast<double>(bus_width_bits) / 8.0 * memory_clock_mhz * 2.0 / 1000.0;
}

NvmlScan read_nvml(const std::string& library) {
    NvmlScan scan;
    const std::string name = library.empty() ? "libnvidia-ml.so.1" : library;
    void* handle = ::dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        return scan; // no NVIDIA driver: nothing to report
    }
    const NvmlApi api = bind_api(handle);
    Reporter report(scan);
    if (!api.init || !api.shutdown || !api.get_count || !api.get_handle) {
        scan.diagnostics.push_back({"warning", "gpus",
                                    "the NVML library lacks nvmlInit_v2 or the device calls; "
                                    "NVIDIA GPU details are unknown"});
        ::dlclose(handle);
        return scan;
    }
    if (!report.check(api.init(), "gpus", "nvmlInit_v2")) {
        ::dlclose(handle);
        return scan;
    }
    scan.loaded = true;
    std::optional<std::string> driver_version;
    char version[version_buffer_size] = {};
    if (api.get_driver_version && report.check(api.get_driver_version(version, sizeof version),
                                               "gpus", "nvmlSystemGetDriverVersion")) {
        version[sizeof version - 1] = '\0';
        driver_version = version;
    }
    unsigned count = 0;
    if (report.check(api.get_count(&count), "gpus", "nvmlDeviceGetCount_v2")) {
        for (unsigned i = 0; i < count; ++i) {
            nvmlDevice_t device = nullptr;
            if (report.check(api.get_handle(i, &device), fmt::format("gpus.nvml{}", i),
                             "nvmlDeviceGetHandleByIndex_v2")) {
                scan.gpus.push_back(read_device(api, device, i, driver_version, report));
            }
        }
    }
    api.shutdown();
    ::dlclose(handle);
    return scan;
}

} // namespace edgeplan::probe_detail
