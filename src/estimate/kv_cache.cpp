// KV cache sizes. Every rule cites the engine source it transcribes; the figures it must
// reproduce are in tests/unit/estimate_kv_cache_test.cpp.
#include <edgeplan/estimate/kv_cache.hpp>
#include <edgeplan/estimate/model_tensors.hpp>

#include <algorithm>
#include <cmath>

namespace edgeplan {

namespace {

std::int64_t pad_to(std::int64_t x, std::int64_t multiple) {
    return (x + multiple - 1) / multiple * multiple;
}

/// llama-context.cpp pads n_ctx (and each stream's share) to 256 cells.
constexpr std::int64_t llama_cpp_cell_pad = 256;

struct HeadSizes {
    std::int64_t k_row = 0; ///< elements per cell per layer, K
    std::int64_t v_row = 0; ///< V (0 for MLA: V is a view of the latent)
};

Result<HeadSizes> head_sizes(const ModelArchitecture& arch, int layer) {
    if (arch.mla) {
        // llama-kv-cache.cpp: is_mla -> one K row of kv_lora_rank + qk_rope_head_dim, no V.
        return HeadSizes{arch.mla->kv_lora_rank + arch.mla->qk_rope_head_dim, 0};
    }
    if (!arch.attention_heads || !arch.hidden_size) {
        return make_error(ExitCode::bad_input, "architecture",
                          "attention_heads and hidden_size are needed for the KV cache");
    }
    std::int64_t head_dim = arch.head_dim.value_or(*arch.hidden_size / *arch.attention_heads);
    std::int64_t kv_heads = arch.kv_heads.value_or(*arch.attention_heads);
    if (arch.global_attention && arch.sliding_window && !layer_is_sliding(arch, layer)) {
        // Gemma 4: llama-hparams.cpp n_embd_k_gqa(il) = n_embd_head_k(il) x n_head_kv(il),
        // the full-attention layers' head_dim (512) and KV heads.
        head_dim = arch.global_attention->head_dim;
        kv_heads = arch.global_attention->kv_heads.value_or(static_cast<int>(kv_heads));
    }
    return HeadSizes{kv_heads * head_dim, kv_heads * head_dim};
}

/// Gemma 3n/4: llama-hparams.cpp has_kv(il) is false for il >= n_layer_kv_from_start =
/// n_layer - num_kv_shared_layers; llama-kv-cache.cpp skips those layers (they read the
/// cache of an earlier layer of the same kind, llama-model.cpp create_memory's reuse
/// callback). Gemma 3n's loader hard-codes n_layer_kv_from_start = 20, which is what
/// 30 - 10 (E2B) and 35 - 15 (E4B) give.
bool layer_holds_kv(const ModelArchitecture& arch, int layer) {
    const int shared = arch.kv_shared_layers.value_or(0);
    return shared <= 0 || !arch.layers || layer < *arch.layers - shared;
}

} // namespace

int kv_source_layer(const ModelArchitecture& arch, int layer) {
    if (layer_holds_kv(arch, layer)) {
        return layer;
    }
    const bool sliding = layer_is_sliding(arch, layer);
    for (int il = *arch.layers - arch.kv_shared_layers.value_or(0) - 1; il >= 0; --il) {
        if (layer_is_sliding(arch, il) == sliding) {
            return il;
        }
    }
    return layer;
}

std::uint64_t CacheElementType::row_bytes(std::int64_t elements) const {
    const std::int64_t blocks = (elements + block_elements - 1) / block_elements;
    return static_cast<std::uint64_t>(blocks) * static_cast<std::uint64_t>(block_bytes);
}

CacheElementType cache_type_f16() {
    return {1, 2};
}

Result<CacheElementType> cache_type_from_catalog(const Catalog& catalog, const std::string& id) {
    const GgmlType* type = catalog.find_ggml_type(id);
    if (type == nullptr) {
        return make_error(ExitCode::bad_input, "cache type", "unknown ggml type \"" + id + "\"");
    }
    return CacheElementType{type->block_size, type->bytes_per_block};
}

std::uint64_t recurrent_state_bytes_per_layer(const RecurrentLayers& rec, int hidden_size) {
    // llama-hparams.cpp n_embd_r() / n_embd_s(), stored as F32 (llama-memory-recurrent.cpp).
    const std::int64_t d_inner = rec.inner_size.value_or(2 * hidden_size);
    const std::int64_t d_state = rec.state_size.value_or(128);
    const std::int64_t n_group = rec.groups.value_or(1);
    const std::int64_t d_conv = rec.conv_kernel.value_or(4);
    const std::int64_t r = (d_conv - 1) * (d_inner + 2 * n_group * d_state);
    const std::int64_t s = d_state * d_inner;
    return static_cast<std::uint64_t>(4 * (r + s));
}

Result<KvCacheEstimate> llama_cpp_kv_cache(const ModelArchitecture& arch,
                                           const LlamaCppKvParams& params) {
    if (!arch.layers) {
        return make_error(ExitCode::bad_input, "architecture.layers", "layer count unknown");
    }
    auto heads = head_sizes(arch, 0);
    if (!heads) {
        return heads.error();
    }
    const int n_seq = std::max(1, params.n_seq);
    const bool unified = params.streams == KvStreams::unified || n_seq == 1;
    const std::int64_t streams = unified ? 1 : n_seq;
    // llama-context.cpp: n_ctx padded to 256; non-unified: each stream n_ctx / n_seq, padded.
    const std::int64_t cells_per_stream = unified
                                              ? pad_to(params.n_ctx, llama_cpp_cell_pad)
                                              : pad_to(params.n_ctx / n_seq, llama_cpp_cell_pad);
    std::int64_t swa_cells_per_stream = cells_per_stream;
    if (arch.sliding_window && params.swa == SwaCache::windowed) {
        // llama-kv-cache-iswa.cpp: size_swa = GGML_PAD(min(size_base, n_swa * (unified ?
        // n_seq_max : 1) + n_ubatch), 256).
        const std::int64_t window =
            static_cast<std::int64_t>(arch.sliding_window->window_tokens) * (unified ? n_seq : 1) +
            params.n_ubatch;
        swa_cells_per_stream = pad_to(std::min(cells_per_stream, window), llama_cpp_cell_pad);
    }
    KvCacheEstimate kv;
    kv.full_cells = static_cast<int>(cells_per_stream * streams);
    for (int il = 0; il < *arch.layers; ++il) {
        const HeadSizes h = *head_sizes(arch, il); // layer 0 succeeded: every layer does
        const std::uint64_t k_row = params.type_k.row_bytes(h.k_row);
        const std::uint64_t v_row = h.v_row > 0 ? params.type_v.row_bytes(h.v_row) : 0;
        std::uint64_t bytes = 0;
        if (!layer_holds_kv(arch, il)) {
            bytes = 0; // reads another layer's cache
        } else if (layer_is_recurrent(arch, il)) {
            bytes = recurrent_state_bytes_per_layer(*arch.recurrent, arch.hidden_size.value_or(0)) *
                    static_cast<std::uint64_t>(n_seq);
            kv.recurrent_bytes += bytes;
            ++kv.recurrent_layers;
        } else {
            const bool swa = layer_is_sliding(arch, il);
            const std::uint64_t cells = static_cast<std::uint64_t>(
                (swa ? swa_cells_per_stream : cells_per_stream) * streams);
            kv.k_bytes += cells * k_row;
            kv.v_bytes += cells * v_row;
            bytes = cells * (k_row + v_row);
            if (swa) {
                ++kv.swa_layers;
                kv.swa_cells = static_cast<int>(cells);
            } else {
                ++kv.full_layers;
                kv.bytes_per_token += k_row + v_row;
            }
        }
        kv.layer_bytes.push_back(bytes);
    }
    return kv;
}

std::uint64_t vllm_activation_peak_bytes(const ModelArchitecture& arch, int max_batched_tokens,
                                         int max_num_seqs, double dtype_bytes) {
    // Largest live set of a dummy forward: gate|up output (2 x ffn) plus the hidden state
    // and its residual in the model dtype, per token; and the sampler's fp32 logits with a
    // softmax copy for up to max_num_seqs rows (gpu_model_runner profile_run).
    const double embd = arch.hidden_size.value_or(0);
    double ff = arch.ffn_size.value_or(0);
    if (arch.moe) {
        ff = std::max(ff, static_cast<double>(arch.moe->expert_ffn_size) *
                              std::max(1, arch.moe->experts_per_token));
    }
    const double per_token = (2.0 * ff + 4.0 * embd) * dtype_bytes;
    const double logits =
        2.0 * 4.0 * static_cast<double>(arch.vocab_size.value_or(0)) * max_num_seqs;
    return static_cast<std::uint64_t>(per_token * max_batched_tokens + logits);
}

Result<VllmKvPlan> vllm_kv_plan(const ModelArchitecture& arch, const VllmKvParams& params) {
    if (!arch.layers) {
        return make_error(ExitCode::bad_input, "architecture.layers", "layer count unknown");
    }
    auto heads = head_sizes(arch, 0);
    if (!heads) {
        return heads.error();
    }
    VllmKvPlan plan;
    const int tp = std::max(1, params.tensor_parallel);
    // kv_cache_interface.py: AttentionSpec page = 2 x block x kv_heads x head_size x dtype;
    // MLAAttentionSpec stores one latent row (no x2).
    const double row = arch.mla ? static_cast<double>(heads->k_row)
                                : static_cast<double>(heads->k_row + heads->v_row) / tp;
    plan.page_bytes_per_layer =
        static_cast<std::uint64_t>(params.block_tokens * row * params.dtype_bytes);
    int attention_layers = 0;
    for (int il = 0; il < *arch.layers; ++il) {
        attention_layers += layer_is_recurrent(arch, il) ? 0 : 1;
    }
    // gpu_worker.py: requested = total x utilization; KV gets what the profiled run leaves.
    const auto requested = static_cast<std::int64_t>(
        std::ceil(static_cast<double>(params.gpu_memory_bytes) * params.gpu_memory_utilization));
    plan.available_bytes = requested - static_cast<std::int64_t>(
                                           params.weight_bytes / tp + params.activation_peak_bytes +
                                           params.non_torch_bytes + params.cuda_graph_bytes);
    const std::int64_t per_block =
        static_cast<std::int64_t>(plan.page_bytes_per_layer) * std::max(1, attention_layers);
    if (plan.available_bytes > 0 && per_block > 0) {
        plan.num_blocks = plan.available_bytes / per_block;
    }
    plan.kv_bytes = static_cast<std::uint64_t>(plan.num_blocks * per_block);
    plan.max_tokens = plan.num_blocks * params.block_tokens;
    const std::int64_t blocks_per_seq =
        (std::max(1, params.context_tokens) + params.block_tokens - 1) / params.block_tokens;
    plan.max_concurrent_sequences = plan.num_blocks / blocks_per_seq;
    return plan;
}

Result<std::uint64_t> mlx_kv_cache_bytes(const ModelArchitecture& arch, const MlxKvParams& params) {
    if (!arch.layers) {
        return make_error(ExitCode::bad_input, "architecture.layers", "layer count unknown");
    }
    auto heads = head_sizes(arch, 0);
    if (!heads) {
        return heads.error();
    }
    const std::int64_t kv_heads = arch.mla ? 1 : arch.kv_heads.value_or(*arch.attention_heads);
    const std::int64_t k_dim = heads->k_row / std::max<std::int64_t>(1, kv_heads);
    const std::int64_t v_dim = heads->v_row / std::max<std::int64_t>(1, kv_heads);
    auto vector_bytes = [&](std::int64_t dim) -> double {
        if (dim == 0) {
            return 0.0;
        }
        if (!params.kv_bits) {
            return static_cast<double>(dim) * params.dtype_bytes;
        }
        // uint32 words of packed values + a scale and a bias per group (cache.py init_quant).
        const double packed = static_cast<double>(dim) * *params.kv_bits / 8.0;
        const double groups = static_cast<double>(dim / params.kv_group_size);
        return packed + 2.0 * groups * params.dtype_bytes;
    };
    const std::int64_t full = pad_to(std::max(1, params.tokens), 256); // KVCache.step = 256
    std::uint64_t total = 0;
    for (int il = 0; il < *arch.layers; ++il) {
        if (layer_is_recurrent(arch, il)) {
            continue;
        }
        std::int64_t cells = full;
        if (layer_is_sliding(arch, il)) {
            cells = std::min<std::int64_t>(full, arch.sliding_window->window_tokens);
        }
        total += static_cast<std::uint64_t>(static_cast<double>(cells * kv_heads * params.batch) *
                                            (vector_bytes(k_dim) + vector_bytes(v_dim)));
    }
    return total;
}

} // namespace edgeplan
