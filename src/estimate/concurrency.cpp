// Continuous batching: b streams decode together; one step reads the weights once, each
// stream's KV cache, and multiplies b tokens. Throughput grows ~linearly in b while weight
// streaming dominates, then flattens when the matrix work overtakes it (the knee) or the KV
// memory runs out (max_streams, from the memory side). estimation-facts.md 4.3.
#include "speed_internal.hpp"

#include <edgeplan/estimate/speed.hpp>

#include <algorithm>

namespace edgeplan {

namespace {

// Fraction of the backend's prefill compute efficiency an engine's batched decode kernels
// reach. vLLM (paged attention, CUDA graphs, batched GEMM) is the reference, 1.0.
// llama.cpp's server batches slots into one ubatch too, but its small-batch quantised
// matmul paths (MMVQ up to 8 columns, then MMQ) run well below the large-ubatch rate:
// 0.5 is a documented assumption, not a fit (no paired measurement was available).
double engine_batch_fraction(BatchingEngine engine) {
    return engine == BatchingEngine::vllm ? 1.0 : 0.5;
}

// Matrix work of `tokens` tokens across the devices, seconds; 0 when any peak is unknown.
double compute_time_s(const std::vector<DeviceShare>& devices, BatchingEngine engine,
                      double tokens, bool* known) {
    double total = 0;
    *known = true;
    // Tensor-parallel ranks multiply their slices at the same time (slowest rank); a
    // layer split's devices in turn (sum).
    const bool parallel = detail::tensor_parallel_group(devices) != nullptr;
    for (const DeviceShare& device : devices) {
        if (!device.compute_tflops || !(*device.compute_tflops > 0)) {
            *known = false;
            return 0;
        }
        const double rate = *device.compute_tflops * 1e12 *
                            backend_efficiency(device.backend).prefill_compute_fraction *
                            engine_batch_fraction(engine);
        const double part = 2.0 * device.active_parameters * tokens / rate;
        total = parallel ? std::max(total, part) : total + part;
    }
    return total;
}

} // namespace

Result<double> batched_step_s(const std::vector<DeviceShare>& devices, BatchingEngine engine,
                              double context_tokens, double streams, double batch_tokens) {
    if (Status ok = detail::check_devices(devices, "concurrency"); !ok) {
        return ok.error();
    }
    double weights_s = 0;
    double kv_s = 0;
    double overhead_s = 0;
    detail::memory_time_s(devices, context_tokens, streams, &weights_s, &kv_s, &overhead_s,
                          batch_tokens);
    bool known = false;
    const double compute_s = compute_time_s(devices, engine, batch_tokens, &known);
    // Roofline: weight streaming and the matrix products overlap; KV reads, the fixed
    // per-layer costs and tensor-parallel all-reduces (message grows with the batch) do not.
    return std::max(weights_s, compute_s) + kv_s + overhead_s +
           detail::sync_time_s(devices, batch_tokens);
}

Result<ConcurrencyEstimate> estimate_concurrency(const ConcurrencyInputs& inputs) {
    if (Status ok = detail::check_devices(inputs.devices, "concurrency"); !ok) {
        return ok.error();
    }
    if (inputs.max_streams < 1) {
        return make_error(ExitCode::internal, "concurrency", "max_streams must be >= 1");
    }
    ConcurrencyEstimate estimate;
    for (int b = 1; b <= inputs.max_streams; ++b) {
        const double streams = static_cast<double>(b);
        // MoE: the weights a step reads grow with the batch (the union of its experts).
        double weights_s = 0;
        detail::memory_time_s(inputs.devices, inputs.context_tokens, 1.0, &weights_s, nullptr,
                              nullptr, streams);
        Result<double> step =
            batched_step_s(inputs.devices, inputs.engine, inputs.context_tokens, streams, streams);
        if (!step) {
            return step.error();
        }
        bool known = false;
        const double compute_s = compute_time_s(inputs.devices, inputs.engine, streams, &known);
        ConcurrencyPoint point;
        point.streams = b;
        point.aggregate_tokens_per_s = streams / *step;
        point.per_stream_tokens_per_s = 1.0 / *step;
        point.compute_bound = known && compute_s > weights_s;
        if (point.compute_bound && !estimate.knee_streams) {
            estimate.knee_streams = b;
        }
        estimate.points.push_back(point);
    }
    return estimate;
}

} // namespace edgeplan
