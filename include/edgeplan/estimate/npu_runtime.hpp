#pragma once

// Memory and speed of a model compiled for an NPU runtime (Qualcomm Genie, OpenVINO on Intel
// NPU, ONNX Runtime GenAI on AMD XDNA, Core ML on the ANE). The graph is fixed-shape: the KV
// cache is sized for the compiled context whatever the prompt. Speed comes from the vendor's
// published figures for the chip when there are some; otherwise only a bandwidth bound is
// known and the NPU's efficiency is unknown, so the rate stays unknown. docs/estimation.md
// ("NPU runtimes").

#include <cstdint>
#include <optional>
#include <string>

namespace edgeplan {

/// What the NPU estimate reads: typed, with units in the names.
struct NpuInputs {
    /// Published artifact size; when absent the weights are parameters x bits / 8.
    std::optional<std::uint64_t> artifact_size_bytes;
    std::optional<std::uint64_t> parameters;
    std::optional<double> bits_per_weight; ///< the quantization's nominal weight bits
    // Architecture for the KV cache: 2 (K, V) x layers x kv_heads x head_dim x context.
    int layers = 0;
    int kv_heads = 0;
    int head_dim = 0;
    int context_tokens = 0;           ///< the compiled context (or the requested one)
    double kv_bytes_per_element = 2;  ///< 16-bit activations (w4a16 / a16 graphs)
    std::uint64_t overhead_bytes = 0; ///< runtime overhead (tokenizer tables, sampler...)
    std::uint64_t usable_bytes = 0;   ///< memory the NPU may use (shared RAM on SoCs)
    // Published figures for this chip (all three absent when there are none).
    std::optional<double> published_decode_tokens_per_s;
    std::optional<double> published_ttft_ms_min; ///< one prompt-processor pass
    std::optional<int> prompt_chunk_tokens;      ///< tokens per pass (Genie: 128)
    int prompt_tokens = 0;
    /// Peak memory bandwidth of the SoC, GB/s (0: unknown): bounds decode when no figure.
    double bandwidth_gbps = 0;
};

/// Memory and speed of one NPU artifact on one machine.
struct NpuEstimate {
    std::uint64_t weights_bytes = 0;
    std::string weights_basis; ///< "published size 2.62 GB" or "3.21e9 params x 4 bits"
    std::uint64_t kv_bytes = 0;
    std::uint64_t overhead_bytes = 0;
    std::uint64_t usable_bytes = 0;
    [[nodiscard]] std::uint64_t total_bytes() const {
        return weights_bytes + kv_bytes + overhead_bytes;
    }
    [[nodiscard]] bool fits() const { return usable_bytes > 0 && total_bytes() <= usable_bytes; }
    std::optional<double> decode_tokens_per_s; ///< published only; nullopt otherwise
    std::optional<double> ttft_ms;             ///< published per-pass latency x passes
    /// Bandwidth bound on decode (bytes read per token at peak bandwidth), when computable.
    std::optional<double> decode_bound_tokens_per_s;
    std::string speed_basis; ///< where the speed came from, or why it is unknown
};

/// Estimates one NPU artifact. nullopt when neither a size nor parameters x bits is known,
/// or the architecture lacks the KV dimensions.
std::optional<NpuEstimate> estimate_npu(const NpuInputs& in);

} // namespace edgeplan
