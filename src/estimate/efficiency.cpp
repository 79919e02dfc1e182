// The speed model's calibrated constants and the device classification that picks them.
// Fits and sources: docs/estimation-speed.md; the validation that pins the resulting error:
// tests/unit/estimate_speed_validation_test.cpp.
#include <edgeplan/estimate/calibration.hpp>

#include <algorithm>
#include <cctype>
#include <string>

namespace edgeplan {

namespace {

// CUDA, discrete NVIDIA. Fitted on the Llama 3 8B single-GPU rows of
// XiongjieDai/GPU-Benchmarks-on-LLM-Inference (llama-bench, May 2024; 15 GPUs):
// - weight_stream 0.90: solving tg512 of F16 and Q4_K_M together per GPU gives a common
//   fraction of 0.82-0.97 on every GDDR card (3090, 4090, 4080, A6000, 6000 Ada, L40S...)
//   plus a constant 2.2-3.4 ms per token, i.e. ~85 us per layer for 32 layers: the
//   launch-bound cost of ~20 kernels per layer (layer_overhead 85 us).
// - kv_stream 0.40: tg512 -> tg8192 slow-down with 128 KiB/token f16 KV, no flash attention.
// - prefill_compute 0.80 of the dense FP16 (FP32-accumulate) tensor peak: GeForce pp512
//   reaches 0.65-0.94 of it; prefill_traffic 6.65 B/parameter per 512-token micro-batch
//   (dequantised F16 copy + tile re-reads of the 2024 cuBLAS path) fitted jointly;
//   prefill_attention 0.20: pp512 -> pp8192 slow-down (KQ/softmax materialised, no FA).
constexpr BackendEfficiency cuda_constants{0.90, 0.90, 0.40, 85e-6, 0.80, 6.65, 0.20};

// Apple Metal: same source, M1/M1 Max/M2 Ultra/M3 Max Llama 3 8B rows. The joint fit gives
// 0.79 (Q4_K_M) to 0.89 (F16) of bandwidth and ~200 us per layer; KV at 0.16 (the Metal
// non-FA attention path of 2024 is slow at depth); prefill 0.64 of the FP16 peak with no
// extra traffic term (unified memory, no dequantised copies), attention at 0.32.
constexpr BackendEfficiency metal_constants{0.85, 0.85, 0.16, 200e-6, 0.64, 0.0, 0.32};

// Integrated GPUs on Vulkan/ROCm: estimation-facts.md 4.1 (Strix Halo 8060S, 256 GB/s,
// Llama-3.1-8B Q4_K_M tg 41.6 t/s, deseven/strixhalo-homelab #11; Llama-3.2-3B 88.14 t/s,
// geerlingguy/ai-benchmarks #21): 0.85 with 50 us per layer reproduces both within 6%.
// Prefill: 833 t/s = 13.4 effective TFLOPS of ~59 FP16 peak (40 CU x 2.9 GHz x 512
// FLOPs/clk WMMA) = 0.22. KV and attention borrow the CUDA values (no iGPU depth data).
constexpr BackendEfficiency igpu_constants{0.85, 0.85, 0.40, 50e-6, 0.22, 0.0, 0.20};

// CPU (ggml-cpu): 0.55 of datasheet bandwidth (estimation-facts.md 4.1: Pi 5 57%, Ryzen AI
// 340 53-57%, N150 47%); 0.63 of the read bandwidth `edgeplan audit --measure-memory`
// reports (this repository's harness VM: Llama-3.1-8B Q4_0/Q4_K_M/Q8_0 stream ~19.5 GB/s,
// first fitted as 0.70 of a 27.7 GB/s STREAM triad; the probe's 1 GiB median-of-5 read
// measures 31 GB/s on the same VM, so 0.70 x 27.7 / 31 = 0.63).
// Per-layer cost 0.45 ms: thread barriers between ~15 ops per layer on 2 threads (harness
// Llama-3.2-1B, 16 layers: 48-54 ms per token vs 39 ms of streaming). KV 0.12 and prefill
// 0.80 of cores x GHz x FP32 FLOPs/cycle from the same harness rows (pp128, depth 3072).
constexpr BackendEfficiency cpu_constants{0.55, 0.63, 0.12, 450e-6, 0.80, 0.0, 0.10};

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

bool has_feature(const CpuInfo& cpu, const std::string& name) {
    const auto found = cpu.isa.features.find(name);
    return found != cpu.isa.features.end() && found->second.value_or(false);
}

} // namespace

std::string_view backend_class_name(BackendClass backend) {
    switch (backend) {
    case BackendClass::cuda_discrete:
        return "CUDA";
    case BackendClass::apple_metal:
        return "Metal";
    case BackendClass::integrated_gpu:
        return "iGPU (Vulkan/ROCm)";
    case BackendClass::cpu:
        return "CPU";
    }
    return "CPU";
}

const BackendEfficiency& backend_efficiency(BackendClass backend) {
    switch (backend) {
    case BackendClass::cuda_discrete:
        return cuda_constants;
    case BackendClass::apple_metal:
        return metal_constants;
    case BackendClass::integrated_gpu:
        return igpu_constants;
    case BackendClass::cpu:
        return cpu_constants;
    }
    return cpu_constants;
}

std::optional<BackendClass> classify_gpu(const GpuDevice& gpu) {
    if (!gpu.vendor.value) {
        return std::nullopt;
    }
    const std::string vendor = lower(*gpu.vendor.value);
    const bool unified = gpu.memory_kind.value && *gpu.memory_kind.value == "unified";
    if (vendor.find("apple") != std::string::npos) {
        return BackendClass::apple_metal;
    }
    if (unified) {
        return BackendClass::integrated_gpu;
    }
    // Discrete: CUDA measurements are the only discrete-GPU calibration available; Radeon
    // (ROCm/Vulkan) and Arc discrete cards use them as the nearest stack.
    return BackendClass::cuda_discrete;
}

std::optional<double> cpu_flops_per_cycle(const CpuInfo& cpu) {
    const std::string vendor = lower(cpu.vendor.value.value_or(""));
    if (has_feature(cpu, "avx512f")) {
        // Zen 4/5 execute 512-bit ops on 256-bit pipes (double pumping): AVX2 rate.
        return vendor.find("amd") != std::string::npos ? 32.0 : 64.0;
    }
    if (has_feature(cpu, "avx2") && has_feature(cpu, "fma")) {
        return 32.0; // two 256-bit FMA ports x 8 lanes x 2 FLOPs
    }
    if (has_feature(cpu, "neon")) {
        return vendor.find("apple") != std::string::npos ? 32.0 : 16.0;
    }
    if (has_feature(cpu, "avx")) {
        return 16.0; // no FMA: one 256-bit add + one multiply per cycle
    }
    return std::nullopt;
}

} // namespace edgeplan
