#pragma once

// The embedding side of the plan report. An embedder reads its input in one forward pass and
// returns one vector: there is no decode and no generated token, so its figures are input
// tokens embedded per second (the prefill rate S1 scores), the time to embed one request and
// inputs per second. BERT-style encoders also hold no KV cache (docs/estimation.md,
// "Embedding encoders on llama.cpp").

#include <edgeplan/core/plan.hpp>

#include <optional>
#include <string>
#include <vector>

namespace edgeplan::report_detail {

struct Justification;

/// True when the plan's task is embedding: the report then speaks of inputs embedded, not of
/// decode or answers.
bool is_embedding(const Plan& plan);

/// True for a candidate that holds no KV cache on any device (a BERT-style encoder on
/// llama.cpp): its memory shows "none (encoder)" instead of "0 B".
bool has_no_kv_cache(const Candidate& candidate);

/// Figures an embedding user plans with; each unknown when the prefill rate is.
struct EmbeddingFigures {
    std::optional<double> input_tokens_per_s; ///< prefill: input tokens embedded per second
    std::optional<double> request_ms;         ///< one request of `request_tokens` embedded
    std::optional<double> inputs_per_s;       ///< input_tokens_per_s / request_tokens
    int request_tokens = 0;                   ///< the request's prompt tokens
    bool kv_cache = true;                     ///< false for an encoder
};

/// The chosen candidate's embedding figures (the request's prompt tokens as the input size).
EmbeddingFigures embedding_figures(const Plan& plan, const Candidate& candidate);

/// The "Embedding" line of section 2.1.
std::vector<Justification> embedding_justification(const Plan& plan, const Candidate& chosen);

/// Section 5 rows for an embedding plan (Metric | Projected | Target).
std::string embedding_speed_rows(const Plan& plan, const Candidate& chosen);

} // namespace edgeplan::report_detail
