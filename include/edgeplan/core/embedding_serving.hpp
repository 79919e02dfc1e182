#pragma once
// How llama.cpp must be started to serve an embedding model: the pooling each model was trained
// with and the batch sizes that hold a whole input. Shared by the deployment files (report) and
// the verification steps (planner), so both start the same server.

#include <edgeplan/core/catalog.hpp>

#include <algorithm>
#include <optional>
#include <string>

namespace edgeplan {

/// llama-server's --pooling value for a catalogue embedding model, from its model card:
/// Qwen3-Embedding pools the last token (the card's last_token_pool; the Qwen GGUF card runs
/// llama.cpp with --pooling last), nomic-embed-text averages the tokens (the card's
/// mean_pooling; GGUF pooling_type 1), BGE-M3's dense vector is the [CLS] state
/// (FlagEmbedding BGEM3 dense_embedding, pooling_method "cls"). nullopt for a model with no
/// checked rule: llama.cpp then uses the GGUF's own pooling_type.
[[nodiscard]] inline std::optional<std::string> llama_cpp_pooling(const Model& model) {
    const auto starts = [&](const char* prefix) { return model.id.rfind(prefix, 0) == 0; };
    if (starts("qwen3-embedding")) {
        return "last";
    }
    if (starts("nomic-embed-text")) {
        return "mean";
    }
    if (starts("bge-m3")) {
        return "cls";
    }
    return std::nullopt;
}

/// The -b/-ub an embedding server needs: llama-server treats every embedding task as
/// non-causal (server_slot::is_non_causal) and rejects an input longer than the physical
/// batch ("input is too large to process. increase the physical batch size"), so one ubatch
/// must hold the longest input, i.e. the plan's context per slot.
[[nodiscard]] inline int llama_cpp_embedding_batch(int context_tokens, int ubatch_tokens) {
    return std::max(context_tokens, ubatch_tokens);
}

} // namespace edgeplan
