#pragma once

// BERT-style embedding encoders (nomic-bert, bert / XLM-RoBERTa) on llama.cpp: weights, no KV
// cache (llama_model::create_memory allocates none for the BERT family), the compute buffer
// of one micro-batch that holds a whole input (non-causal attention needs every token of a
// sequence in one ubatch), and prefill-only speed. Formulas and their limits:
// docs/estimation.md ("Embedding encoders on llama.cpp").

#include <edgeplan/core/catalog.hpp>
#include <edgeplan/core/result.hpp>
#include <edgeplan/estimate/buffers.hpp>
#include <edgeplan/estimate/speed.hpp>

#include <cstdint>

namespace edgeplan {

/// One llama-server --embeddings instance of an encoder.
struct EncoderEmbeddingInputs {
    const Model* model = nullptr;
    double bits_per_weight = 16; ///< the quantization's nominal bits per weight
    int ubatch_tokens = 512;     ///< -ub = -b: the longest input it embeds
    FlashAttention flash_attention = FlashAttention::on;
};

/// Bytes by category.
struct EncoderEmbeddingMemory {
    std::uint64_t weights = 0; ///< parameters x bits / 8
    std::uint64_t compute = 0; ///< llama_cpp_compute_buffer_bytes with n_kv = n_tokens, no logits
    std::uint64_t host = 0;    ///< vocabulary tables and allocator arenas (llama_cpp_host_overhead)
};

/// Fails when the model is not an encoder with parameters, layers, width, heads and FFN size.
Result<EncoderEmbeddingMemory> encoder_embedding_memory(const EncoderEmbeddingInputs& inputs);

/// Prefill of `prompt_tokens` on `device` (llama.cpp's prefill model with non-causal
/// attention: every token attends to all of its input).
Result<PrefillEstimate> encoder_embedding_speed(const EncoderEmbeddingInputs& inputs,
                                                const DeviceShare& device, int prompt_tokens);

} // namespace edgeplan
