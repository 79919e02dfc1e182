#pragma once
// How llama.cpp must be started to serve an embedding model: the pooling each model was trained
// with and the batch sizes that hold a whole input. Shared by the deployment files (report) and
// the verification steps (planner), so both start the same server.

#include <edgeplan/core/catalog.hpp>

#include <algorithm>
#include <optional>
#include <string>

namespace edgeplan {

/// llama-server's --pooling value for a catalogue embedding model: the catalogue's
/// architecture.pooling, taken from the model card / sentence-transformers 1_Pooling/config.json
/// (each entry's notes cite it; `catalog validate` requires it for every embedding model).
/// nullopt for a model without it: llama.cpp then uses the GGUF's own pooling_type.
[[nodiscard]] inline std::optional<std::string> llama_cpp_pooling(const Model& model) {
    return model.architecture.pooling;
}

/// The -b/-ub an embedding server needs: llama-server treats every embedding task as
/// non-causal (server_slot::is_non_causal) and rejects an input longer than the physical
/// batch ("input is too large to process. increase the physical batch size"), so one ubatch
/// must hold the longest input, i.e. the plan's context per slot.
[[nodiscard]] inline int llama_cpp_embedding_batch(int context_tokens, int ubatch_tokens) {
    return std::max(context_tokens, ubatch_tokens);
}

} // namespace edgeplan
