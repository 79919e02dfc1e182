#pragma once

// Throughput physics: decode (memory-bound), prefill (compute-bound), continuous batching,
// speculative decoding, sustained power. Pure functions of typed inputs; the byte counts
// per device come from the memory side (weights active per token, KV bytes per token).
// Formulas, constants and measured error: docs/estimation-speed.md.

#include <edgeplan/core/result.hpp>
#include <edgeplan/estimate/calibration.hpp>
#include <edgeplan/estimate/tensor_parallel.hpp>

#include <optional>
#include <string>
#include <vector>

namespace edgeplan {

/// One device's part of a forward pass (a layer split gives each device a share).
struct DeviceShare {
    std::string device_id; ///< "gpu0", "cpu": for reports only
    BackendClass backend = BackendClass::cpu;
    double bandwidth_gbps = 0; ///< memory bandwidth, GB/s (10^9 B/s); > 0
    BandwidthKind bandwidth_kind = BandwidthKind::peak;
    /// Compute peak in TFLOPS: GPU dense FP16 tensor (FP32 accumulate) as the catalogue
    /// records it; CPU cores x GHz x FP32 FLOPs/cycle. nullopt: unknown (prefill unknown).
    std::optional<double> compute_tflops;
    /// Weight bytes streamed per decode step on this device: active weights of its layers,
    /// including an untied output matrix, excluding the input embedding (one row is read).
    double weight_bytes = 0;
    /// Parameters multiplied per token on this device (2 FLOPs each), same rule as bytes.
    double active_parameters = 0;
    /// MoE: the part of weight_bytes that is routed experts (experts_per_token of `experts`
    /// per layer). A batch of b tokens reads the union of their experts, expected
    /// experts x (1 - (1 - k / experts)^b) per layer under uniform routing, not k.
    double routed_expert_bytes = 0;
    int experts = 0;
    int experts_per_token = 0;
    /// KV-cache bytes read per decode step per token of context on this device.
    double kv_bytes_per_context_token = 0;
    /// Recurrent-state bytes read and written per decode step (Mamba/DeltaNet), per sequence.
    double state_bytes = 0;
    /// Layers on this device (sets the per-layer overhead).
    int layers = 0;
    /// Attention FLOPs per token per context position: 4 x layers x n_head x head_dim.
    double attention_flops_per_context_token = 0;
    /// Set on every share of a tensor-parallel group (each one rank's 1/ranks of every
    /// layer): the shares then run at the same time, a step costs the slowest rank plus
    /// the group's all-reduces. Absent: a layer split, devices in sequence.
    std::optional<TensorParallelGroup> tensor_parallel;
};

/// Everything decode speed depends on.
struct DecodeInputs {
    std::vector<DeviceShare> devices;  ///< in pipeline order; at least one
    double short_context_tokens = 512; ///< context of the "short" figure
    double full_context_tokens = 0;    ///< the configured context (n_ctx)
};

/// Time per output token at one context length, split by cause.
struct DecodeStep {
    double context_tokens = 0;
    double weights_s = 0;  ///< streaming weights (all devices)
    double kv_s = 0;       ///< reading the KV cache and recurrent state
    double overhead_s = 0; ///< per-layer launches/sync, device hops, tensor-parallel all-reduces
    [[nodiscard]] double total_s() const {
        return weights_s + kv_s + overhead_s;
    }
    [[nodiscard]] double tokens_per_s() const {
        return 1.0 / total_s();
    }
};

/// Single-stream decode at a short and at the full context.
struct DecodeEstimate {
    DecodeStep short_context;
    DecodeStep full_context;
};

/// Decode time of one step at `context_tokens` (0 = empty cache).
Result<DecodeStep> decode_step(const std::vector<DeviceShare>& devices, double context_tokens);

/// TPOT and tok/s at inputs.short_context_tokens and inputs.full_context_tokens.
Result<DecodeEstimate> estimate_decode(const DecodeInputs& inputs);

/// Average decode rate over generating `generated_tokens` after a `prompt_tokens` prompt
/// (llama-bench tgN: N tokens from an empty cache averages the context over 0..N).
Result<double> decode_tokens_per_s_over_run(const std::vector<DeviceShare>& devices,
                                            double prompt_tokens, double generated_tokens);

/// Prompt-processing settings (llama.cpp defaults: -b 2048 -ub 512).
struct PrefillInputs {
    std::vector<DeviceShare> devices;
    double prompt_tokens = 512;
    double cached_tokens = 0;   ///< context already in the cache before the prompt (llama-bench -d)
    double ubatch_tokens = 512; ///< micro-batch n_ubatch
    double batch_tokens = 2048; ///< logical batch n_batch: micro-batches in flight across a split
    /// Paged engines (vLLM, TensorRT-LLM) multiply BF16/FP16/FP8 weights in their own
    /// type: no dequantised copies, so llama.cpp's extra traffic per micro-batch (beta) is 0.
    /// Integer formats (AWQ, GPTQ) keep it.
    bool native_precision_gemm = false;
};

/// Prompt processing: rate and time to first token.
struct PrefillEstimate {
    double tokens_per_s = 0;
    double prompt_s = 0;         ///< time to process the prompt
    double ttft_s = 0;           ///< prompt_s plus one decode step at the prompt's context
    double pipeline_speedup = 1; ///< gain from overlapping micro-batches across devices
};

/// Prefill of inputs.prompt_tokens. Fails when a device's compute peak is unknown.
Result<PrefillEstimate> estimate_prefill(const PrefillInputs& inputs);

/// Which serving engine batches the streams: their batched kernels differ in efficiency.
enum class BatchingEngine { llama_cpp_server, vllm };

/// Continuous-batching sweep inputs.
struct ConcurrencyInputs {
    std::vector<DeviceShare> devices;
    BatchingEngine engine = BatchingEngine::llama_cpp_server;
    double context_tokens = 0; ///< average context per stream during generation
    int max_streams = 1;       ///< most concurrent sequences the KV memory holds (memory side)
};

/// Throughput with `streams` sequences decoding together.
struct ConcurrencyPoint {
    int streams = 0;
    double aggregate_tokens_per_s = 0;
    double per_stream_tokens_per_s = 0;
    bool compute_bound = false; ///< the batch's matrix work exceeds its memory time
};

/// The sweep 1..max_streams and the knee (first stream count that is compute-bound;
/// nullopt when memory runs out first).
struct ConcurrencyEstimate {
    std::vector<ConcurrencyPoint> points;
    std::optional<int> knee_streams;
};

/// aggregate(b) = b / (t_weights + b t_kv(ctx) + t_compute(b)) for b = 1..max_streams.
Result<ConcurrencyEstimate> estimate_concurrency(const ConcurrencyInputs& inputs);

/// Seconds of one decode step that processes `batch_tokens` tokens for `streams`
/// sequences (weights read once, KV read per stream, compute for every token).
Result<double> batched_step_s(const std::vector<DeviceShare>& devices, BatchingEngine engine,
                              double context_tokens, double streams, double batch_tokens);

/// Speculative decoding settings.
struct SpeculativeInputs {
    double acceptance = 0.7;    ///< per-token acceptance a, 0 <= a < 1
    int draft_tokens = 5;       ///< draft length g
    double target_step_s = 0;   ///< target's decode step at batch 1 (decode_step)
    double target_verify_s = 0; ///< target's step verifying g+1 tokens (batched_step_s)
    double draft_step_s = 0;    ///< draft model's decode step
};

/// Expected gain of speculative decoding.
struct SpeculativeEstimate {
    double tokens_per_target_pass = 1; ///< (1 - a^(g+1)) / (1 - a)
    double cost_ratio = 0;             ///< c = draft step / target step
    double speedup = 1;                ///< tokens per pass x t_step / (g t_draft + t_verify)
};

/// Leviathan et al. 2023 (arXiv 2211.17192) with the verification cost measured by the
/// batched model, so MoE (more experts per verify) and concurrency shrink the gain.
Result<SpeculativeEstimate> estimate_speculative(const SpeculativeInputs& inputs);

/// Fraction of a MoE layer's experts touched by `tokens` tokens each routed to `top_k` of
/// `experts` (independent routing): 1 - (1 - k/E)^tokens.
double moe_expert_coverage(int experts, int top_k, double tokens);

/// Cooling as the power model needs it.
enum class Cooling { active, passive, unknown };

/// Power settings from the hardware profile.
struct PowerInputs {
    std::optional<double> tdp_watts;          ///< sustained package/board power budget
    std::optional<double> sustained_fraction; ///< sustained / peak throughput under long load
    Cooling cooling = Cooling::unknown;
    double peak_tokens_per_s = 0; ///< decode rate before throttling
};

/// Sustained throughput and energy per token.
struct PowerEstimate {
    double sustained_tokens_per_s = 0;
    double sustained_fraction = 1;               ///< the fraction used
    bool sustained_fraction_assumed = false;     ///< true when a default was applied
    std::optional<double> joules_per_token_peak; ///< TDP / peak tok/s; nullopt without TDP
    std::optional<double> joules_per_token_sustained;
};

/// Sustained vs peak decode and J/token = watts / tok/s (TDP as the power draw: an upper
/// bound for memory-bound decode).
Result<PowerEstimate> estimate_power(const PowerInputs& inputs);

} // namespace edgeplan
