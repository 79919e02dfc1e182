#pragma once

// Efficiency constants of the speed model, one set per backend class. Every constant is a
// physical quantity (a fraction of a datasheet peak, a latency, a traffic factor) fitted on
// published llama.cpp measurements; docs/estimation-speed.md gives each one's source and
// the fit. Pure data: no I/O.

#include <edgeplan/core/hardware_profile.hpp>

#include <optional>
#include <string_view>

namespace edgeplan {

/// The kind of kernel stack a device runs, which sets how close it gets to its peaks.
enum class BackendClass {
    cuda_discrete,  ///< NVIDIA GPU with its own VRAM, llama.cpp CUDA backend
    apple_metal,    ///< Apple Silicon GPU, llama.cpp Metal backend
    integrated_gpu, ///< Vulkan / ROCm / SYCL GPU on shared memory (Strix Halo, Jetson, Arc iGPU)
    cpu,            ///< CPU cores (x86 AVX2/AVX-512, ARM NEON), ggml-cpu
};

/// Name for reports: "CUDA", "Metal", "iGPU (Vulkan/ROCm)", "CPU".
std::string_view backend_class_name(BackendClass backend);

/// Whether a bandwidth figure is the datasheet peak or a measured sustained read rate.
enum class BandwidthKind { peak, measured };

/// How well one backend class turns its peaks into tokens.
struct BackendEfficiency {
    /// Fraction of peak memory bandwidth a batch-1 matrix-vector pass streams weights at.
    double weight_stream_fraction = 0;
    /// The same for a measured (STREAM-triad-like) bandwidth instead of the peak; only the
    /// CPU class has a distinct value (a measured figure already excludes part of the loss).
    double weight_stream_fraction_measured = 0;
    /// Fraction of bandwidth at which attention reads the KV cache during decode (no flash
    /// attention: separate KQ, softmax and KQV kernels, GQA heads re-reading K and V).
    double kv_stream_fraction = 0;
    /// Fixed cost per layer per decode step: kernel launches, synchronisation, small ops
    /// (norms, RoPE, residuals), seconds. Dominates for small models on fast devices.
    double layer_overhead_s = 0;
    /// Fraction of the compute peak (GPU dense FP16, CPU FP32 SIMD) matrix products reach
    /// in prompt processing at the default 512-token micro-batch.
    double prefill_compute_fraction = 0;
    /// Extra memory traffic per parameter per micro-batch in prompt processing, bytes:
    /// dequantised weight copies and GEMM tile re-reads. 0 where none is observed.
    double prefill_traffic_bytes_per_param = 0;
    /// Fraction of the compute peak attention score/softmax work reaches in prefill
    /// (no flash attention, the llama-bench default of the calibration data).
    double prefill_attention_fraction = 0;
};

/// The calibrated constants of `backend` (see docs/estimation-speed.md for their fit).
const BackendEfficiency& backend_efficiency(BackendClass backend);

/// Cost of handing activations from one device to the next in a layer split, per decode
/// step, seconds (llama.cpp -sm layer; fitted on 1/2/4/8 x RTX 4090 rows).
inline constexpr double device_hop_overhead_s = 150e-6;

/// The backend class a GPU entry runs: CUDA for NVIDIA discrete, Metal for Apple, the
/// integrated class for other unified-memory GPUs (and NVIDIA Jetson / GB10, whose GPU
/// shares LPDDR with the CPU). A discrete non-NVIDIA GPU (Radeon, Arc) uses the CUDA
/// constants as the closest measured discrete-GPU stack. nullopt when the vendor is unknown.
std::optional<BackendClass> classify_gpu(const GpuDevice& gpu);

/// Peak FP32 SIMD FLOPs per cycle per core from the ISA: 64 for Intel AVX-512 (two 512-bit
/// FMA ports), 32 for AVX2/FMA and for AMD's double-pumped AVX-512, 32 for Apple P-cores
/// (four 128-bit FMA pipes), 16 for other NEON cores (two 128-bit pipes, Cortex-A76 class).
/// nullopt when the ISA is unknown.
std::optional<double> cpu_flops_per_cycle(const CpuInfo& cpu);

} // namespace edgeplan
