#pragma once

// NVIDIA GPUs through NVML (libnvidia-ml.so.1, shipped with the driver), loaded at run
// time with dlopen: edgeplan never links against CUDA or NVML, and a machine without the
// NVIDIA driver simply has no NVML GPUs.

#include <edgeplan/core/hardware_profile.hpp>

#include <string>
#include <vector>

namespace edgeplan::probe_detail {

/// What NVML reported. `loaded` is false when the library is absent (no NVIDIA driver):
/// that is no error and adds no diagnostic.
struct NvmlScan {
    bool loaded = false;
    std::vector<GpuDevice> gpus; ///< ids "nvml0"...; os_views {"nvml<index>"}
    std::vector<Diagnostic> diagnostics;
};

/// Loads `library` ("libnvidia-ml.so.1" when empty) and lists its GPUs with name, memory,
/// PCI bus id, compute capability, driver version and peak memory bandwidth, all credited
/// to Source::nvml. A call that fails becomes a Diagnostic; the probe goes on.
NvmlScan read_nvml(const std::string& library);

/// Peak memory bandwidth in GB/s from NVML's bus width (bits) and maximum memory clock
/// (MHz): bits / 8 * MHz * 2 transfers per clock / 1000. RTX 4090: 384, 10501 -> 1008.
double nvml_memory_bandwidth_gbps(unsigned bus_width_bits, unsigned memory_clock_mhz);

} // namespace edgeplan::probe_detail
