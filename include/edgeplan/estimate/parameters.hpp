#pragma once

// Parameter count of a transformer from its architecture fields (docs/catalogue.md,
// "Parameter formula"). Pure.

#include <edgeplan/core/catalog.hpp>

#include <cstdint>
#include <optional>

namespace edgeplan {

/// Weights of the matrices the formula covers: embeddings (x2 unless tied), attention (GQA
/// or MLA low-rank), FFN (gated: 3 matrices, plain: 2), MoE experts + router + shared
/// experts, the encoder stack and cross-attention of encoder-decoder models. Norms, biases,
/// position tables, vision towers and recurrent (Mamba/DeltaNet) layer weights are not
/// counted. nullopt when a field the formula needs is unknown.
std::optional<std::uint64_t> transformer_parameter_count(const ModelArchitecture& architecture);

} // namespace edgeplan
