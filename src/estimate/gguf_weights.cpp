// llama-quantize's per-tensor type choice (llama_tensor_get_type_impl in llama-quant.cpp,
// transcribed as data in gguf_presets.json) evaluated over tensor shapes.
#include <edgeplan/estimate/gguf_weights.hpp>

namespace edgeplan {

namespace {

bool layer_selected(LayerSelector selector, int i, int n) {
    // Integer division, exactly as llama-quant.cpp's use_more_bits() and its neighbours.
    switch (selector) {
    case LayerSelector::all:
        return true;
    case LayerSelector::use_more_bits:
        return i < n / 8 || i >= 7 * n / 8 || (i - n / 8) % 3 == 2;
    case LayerSelector::first_n_div_8:
        return i < n / 8;
    case LayerSelector::first_n_div_16:
        return i < n / 16;
    case LayerSelector::first_2:
        return i < 2;
    case LayerSelector::first_4:
        return i < 4;
    case LayerSelector::middle:
        return i >= n / 8 && i < 7 * n / 8;
    }
    return false;
}

bool conditions_hold(const PresetRuleConditions& when, const ModelShapes& shapes,
                     const TensorShape& tensor, const GgufPreset& preset, const Catalog& catalog,
                     ImportanceMatrix imatrix) {
    const int gqa = shapes.n_head_kv > 0 ? shapes.n_head / shapes.n_head_kv : 0;
    if (when.n_gqa_min && gqa < *when.n_gqa_min) {
        return false;
    }
    if (when.n_expert_min && shapes.n_expert < *when.n_expert_min) {
        return false;
    }
    if (when.n_expert_eq && shapes.n_expert != *when.n_expert_eq) {
        return false;
    }
    if (when.arch && shapes.arch != *when.arch) {
        return false;
    }
    if (when.arch_not && shapes.arch == *when.arch_not) {
        return false;
    }
    if (when.llm_type && shapes.llm_type != *when.llm_type) {
        return false;
    }
    if (when.imatrix && *when.imatrix != (imatrix == ImportanceMatrix::present)) {
        return false;
    }
    if (when.tensor_is_3d && *when.tensor_is_3d != (tensor.ne2 > 1)) {
        return false;
    }
    if (when.ncols_divisible_by_base_block) {
        const GgmlType* base = catalog.find_ggml_type(preset.base_type);
        const bool divisible = base != nullptr && tensor.ne0 % base->block_size == 0;
        if (*when.ncols_divisible_by_base_block != divisible) {
            return false;
        }
    }
    return true;
}

/// Tied embeddings: llama-quantize treats token_embd as the output tensor. Gemma's
/// per_layer_token_embd is in the same TOKEN_EMBD category (llama-quant.cpp
/// tensor_name_match_token_embd), so a tied model quantizes it like the output tensor too.
TensorCategory effective_category(const ModelShapes& shapes, const TensorShape& tensor) {
    if (tensor.category != TensorCategory::token_embd &&
        tensor.category != TensorCategory::per_layer_token_embd) {
        return tensor.category;
    }
    for (const auto& other : shapes.tensors) {
        if (other.category == TensorCategory::output) {
            return TensorCategory::token_embd;
        }
    }
    return TensorCategory::output;
}

std::uint64_t row_bytes(const GgmlType& type, std::int64_t ne0) {
    return static_cast<std::uint64_t>(ne0 / type.block_size) *
           static_cast<std::uint64_t>(type.bytes_per_block);
}

} // namespace

std::string preset_tensor_type(const GgufPreset& preset, const ModelShapes& shapes,
                               const TensorShape& tensor, int i, int n, const Catalog& catalog,
                               ImportanceMatrix imatrix) {
    const TensorCategory category = effective_category(shapes, tensor);
    for (const auto& rule : preset.rules) {
        if (rule.tensor != TensorCategory::any && rule.tensor != category) {
            continue;
        }
        if (!layer_selected(rule.layers, i, n)) {
            continue;
        }
        if (conditions_hold(rule.when, shapes, tensor, preset, catalog, imatrix)) {
            return rule.type;
        }
    }
    return preset.base_type;
}

Result<GgufWeightEstimate> gguf_weight_bytes(const ModelShapes& shapes, const GgufPreset& preset,
                                             const Catalog& catalog, ImportanceMatrix imatrix) {
    const GgmlType* f32 = catalog.find_ggml_type("f32");
    if (f32 == nullptr) {
        return make_error(ExitCode::bad_catalog, "ggml_types", "no f32 type in the catalogue");
    }
    // attn_v rules count attn_v-like tensors (i = running index, n = their number); ffn rules
    // use the block index and n_layer (the running count for dense models is the same).
    int attn_v_total = 0;
    for (const auto& tensor : shapes.tensors) {
        attn_v_total += tensor.category == TensorCategory::attn_v ? 1 : 0;
    }
    GgufWeightEstimate estimate;
    estimate.tensor_types.reserve(shapes.tensors.size());
    int attn_v_seen = 0;
    for (const auto& tensor : shapes.tensors) {
        estimate.parameters += static_cast<std::uint64_t>(tensor.elements());
        const GgmlType* type = f32;
        if (tensor.category == TensorCategory::unquantized) {
            // Never quantized: the converter's 16-bit type (f16 and bf16 are both 2 bytes).
            const bool float_base = preset.base_type == "f32" || preset.base_type == "bf16";
            type = catalog.find_ggml_type(float_base ? preset.base_type : "f16");
            if (type == nullptr) {
                return make_error(ExitCode::bad_catalog, "ggml_types",
                                  "no f16 type in the catalogue");
            }
        } else if (tensor.category != TensorCategory::norm) {
            int i = tensor.layer < 0 ? 0 : tensor.layer;
            int n = shapes.n_layer;
            if (tensor.category == TensorCategory::attn_v) {
                i = attn_v_seen++;
                n = attn_v_total;
            }
            std::string chosen = preset_tensor_type(preset, shapes, tensor, i, n, catalog, imatrix);
            type = catalog.find_ggml_type(chosen);
            if (type != nullptr && tensor.ne0 % type->block_size != 0) {
                auto fallback = catalog.preset_tables.row_fallback.find(chosen);
                if (fallback == catalog.preset_tables.row_fallback.end()) {
                    return make_error(ExitCode::bad_catalog, tensor.name,
                                      "row length " + std::to_string(tensor.ne0) +
                                          " is not a multiple of " + chosen +
                                          "'s block and the type has no fallback");
                }
                chosen = fallback->second;
                type = catalog.find_ggml_type(chosen);
                if (type != nullptr && tensor.ne0 % type->block_size != 0) {
                    chosen = catalog.preset_tables.row_fallback_final;
                    type = catalog.find_ggml_type(chosen);
                }
            }
            if (type == nullptr) {
                return make_error(ExitCode::bad_catalog, preset.id,
                                  "names ggml type \"" + chosen + "\", which the catalogue lacks");
            }
        }
        const std::uint64_t bytes =
            row_bytes(*type, tensor.ne0) * static_cast<std::uint64_t>(tensor.ne1 * tensor.ne2);
        estimate.bytes += bytes;
        estimate.bytes_by_type[type->id] += bytes;
        estimate.tensor_types.push_back(type->id);
    }
    if (estimate.parameters > 0) {
        estimate.bits_per_weight =
            8.0 * static_cast<double>(estimate.bytes) / static_cast<double>(estimate.parameters);
    }
    return estimate;
}

ModelShapes dense_decoder_shapes(const PresetReferenceModel& model, const std::string& arch) {
    ModelShapes shapes;
    shapes.arch = arch;
    shapes.llm_type = model.llm_type;
    shapes.n_layer = model.n_layer;
    shapes.n_head = model.n_head;
    shapes.n_head_kv = model.n_head_kv;
    const std::int64_t embd = model.n_embd;
    const std::int64_t q_dim = static_cast<std::int64_t>(model.n_head) * model.head_dim;
    const std::int64_t kv_dim = static_cast<std::int64_t>(model.n_head_kv) * model.head_dim;
    const std::int64_t ff = model.n_ff;
    auto add = [&](std::string name, TensorCategory category, int layer, std::int64_t ne0,
                   std::int64_t ne1) {
        shapes.tensors.push_back({std::move(name), category, layer, ne0, ne1, 1});
    };
    add("token_embd.weight", TensorCategory::token_embd, -1, embd, model.n_vocab);
    for (int l = 0; l < model.n_layer; ++l) {
        const std::string blk = "blk." + std::to_string(l) + ".";
        add(blk + "attn_norm.weight", TensorCategory::norm, l, embd, 1);
        add(blk + "attn_q.weight", TensorCategory::attn_q, l, embd, q_dim);
        add(blk + "attn_k.weight", TensorCategory::attn_k, l, embd, kv_dim);
        add(blk + "attn_v.weight", TensorCategory::attn_v, l, embd, kv_dim);
        add(blk + "attn_output.weight", TensorCategory::attn_output, l, q_dim, embd);
        add(blk + "ffn_norm.weight", TensorCategory::norm, l, embd, 1);
        add(blk + "ffn_gate.weight", TensorCategory::ffn_gate, l, embd, ff);
        add(blk + "ffn_up.weight", TensorCategory::ffn_up, l, embd, ff);
        add(blk + "ffn_down.weight", TensorCategory::ffn_down, l, ff, embd);
    }
    add("output_norm.weight", TensorCategory::norm, -1, embd, 1);
    if (!model.tied_embeddings) {
        add("output.weight", TensorCategory::output, -1, embd, model.n_vocab);
    }
    return shapes;
}

} // namespace edgeplan
