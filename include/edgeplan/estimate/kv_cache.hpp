#pragma once

// KV cache and recurrent state as llama.cpp, vLLM and mlx-lm allocate them.
// Pure: no I/O. Bytes are bytes, tokens are tokens.

#include <edgeplan/core/catalog.hpp>
#include <edgeplan/core/result.hpp>

#include <cstdint>
#include <optional>
#include <vector>

namespace edgeplan {

/// Storage of one cache element: `block_bytes` per `block_elements` (ggml block layout:
/// f16 = 2 B / 1, q8_0 = 34 B / 32, q4_0 = 18 B / 32; ggml-common.h).
struct CacheElementType {
    int block_elements = 1;
    int block_bytes = 2;
    /// Bytes of a row of `elements` (ggml_row_size; rounds up to whole blocks).
    [[nodiscard]] std::uint64_t row_bytes(std::int64_t elements) const;
};

/// f16 (llama.cpp's default -ctk/-ctv).
CacheElementType cache_type_f16();
/// A ggml type from the catalogue by id ("f16", "q8_0", "q4_0"...). Fails on unknown ids.
Result<CacheElementType> cache_type_from_catalog(const Catalog& catalog, const std::string& id);

/// Whether sliding-window layers keep only their window (llama.cpp default) or the full
/// context (--swa-full).
enum class SwaCache { windowed, full };
/// One KV buffer shared by all sequences (--kv-unified, llama-server's default with auto
/// slots) or one stream of n_ctx / n_seq cells per sequence.
enum class KvStreams { unified, per_sequence };

/// llama.cpp context settings that size the cache.
struct LlamaCppKvParams {
    int n_ctx = 4096;   ///< -c, total over all sequences
    int n_seq = 1;      ///< -np: parallel sequences (n_seq_max)
    int n_ubatch = 512; ///< -ub
    KvStreams streams = KvStreams::unified;
    SwaCache swa = SwaCache::windowed;
    CacheElementType type_k = cache_type_f16();
    CacheElementType type_v = cache_type_f16();
};

/// The cache llama.cpp allocates, per layer and in total.
struct KvCacheEstimate {
    std::uint64_t k_bytes = 0;
    std::uint64_t v_bytes = 0;
    std::uint64_t recurrent_bytes = 0; ///< conv + SSM state (F32), all sequences
    int full_cells = 0;                ///< cells of full-attention layers (per stream x streams)
    int swa_cells = 0;                 ///< cells of sliding-window layers; 0 when none
    int full_layers = 0;
    int swa_layers = 0;
    int recurrent_layers = 0;
    std::vector<std::uint64_t> layer_bytes; ///< K + V (or state) of each block
    /// Bytes one more token of context adds (full-attention layers; 0 for recurrent-only).
    std::uint64_t bytes_per_token = 0;
    [[nodiscard]] std::uint64_t total_bytes() const {
        return k_bytes + v_bytes + recurrent_bytes;
    }
};

/// llama.cpp (src/llama-kv-cache.cpp, llama-kv-cache-iswa.cpp, llama-memory-recurrent.cpp):
/// per attention layer K and V rows of n_head_kv x head_dim in the cache type; cells =
/// GGML_PAD(n_ctx, 256) (per stream GGML_PAD(n_ctx / n_seq, 256) when not unified); SWA
/// layers GGML_PAD(min(n_ctx, n_swa x n_seq + n_ubatch), 256) unless --swa-full; MLA one
/// K row of kv_lora_rank + rope dims and no V; recurrent layers F32 state per sequence.
/// Fails when the layer count or head sizes are unknown.
Result<KvCacheEstimate> llama_cpp_kv_cache(const ModelArchitecture& arch,
                                           const LlamaCppKvParams& params);

/// The layer whose cache `layer` attends over: itself, or for the KV-sharing tail of Gemma
/// 3n/4 (`kv_shared_layers`) the last earlier layer of the same kind (sliding or global)
/// that holds KV (llama-model.cpp create_memory reuse callback: n_layer_kv_from_start - 2
/// for sliding layers, - 1 for global ones, which is that layer for Gemma's patterns).
int kv_source_layer(const ModelArchitecture& arch, int layer);

/// Recurrent state bytes of one layer and one sequence (F32; estimation-facts §2.5):
/// 4 x [(d_conv - 1)(d_inner + 2 n_group d_state) + d_state d_inner].
std::uint64_t recurrent_state_bytes_per_layer(const RecurrentLayers& rec, int hidden_size);

/// vLLM PagedAttention (vllm/config/cache.py, v1/kv_cache_interface.py,
/// v1/worker/gpu_worker.py determine_available_memory).
struct VllmKvParams {
    std::uint64_t gpu_memory_bytes = 0;      ///< total memory of the GPU
    double gpu_memory_utilization = 0.9;     ///< --gpu-memory-utilization (0.9 in v0.6-0.10)
    std::uint64_t weight_bytes = 0;          ///< model weights on this GPU
    std::uint64_t activation_peak_bytes = 0; ///< profiled peak (vllm_activation_peak_bytes)
    std::uint64_t non_torch_bytes = 0;       ///< CUDA context, NCCL, cuBLAS workspaces
    std::uint64_t cuda_graph_bytes = 0;      ///< captured graphs (0 with --enforce-eager)
    int block_tokens = 16;                   ///< --block-size (DEFAULT_BLOCK_SIZE 16)
    double dtype_bytes = 2.0;                ///< 2 for fp16/bf16, 1 for fp8
    int context_tokens = 4096;               ///< per-request context for the concurrency figure
    int tensor_parallel = 1;                 ///< KV heads are split over TP ranks
};

struct VllmKvPlan {
    std::int64_t available_bytes = 0;       ///< for KV; negative when the weights alone do not fit
    std::uint64_t page_bytes_per_layer = 0; ///< one block of one layer
    std::int64_t num_blocks = 0;
    std::uint64_t kv_bytes = 0;                ///< num_blocks x page x layers
    std::int64_t max_tokens = 0;               ///< num_blocks x block_tokens
    std::int64_t max_concurrent_sequences = 0; ///< at context_tokens each
};

/// The activation peak vLLM profiles with a dummy batch of `max_batched_tokens`: FFN
/// intermediates and hidden states in the model dtype plus fp32 logits for up to
/// `max_num_seqs` sampled rows (an estimate; vLLM measures it at start-up).
std::uint64_t vllm_activation_peak_bytes(const ModelArchitecture& arch, int max_batched_tokens,
                                         int max_num_seqs, double dtype_bytes = 2.0);

/// vLLM's KV budget and block count. Fails when head sizes are unknown.
Result<VllmKvPlan> vllm_kv_plan(const ModelArchitecture& arch, const VllmKvParams& params);

/// mlx-lm (mlx_lm/models/cache.py @ 02901f4d): KVCache grows in steps of 256 tokens in the
/// activations' dtype; QuantizedKVCache (--kv-bits) packs `bits` per element in uint32 plus a
/// scale and a bias per `group` elements in that dtype; RotatingKVCache keeps at most the
/// window for sliding layers.
struct MlxKvParams {
    int tokens = 4096;          ///< prompt + generated tokens of one sequence
    int batch = 1;              ///< sequences
    double dtype_bytes = 2.0;   ///< fp16/bf16
    std::optional<int> kv_bits; ///< nullopt: not quantized
    int kv_group_size = 64;
};

Result<std::uint64_t> mlx_kv_cache_bytes(const ModelArchitecture& arch, const MlxKvParams& params);

} // namespace edgeplan
