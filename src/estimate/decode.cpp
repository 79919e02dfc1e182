// Decode is memory-bound: each step streams every active weight once and the KV cache of
// the current context, device after device (llama.cpp layer split is sequential at batch
// 1), plus a fixed cost per layer. estimation-facts.md 4.1. Tensor-parallel ranks stream
// their slices at the same time and then all-reduce (tensor_parallel.hpp).
#include "speed_internal.hpp"

#include <edgeplan/estimate/speed.hpp>

#include <algorithm>
#include <cmath>

namespace edgeplan {

namespace detail {

Status check_devices(const std::vector<DeviceShare>& devices, const std::string& where) {
    if (devices.empty()) {
        return make_error(ExitCode::internal, where, "no device carries the model");
    }
    for (const DeviceShare& device : devices) {
        if (!(device.bandwidth_gbps > 0) || !std::isfinite(device.bandwidth_gbps)) {
            return make_error(ExitCode::internal, where,
                              "device " + device.device_id + " has no memory bandwidth");
        }
        if (device.weight_bytes < 0 || device.kv_bytes_per_context_token < 0 ||
            device.state_bytes < 0 || device.layers < 0) {
            return make_error(ExitCode::internal, where,
                              "device " + device.device_id + " has a negative byte count");
        }
    }
    return Done{};
}

double streaming_bytes_per_s(const DeviceShare& device) {
    const BackendEfficiency& eff = backend_efficiency(device.backend);
    const double fraction = device.bandwidth_kind == BandwidthKind::measured
                                ? eff.weight_stream_fraction_measured
                                : eff.weight_stream_fraction;
    return device.bandwidth_gbps * 1e9 * fraction;
}

double kv_bytes_per_s(const DeviceShare& device) {
    const BackendEfficiency& eff = backend_efficiency(device.backend);
    // The KV fraction is relative to the weight-streaming rate's reference (peak or measured).
    const double scale = device.bandwidth_kind == BandwidthKind::measured
                             ? eff.weight_stream_fraction_measured / eff.weight_stream_fraction
                             : 1.0;
    return device.bandwidth_gbps * 1e9 * eff.kv_stream_fraction * scale;
}

const TensorParallelGroup* tensor_parallel_group(const std::vector<DeviceShare>& devices) {
    if (devices.empty()) {
        return nullptr;
    }
    for (const DeviceShare& device : devices) {
        if (!device.tensor_parallel) {
            return nullptr;
        }
    }
    return &*devices.front().tensor_parallel;
}

double sync_time_s(const std::vector<DeviceShare>& devices, double tokens) {
    const TensorParallelGroup* group = tensor_parallel_group(devices);
    return group != nullptr ? tensor_parallel_sync_s(*group, tokens) : 0.0;
}

double step_weight_bytes(const DeviceShare& device, double tokens) {
    if (device.routed_expert_bytes <= 0 || device.experts <= 0 || device.experts_per_token <= 0 ||
        tokens <= 1.0) {
        return device.weight_bytes;
    }
    const double e = device.experts;
    const double k = std::min<double>(device.experts_per_token, e);
    const double union_experts = e * (1.0 - std::pow(1.0 - k / e, tokens));
    return device.weight_bytes - device.routed_expert_bytes +
           device.routed_expert_bytes * union_experts / k;
}

double memory_time_s(const std::vector<DeviceShare>& devices, double context_tokens,
                     double streams, double* weights_s, double* kv_s, double* overhead_s,
                     double step_tokens) {
    // Tensor-parallel ranks read their slices at the same time: the slowest rank sets each
    // part. A layer split (llama.cpp -sm layer) runs the devices in turn: the parts add.
    const bool parallel = tensor_parallel_group(devices) != nullptr;
    auto combine = [parallel](double total, double part) {
        return parallel ? std::max(total, part) : total + part;
    };
    double w = 0;
    double kv = 0;
    double over = 0;
    for (const DeviceShare& device : devices) {
        w = combine(w, step_weight_bytes(device, step_tokens) / streaming_bytes_per_s(device));
        kv = combine(kv, streams *
                             (device.kv_bytes_per_context_token * context_tokens +
                              device.state_bytes) /
                             kv_bytes_per_s(device));
        over = combine(over, device.layers * backend_efficiency(device.backend).layer_overhead_s);
    }
    if (!parallel) {
        over += static_cast<double>(devices.size() - 1) * device_hop_overhead_s;
    }
    if (weights_s != nullptr) {
        *weights_s = w;
    }
    if (kv_s != nullptr) {
        *kv_s = kv;
    }
    if (overhead_s != nullptr) {
        *overhead_s = over;
    }
    return w + kv + over;
}

} // namespace detail

Result<DecodeStep> decode_step(const std::vector<DeviceShare>& devices, double context_tokens) {
    if (Status ok = detail::check_devices(devices, "decode"); !ok) {
        return ok.error();
    }
    DecodeStep step;
    step.context_tokens = std::max(0.0, context_tokens);
    detail::memory_time_s(devices, step.context_tokens, 1.0, &step.weights_s, &step.kv_s,
                          &step.overhead_s);
    step.overhead_s += detail::sync_time_s(devices, 1.0);
    return step;
}

Result<DecodeEstimate> estimate_decode(const DecodeInputs& inputs) {
    const double full = std::max(inputs.full_context_tokens, 0.0);
    const double short_ctx = full > 0 ? std::min(inputs.short_context_tokens, full)
                                      : inputs.short_context_tokens;
    Result<DecodeStep> short_step = decode_step(inputs.devices, short_ctx);
    if (!short_step) {
        return short_step.error();
    }
    Result<DecodeStep> full_step = decode_step(inputs.devices, full);
    if (!full_step) {
        return full_step.error();
    }
    return DecodeEstimate{*short_step, *full_step};
}

Result<double> decode_tokens_per_s_over_run(const std::vector<DeviceShare>& devices,
                                            double prompt_tokens, double generated_tokens) {
    if (!(generated_tokens >= 1)) {
        return make_error(ExitCode::internal, "decode", "no tokens generated");
    }
    // Step time is linear in the context, so the mean over the run is the step at the
    // mean context: prompt + (N - 1) / 2.
    Result<DecodeStep> mean_step =
        decode_step(devices, std::max(0.0, prompt_tokens) + (generated_tokens - 1) / 2.0);
    if (!mean_step) {
        return mean_step.error();
    }
    return mean_step->tokens_per_s();
}

} // namespace edgeplan
