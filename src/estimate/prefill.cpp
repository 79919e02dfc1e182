// Prompt processing is compute-bound: 2 FLOPs per active parameter per token plus the
// attention scores, which grow with the position (estimation-facts.md 4.2). llama.cpp
// processes the prompt in micro-batches of n_ubatch tokens; with a layer split it keeps
// n_batch / n_ubatch micro-batches in flight, so devices overlap (pipeline parallelism).
#include "speed_internal.hpp"

#include <edgeplan/estimate/speed.hpp>

#include <algorithm>
#include <cmath>

namespace edgeplan {

namespace {

// One micro-batch of `tokens` tokens whose mean position is `mean_position`, on one device.
double ubatch_time_s(const DeviceShare& device, double tokens, double mean_position,
                     bool native_precision_gemm) {
    const BackendEfficiency& eff = backend_efficiency(device.backend);
    const double flops_per_s = *device.compute_tflops * 1e12;
    const double matmul_s =
        2.0 * device.active_parameters * tokens / (flops_per_s * eff.prefill_compute_fraction);
    // Extra traffic per micro-batch that does not shrink with its size: dequantised weight
    // copies and GEMM tile re-reads (0 on backends where none is observed, and for engines
    // that multiply in the weights' own type: measured TensorRT-LLM TTFT, docs/estimation.md).
    const double traffic_per_param =
        native_precision_gemm ? 0.0 : eff.prefill_traffic_bytes_per_param;
    const double extra_traffic_s =
        device.active_parameters * traffic_per_param / (device.bandwidth_gbps * 1e9);
    const double attention_s = device.attention_flops_per_context_token * mean_position * tokens /
                               (flops_per_s * eff.prefill_attention_fraction);
    const double overhead_s = device.layers * eff.layer_overhead_s;
    // The weights are streamed once per micro-batch, overlapped with the matrix products:
    // small micro-batches are bandwidth-bound, large ones compute-bound (the ubatch curve).
    const double stream_s = device.weight_bytes / detail::streaming_bytes_per_s(device);
    return std::max(matmul_s, stream_s) + extra_traffic_s + attention_s + overhead_s;
}

} // namespace

Result<PrefillEstimate> estimate_prefill(const PrefillInputs& inputs) {
    if (Status ok = detail::check_devices(inputs.devices, "prefill"); !ok) {
        return ok.error();
    }
    for (const DeviceShare& device : inputs.devices) {
        if (!device.compute_tflops || !(*device.compute_tflops > 0)) {
            return make_error(ExitCode::internal, "prefill",
                              "device " + device.device_id + " has no known compute peak");
        }
    }
    if (!(inputs.prompt_tokens >= 1) || !(inputs.ubatch_tokens >= 1)) {
        return make_error(ExitCode::internal, "prefill", "prompt and micro-batch must be >= 1");
    }
    const double prompt = inputs.prompt_tokens;
    const double ubatch = std::min(inputs.ubatch_tokens, prompt);
    const double batch = std::max(std::min(inputs.batch_tokens, prompt), ubatch);
    // Attention work is linear in position, so every micro-batch is charged the prompt's
    // mean position: the total is exact; only the pipeline's per-stage maximum is smoothed.
    const double mean_position = std::max(0.0, inputs.cached_tokens) + (prompt - 1) / 2.0;

    const bool parallel = detail::tensor_parallel_group(inputs.devices) != nullptr;
    double total_s = 0;
    double serial_s = 0;
    double remaining = prompt;
    while (remaining > 0) {
        const double batch_tokens = std::min(batch, remaining);
        const double ubatches = std::ceil(batch_tokens / ubatch);
        const double tokens_per_ubatch = batch_tokens / ubatches;
        double sum_stage_s = 0;
        double max_stage_s = 0;
        for (const DeviceShare& device : inputs.devices) {
            const double stage = ubatch_time_s(device, tokens_per_ubatch, mean_position,
                                               inputs.native_precision_gemm);
            sum_stage_s += stage;
            max_stage_s = std::max(max_stage_s, stage);
        }
        if (parallel) {
            // Tensor parallel: every rank works on every micro-batch at once (slowest
            // rank), then all-reduces its activations; micro-batches follow one another.
            const double ubatch_s =
                max_stage_s + detail::sync_time_s(inputs.devices, tokens_per_ubatch);
            total_s += ubatches * ubatch_s;
            serial_s += ubatches * ubatch_s;
        } else {
            // Pipeline: the first micro-batch crosses every device, the others follow one
            // slowest stage apart. One device: ubatches x stage.
            total_s += sum_stage_s + (ubatches - 1) * max_stage_s;
            serial_s += ubatches * sum_stage_s;
        }
        remaining -= batch_tokens;
    }

    PrefillEstimate estimate;
    estimate.prompt_s = total_s;
    estimate.tokens_per_s = prompt / total_s;
    estimate.pipeline_speedup = serial_s / total_s;
    Result<DecodeStep> first =
        decode_step(inputs.devices, std::max(0.0, inputs.cached_tokens) + prompt);
    if (!first) {
        return first.error();
    }
    estimate.ttft_s = total_s + first->total_s();
    return estimate;
}

} // namespace edgeplan
