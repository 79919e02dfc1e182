#pragma once

// GGUF weight size of a model under a llama-quantize preset, by evaluating the preset's
// per-tensor rules (data/quantizations/gguf_presets.json) over the model's tensor shapes.
// Pure: no I/O. Sizes in bytes, counts in elements.

#include <edgeplan/core/catalog.hpp>
#include <edgeplan/core/result.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace edgeplan {

/// One weight tensor as llama.cpp stores it: ne0 is the row length (the input dimension of
/// a matrix), ne1 the rows, ne2 the experts of a merged MoE tensor (1 otherwise).
struct TensorShape {
    std::string name; ///< "blk.3.attn_v.weight": for messages only
    TensorCategory category = TensorCategory::other;
    int layer = -1; ///< block index; -1 for tensors outside the blocks
    std::int64_t ne0 = 0;
    std::int64_t ne1 = 1;
    std::int64_t ne2 = 1;
    [[nodiscard]] std::int64_t elements() const {
        return ne0 * ne1 * ne2;
    }
};

/// What llama-quantize's type choice looks at: the hyperparameters and every tensor, in
/// file order (the attn_v counter depends on it).
struct ModelShapes {
    std::string arch;     ///< general.architecture, e.g. "llama"
    std::string llm_type; ///< llama.cpp size class, e.g. "8B", "70B"
    int n_layer = 0;
    int n_head = 0;
    int n_head_kv = 0;
    int n_expert = 0; ///< 0 for dense models
    std::vector<TensorShape> tensors;
};

/// Shapes of a dense Llama-style decoder (token_embd, per block attn_norm, q, k, v, output,
/// ffn_norm, gate, up, down, then output_norm and output unless tied).
ModelShapes dense_decoder_shapes(const PresetReferenceModel& model, const std::string& arch);

/// How the file was quantized, beyond the preset.
enum class ImportanceMatrix { absent, present };

/// The result: total bytes and bits per weight over every tensor (norms included), and the
/// bytes stored in each ggml type.
struct GgufWeightEstimate {
    std::uint64_t bytes = 0;
    std::uint64_t parameters = 0;
    double bits_per_weight = 0;
    std::map<std::string, std::uint64_t> bytes_by_type;
    /// The ggml type id of each tensor of the shapes, in their order.
    std::vector<std::string> tensor_types;
};

/// Evaluates `preset` over `shapes`. Fails (ExitCode::bad_catalog) when a rule names a ggml
/// type the catalogue lacks, or a tensor's row length fits neither the chosen type nor its
/// fallback (llama-quantize aborts there too).
Result<GgufWeightEstimate> gguf_weight_bytes(const ModelShapes& shapes, const GgufPreset& preset,
                                             const Catalog& catalog,
                                             ImportanceMatrix imatrix = ImportanceMatrix::absent);

/// The ggml type llama-quantize picks for one tensor (before the row-length fallback).
/// `i`/`n` are the layer counters the rules' layer selectors test.
std::string preset_tensor_type(const GgufPreset& preset, const ModelShapes& shapes,
                               const TensorShape& tensor, int i, int n, const Catalog& catalog,
                               ImportanceMatrix imatrix);

} // namespace edgeplan
