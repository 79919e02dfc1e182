#pragma once

// Embedding with BERT-style encoders (nomic-bert, bert / XLM-RoBERTa) on llama.cpp, which
// the decoder estimator does not cover: evaluated with edgeplan/estimate/encoder.hpp and
// scored beside the Qwen3 embedding decoders.

#include "select_internal.hpp"

#include <vector>

namespace edgeplan::planner_detail {

/// True for an encoder llama.cpp runs (gguf_architecture bert / nomic-bert) with a parameter
/// count: candidates.cpp leaves it to this route instead of refusing it.
bool routed_to_llama_cpp_encoder(const Model& model);

/// embedding: every such encoder x F16/Q8_0/Q4_K_M that fits (whole model on the GPU, else
/// the CPU), scored, appended to `scored`, with one P2 and one F1 firing in the trace.
void add_encoder_embedding_options(const PlanRequest& request, const PlatformFacts& facts,
                                   const HardwareProfile& profile, const Catalog& catalog,
                                   Plan& plan, std::vector<Scored>& scored);

} // namespace edgeplan::planner_detail
