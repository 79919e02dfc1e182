// NPU runtime memory and speed (docs/estimation.md, "NPU runtimes"): weights from the
// published size or parameters x bits, the KV cache at the compiled context, a runtime
// overhead, against the memory the NPU may use; decode and TTFT from the vendor's figures.
#include <edgeplan/estimate/npu_runtime.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace edgeplan {

namespace {

std::string two_decimals(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
}

} // namespace

std::optional<NpuEstimate> estimate_npu(const NpuInputs& in) {
    NpuEstimate e;
    if (in.artifact_size_bytes) {
        e.weights_bytes = *in.artifact_size_bytes;
        e.weights_basis = "published size " + two_decimals(static_cast<double>(*in.artifact_size_bytes) / 1e9) + " GB";
    } else if (in.parameters && in.bits_per_weight) {
        e.weights_bytes = static_cast<std::uint64_t>(
            std::ceil(static_cast<double>(*in.parameters) * *in.bits_per_weight / 8.0));
        e.weights_basis = two_decimals(static_cast<double>(*in.parameters) / 1e9) +
                          "e9 parameters x " + two_decimals(*in.bits_per_weight) + " bits";
    } else {
        return std::nullopt;
    }
    if (in.layers <= 0 || in.kv_heads <= 0 || in.head_dim <= 0 || in.context_tokens <= 0) {
        return std::nullopt;
    }
    // A fixed-shape graph holds K and V for every position of the compiled context.
    e.kv_bytes = static_cast<std::uint64_t>(2.0 * in.layers * in.kv_heads * in.head_dim *
                                            static_cast<double>(in.context_tokens) *
                                            in.kv_bytes_per_element);
    e.overhead_bytes = in.overhead_bytes;
    e.usable_bytes = in.usable_bytes;

    if (in.bandwidth_gbps > 0) {
        // Decode reads every weight and the whole (fixed-size) KV cache once per token.
        e.decode_bound_tokens_per_s =
            in.bandwidth_gbps * 1e9 / static_cast<double>(e.weights_bytes + e.kv_bytes);
    }
    if (in.published_decode_tokens_per_s) {
        e.decode_tokens_per_s = in.published_decode_tokens_per_s;
        if (in.published_ttft_ms_min && in.prompt_chunk_tokens && *in.prompt_chunk_tokens > 0) {
            // The prompt processor runs whole passes of prompt_chunk_tokens; the published
            // minimum is one pass (the published maximum is min x context / chunk).
            const int passes = std::max(
                1, (in.prompt_tokens + *in.prompt_chunk_tokens - 1) / *in.prompt_chunk_tokens);
            e.ttft_ms = *in.published_ttft_ms_min * passes;
        }
    } else {
        e.speed_basis = "no published figure for this chip; NPU efficiency unknown";
        if (e.decode_bound_tokens_per_s) {
            e.speed_basis +=
                " (bandwidth bound " + two_decimals(*e.decode_bound_tokens_per_s) + " tok/s)";
        }
    }
    return e;
}

} // namespace edgeplan
