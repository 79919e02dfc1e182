// data/quantizations/ggml_types.json and gguf_presets.json: llama.cpp's tensor types and
// llama-quantize's presets as per-tensor rules (schema: data/schema/quantization.schema.json).
#include "reader_support.hpp"

#include <cmath>
#include <utility>

namespace edgeplan::catalog_detail {

namespace {

const std::pair<const char*, TensorCategory> tensor_names[] = {
    {"token_embd", TensorCategory::token_embd}, {"output", TensorCategory::output},
    {"attn_q", TensorCategory::attn_q},         {"attn_k", TensorCategory::attn_k},
    {"attn_v", TensorCategory::attn_v},         {"attn_output", TensorCategory::attn_output},
    {"ffn_gate", TensorCategory::ffn_gate},     {"ffn_up", TensorCategory::ffn_up},
    {"ffn_down", TensorCategory::ffn_down},     {"any", TensorCategory::any},
};

const std::pair<const char*, LayerSelector> selector_names[] = {
    {"all", LayerSelector::all},
    {"use_more_bits", LayerSelector::use_more_bits},
    {"first_n_div_8", LayerSelector::first_n_div_8},
    {"first_n_div_16", LayerSelector::first_n_div_16},
    {"first_2", LayerSelector::first_2},
    {"first_4", LayerSelector::first_4},
    {"middle", LayerSelector::middle},
};

template <typename Enum, std::size_t N>
void read_enum(JsonReader& r, const json& node, const char* key, const std::string& p,
               const std::pair<const char*, Enum> (&names)[N], Enum& out, bool required) {
    std::string text;
    if (!r.string(node, key, p, text, required)) {
        return;
    }
    for (const auto& [name, value] : names) {
        if (text == name) {
            out = value;
            return;
        }
    }
    r.problem(at(p, key), "unknown value \"" + text + "\"");
}

void read_conditions(JsonReader& r, const json& node, const std::string& p,
                     PresetRuleConditions& out) {
    if (!r.object(node, p,
                  {"n_gqa_min", "n_expert_min", "n_expert_eq", "arch", "arch_not", "llm_type",
                   "imatrix", "tensor_is_3d", "ncols_divisible_by_base_block"})) {
        return;
    }
    positive(r, node, "n_gqa_min", p, out.n_gqa_min);
    positive(r, node, "n_expert_min", p, out.n_expert_min);
    positive(r, node, "n_expert_eq", p, out.n_expert_eq);
    r.optional_string(node, "arch", p, out.arch);
    r.optional_string(node, "arch_not", p, out.arch_not);
    r.optional_string(node, "llm_type", p, out.llm_type);
    r.optional_bool(node, "imatrix", p, out.imatrix);
    r.optional_bool(node, "tensor_is_3d", p, out.tensor_is_3d);
    r.optional_bool(node, "ncols_divisible_by_base_block", p, out.ncols_divisible_by_base_block);
}

void read_preset(JsonReader& r, const json& node, const std::string& p, GgufPreset& out) {
    out.document = node;
    if (!r.object(node, p,
                  {"id", "aliases", "llama_ftype", "in_llama_quantize", "quantize_description",
                   "base_type", "nominal_bpw", "requires_imatrix", "rules", "quoted_bpw_llama3_8b",
                   "quoted_size_gib_llama3_8b", "quoted_source", "computed_llama3_8b", "quality",
                   "source", "notes"})) {
        return;
    }
    out.id = read_id(r, node, p);
    r.string_list(node, "aliases", p, out.aliases);
    out.llama_ftype = required_int(r, node, "llama_ftype", p, 0);
    r.string(node, "base_type", p, out.base_type, true);
    r.optional_double(node, "nominal_bpw", p, out.nominal_bpw, 0.5, 64);
    r.boolean(node, "requires_imatrix", p, out.requires_imatrix, true);
    each_item(r, node, "rules", p, true, [&](const json& item, const std::string& ip) {
        PresetRule rule;
        if (r.object(item, ip, {"tensor", "layers", "when", "type", "note"})) {
            read_enum(r, item, "tensor", ip, tensor_names, rule.tensor, true);
            read_enum(r, item, "layers", ip, selector_names, rule.layers, false);
            if (const json* when = member(item, "when")) {
                read_conditions(r, *when, at(ip, "when"), rule.when);
            }
            r.string(item, "type", ip, rule.type, true);
        }
        out.rules.push_back(rule);
    });
    r.optional_double(node, "quoted_bpw_llama3_8b", p, out.quoted_bpw_llama3_8b, 0.5, 64);
    r.optional_double(node, "quoted_size_gib_llama3_8b", p, out.quoted_size_gib_llama3_8b, 0.01,
                      1e6);
    if (const json* n = member(node, "computed_llama3_8b")) {
        const std::string cp = at(p, "computed_llama3_8b");
        PresetReferenceFigures figures;
        if (r.object(*n, cp, {"imatrix", "bits_per_weight", "size_bytes"})) {
            r.boolean(*n, "imatrix", cp, figures.imatrix, true);
            r.number(*n, "bits_per_weight", cp, figures.bits_per_weight, 0.5, 64, true);
            std::optional<std::uint64_t> size;
            r.optional_u64(*n, "size_bytes", cp, size);
            figures.size_bytes = size.value_or(0);
            out.computed_llama3_8b = figures;
        }
    }
    r.string(node, "source", p, out.source, true);
}

void read_reference_model(JsonReader& r, const json& node, const std::string& p,
                          PresetReferenceModel& out) {
    if (!r.object(node, p,
                  {"id", "notes", "n_layer", "n_embd", "n_head", "n_head_kv", "head_dim", "n_ff",
                   "n_vocab", "tied_embeddings", "llm_type", "source"})) {
        return;
    }
    r.string(node, "id", p, out.id, true);
    out.n_layer = required_int(r, node, "n_layer", p, 1);
    out.n_embd = required_int(r, node, "n_embd", p, 1);
    out.n_head = required_int(r, node, "n_head", p, 1);
    out.n_head_kv = required_int(r, node, "n_head_kv", p, 1);
    out.head_dim = required_int(r, node, "head_dim", p, 1);
    out.n_ff = required_int(r, node, "n_ff", p, 1);
    out.n_vocab = required_int(r, node, "n_vocab", p, 1);
    r.boolean(node, "tied_embeddings", p, out.tied_embeddings, true);
    r.string(node, "llm_type", p, out.llm_type, true);
}

} // namespace

void read_ggml_types_file(FileContext& context, const json& document) {
    JsonReader& r = context.reader;
    if (!r.object(document, "",
                  {"schema_version", "notes", "source", "ggml_types", "removed_type_ids"})) {
        return;
    }
    each_item(r, document, "ggml_types", "", true, [&](const json& node, const std::string& p) {
        GgmlType type;
        type.document = node;
        if (r.object(node, p,
                     {"id", "ggml_type_id", "block_size", "bytes_per_block", "bits_per_weight",
                      "kind", "usage", "layout", "source", "ggml_type_id_source", "notes"})) {
            type.id = read_id(r, node, p);
            type.ggml_type_id = required_int(r, node, "ggml_type_id", p, 0);
            type.block_size = required_int(r, node, "block_size", p, 1);
            type.bytes_per_block = required_int(r, node, "bytes_per_block", p, 1);
            r.number(node, "bits_per_weight", p, type.bits_per_weight, 1e-9, 1024, true);
            r.string(node, "kind", p, type.kind, true);
            r.string(node, "usage", p, type.usage, true);
            r.string(node, "source", p, type.source, true);
            // The data states bits_per_weight; it must agree with the block layout.
            const double derived = 8.0 * type.bytes_per_block / type.block_size;
            if (type.bits_per_weight > 0 && std::abs(derived - type.bits_per_weight) > 1e-6) {
                r.problem(at(p, "bits_per_weight"),
                          "disagrees with 8 * bytes_per_block / block_size");
            }
        }
        context.catalog.ggml_types.push_back(type);
        context.locations.ggml_types.push_back({context.file, p});
    });
}

void read_gguf_presets_file(FileContext& context, const json& document) {
    JsonReader& r = context.reader;
    if (!r.object(document, "",
                  {"schema_version", "notes", "source", "tensor_vocabulary", "layer_selectors",
                   "layer_index_definition", "conditions", "not_quantized", "row_fallback",
                   "row_fallback_final", "reference_model", "presets"})) {
        return;
    }
    auto& tables = context.catalog.preset_tables;
    context.locations.preset_tables = {context.file, ""};
    each_item(r, document, "row_fallback", "", true, [&](const json& node, const std::string& p) {
        std::string from;
        std::string to;
        if (r.object(node, p, {"from", "to"}) && r.string(node, "from", p, from, true) &&
            r.string(node, "to", p, to, true)) {
            if (!tables.row_fallback.emplace(from, to).second) {
                r.problem(at(p, "from"), "duplicate fallback for \"" + from + "\"");
            }
        }
    });
    r.string(document, "row_fallback_final", "", tables.row_fallback_final, false);
    if (auto it = document.find("reference_model"); it == document.end()) {
        r.problem("/reference_model", "required key is missing");
    } else {
        read_reference_model(r, *it, "/reference_model", tables.reference_model);
    }
    each_item(r, document, "presets", "", true, [&](const json& node, const std::string& p) {
        GgufPreset preset;
        read_preset(r, node, p, preset);
        context.catalog.gguf_presets.push_back(preset);
        context.locations.gguf_presets.push_back({context.file, p});
    });
}

} // namespace edgeplan::catalog_detail
