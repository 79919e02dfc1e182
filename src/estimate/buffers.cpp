// Runtime buffers and overheads. The compute-buffer phases are a model of what ggml-alloc
// keeps live at the peak of llama.cpp's graph; the coefficients (3 and 5.5 hidden-state
// rows) come from the harness runs, the rest is tensor arithmetic.
#include <edgeplan/estimate/buffers.hpp>
#include <edgeplan/estimate/model_tensors.hpp>

#include <algorithm>

namespace edgeplan {

namespace {

constexpr double f32_bytes = 4.0;

/// KV cells a layer attends to: full layers n_kv, sliding layers at most their window plus
/// the micro-batch rounded to 256 (llama-kv-cache-iswa.cpp size_swa).
double attended_cells(const ModelArchitecture& arch, int layer, const ComputeGraphShape& g) {
    if (!layer_is_sliding(arch, layer)) {
        return g.n_kv;
    }
    const int window = arch.sliding_window->window_tokens + g.n_tokens;
    const int padded = (window + 255) / 256 * 256;
    return std::min(g.n_kv, padded);
}

} // namespace

std::uint64_t llama_cpp_compute_buffer_bytes(const ModelArchitecture& arch,
                                             const ComputeGraphShape& g) {
    const double embd = arch.hidden_size.value_or(0);
    const double vocab = arch.vocab_size.value_or(0);
    const double n_head = arch.attention_heads.value_or(0);
    const double tokens = g.n_tokens;
    double ff = arch.ffn_size.value_or(0);
    if (arch.moe) {
        // mul_mat_id writes [expert_ff, experts_per_token, n_tokens] for gate and up.
        ff = std::max(ff, static_cast<double>(arch.moe->expert_ffn_size) *
                              std::max(1, arch.moe->experts_per_token));
    }
    // Logits phase: the [n_vocab, n_outputs] f32 result beside the final hidden states
    // (harness CPU: +2 or +3 rows of n_embd x n_tokens by shape; CUDA log for Llama-3-8B:
    // +1; 2 keeps every one within 1.5%).
    const double logits = f32_bytes * vocab * g.n_outputs + 2.0 * f32_bytes * tokens * embd;
    // FFN phase: gate and up outputs live together with the residual stream.
    const double ffn = f32_bytes * tokens * (2.0 * ff + 3.0 * embd);
    // Attention phase: without flash attention the f32 KQ scores of every head and the f32
    // mask ([n_kv, n_tokens]) are live with ~5.5 hidden-state rows (harness, 1B and 8B:
    // 286.01 / 308.01 MiB at ctx 4096 = 256 KQ + 8 mask + 22 / 44).
    double max_cells = 0;
    const int layers = arch.layers.value_or(0);
    for (int il = 0; il < layers; ++il) {
        if (!layer_is_recurrent(arch, il)) {
            max_cells = std::max(max_cells, attended_cells(arch, il, g));
        }
    }
    double attention = 5.5 * f32_bytes * tokens * embd;
    if (g.flash_attention == FlashAttention::off) {
        attention += f32_bytes * max_cells * tokens * (n_head + 1.0);
    } else {
        attention += 2.0 * max_cells * tokens; // f16 mask only; FA tiles the scores
    }
    return static_cast<std::uint64_t>(std::max({logits, ffn, attention}));
}

std::uint64_t llama_cpp_compute_reserve_bytes(const ModelArchitecture& arch, int n_ctx,
                                              int n_ubatch, FlashAttention fa) {
    ComputeGraphShape g;
    g.n_tokens = n_ubatch;
    g.n_outputs = n_ubatch; // graph_reserve assumes every token may produce logits
    g.n_kv = (n_ctx + 255) / 256 * 256;
    g.flash_attention = fa;
    return llama_cpp_compute_buffer_bytes(arch, g);
}

std::uint64_t llama_cpp_output_buffer_bytes(const ModelArchitecture& arch, int n_seq) {
    return static_cast<std::uint64_t>(arch.vocab_size.value_or(0)) * 4u *
           static_cast<std::uint64_t>(std::max(1, n_seq));
}

std::uint64_t llama_cpp_host_overhead_bytes(const ModelArchitecture& arch) {
    // Harness fit (results.csv, 48 runs): RSS - baseline - file pages - CPU/REPACK buffers -
    // KV - output buffer - touched compute = 45-55 MiB at a 32k vocabulary, 80-128 MiB at
    // 128k, 107-144 MiB at 152k, 186-205 MiB at 262k. Vocabulary tables (token strings,
    // token->id maps, BPE ranks, the sampler's candidate arrays) scale with n_vocab; ggml
    // contexts, thread pools and allocator arenas are roughly fixed. The harness process is
    // node-llama-cpp, whose own per-token copies are in these figures: for llama-server
    // this errs high by tens of MiB, the safe side for a fit check.
    constexpr double fixed = 30.0 * (1 << 20);
    constexpr double per_token = 630.0;
    return static_cast<std::uint64_t>(fixed + per_token * arch.vocab_size.value_or(0));
}

std::uint64_t llama_cpp_cpu_work_bytes(const ModelArchitecture& arch, const ComputeGraphShape& g) {
    if (g.flash_attention == FlashAttention::on) {
        return 0;
    }
    // ggml-cpu converts the f32 softmax(KQ) to the V cache's f16 for the KQ.V product in its
    // per-graph work buffer (ggml_graph_plan wsize), outside the logged compute buffer.
    // Harness: 1B at 3072+512 tokens used 100 MiB more than the compute graph; this term is
    // 3584 x 512 x 32 x 2 B = 112 MiB.
    return static_cast<std::uint64_t>(2.0 * g.n_kv * g.n_tokens * arch.attention_heads.value_or(0));
}

std::uint64_t cuda_context_bytes(std::optional<int> sm_count) {
    if (!sm_count) {
        return 512ull << 20;
    }
    // Linear between the two measured points: 34 SMs (RTX 4060 Ti) 107 MiB, 188 SMs (RTX
    // PRO 6000 Blackwell) 555 MiB; ~2.9 MiB per SM.
    const double mib = 107.0 + (555.0 - 107.0) * (static_cast<double>(*sm_count) - 34.0) / 154.0;
    return static_cast<std::uint64_t>(std::max(100.0, mib) * (1 << 20));
}

std::uint64_t system_memory_usable_bytes(std::uint64_t total_bytes, HostRole role) {
    const std::uint64_t reserve = role == HostRole::desktop ? (4ull << 30) : (1ull << 30);
    return total_bytes > reserve ? total_bytes - reserve : 0;
}

std::uint64_t apple_gpu_working_set_bytes(std::uint64_t ram_bytes) {
    constexpr std::uint64_t threshold = 36ull * 1000 * 1000 * 1000; // 36 GB, Apple's sizes
    if (ram_bytes <= threshold) {
        return ram_bytes / 3 * 2;
    }
    return ram_bytes / 4 * 3;
}

} // namespace edgeplan
