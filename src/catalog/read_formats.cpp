// data/quantizations/other_formats.json and kv_cache_types.json: weight formats other than
// llama-quantize presets, and KV-cache storage types per engine.
#include "reader_support.hpp"

namespace edgeplan::catalog_detail {

namespace {

// Bits per weight above 64 or below 0.5 is a typo (the widest stored type is f64).
constexpr double min_bpw = 0.5;
constexpr double max_bpw = 64;

void read_format(JsonReader& r, const json& node, const std::string& p, WeightFormat& out) {
    out.document = node;
    if (!r.object(node, p,
                  {"id",
                   "aliases",
                   "family",
                   "name",
                   "weight_format",
                   "weight_bits",
                   "group_size",
                   "group_size_options",
                   "scale_bits_per_group",
                   "zero_point_bits_per_group",
                   "bits_per_weight",
                   "bits_per_weight_min",
                   "bits_per_weight_max",
                   "bits_per_weight_formula",
                   "embeddings_quantized",
                   "lm_head_quantized",
                   "kept_16bit",
                   "engines",
                   "hardware_notes",
                   "quality",
                   "source",
                   "notes"})) {
        return;
    }
    out.id = read_id(r, node, p);
    r.string_list(node, "aliases", p, out.aliases);
    r.string(node, "family", p, out.family, true);
    r.string(node, "name", p, out.name, true);
    r.string(node, "weight_format", p, out.weight_format, true);
    positive(r, node, "weight_bits", p, out.weight_bits);
    positive(r, node, "group_size", p, out.group_size);
    r.optional_double(node, "bits_per_weight", p, out.bits_per_weight, min_bpw, max_bpw);
    r.optional_double(node, "bits_per_weight_min", p, out.bits_per_weight_min, min_bpw, max_bpw);
    r.optional_double(node, "bits_per_weight_max", p, out.bits_per_weight_max, min_bpw, max_bpw);
    r.optional_bool(node, "embeddings_quantized", p, out.embeddings_quantized);
    r.optional_bool(node, "lm_head_quantized", p, out.lm_head_quantized);
    r.string_list(node, "kept_16bit", p, out.kept_16bit);
    r.string_list(node, "engines", p, out.engines);
    r.string(node, "source", p, out.source, true);
    if (out.bits_per_weight_min && out.bits_per_weight_max &&
        *out.bits_per_weight_min > *out.bits_per_weight_max) {
        r.problem(at(p, "bits_per_weight_min"), "greater than bits_per_weight_max");
    }
}

void read_kv_type(JsonReader& r, const json& node, const std::string& p, KvCacheType& out) {
    out.document = node;
    if (!r.object(node, p,
                  {"id", "engine_value", "engines", "storage", "block_size_elements",
                   "bytes_per_block", "k_bits_per_element", "v_bits_per_element",
                   "k_overhead_bytes_per_head_vector", "v_overhead_bytes_per_head_vector",
                   "bytes_per_element", "bytes_per_element_basis", "requires_flash_attention_for_k",
                   "requires_flash_attention_for_v", "quality", "source", "notes"})) {
        return;
    }
    out.id = read_id(r, node, p);
    r.string(node, "engine_value", p, out.engine_value, true);
    r.string_list(node, "engines", p, out.engines);
    if (out.engines.empty()) {
        r.problem(at(p, "engines"), "a KV-cache type belongs to at least one engine");
    }
    r.string(node, "storage", p, out.storage, true);
    positive(r, node, "block_size_elements", p, out.block_size_elements);
    positive(r, node, "bytes_per_block", p, out.bytes_per_block);
    r.optional_double(node, "k_bits_per_element", p, out.k_bits_per_element, 0.1, 64);
    r.optional_double(node, "v_bits_per_element", p, out.v_bits_per_element, 0.1, 64);
    r.optional_double(node, "k_overhead_bytes_per_head_vector", p,
                      out.k_overhead_bytes_per_head_vector, 0, 1e6);
    r.optional_double(node, "v_overhead_bytes_per_head_vector", p,
                      out.v_overhead_bytes_per_head_vector, 0, 1e6);
    r.optional_double(node, "bytes_per_element", p, out.bytes_per_element, 0.01, 8);
    r.boolean(node, "requires_flash_attention_for_k", p, out.requires_flash_attention_for_k, true);
    r.boolean(node, "requires_flash_attention_for_v", p, out.requires_flash_attention_for_v, true);
    r.string(node, "source", p, out.source, true);
}

} // namespace

void read_other_formats_file(FileContext& context, const json& document) {
    JsonReader& r = context.reader;
    if (!r.object(document, "", {"schema_version", "notes", "formats"})) {
        return;
    }
    each_item(r, document, "formats", "", true, [&](const json& node, const std::string& p) {
        WeightFormat format;
        read_format(r, node, p, format);
        context.catalog.weight_formats.push_back(format);
        context.locations.weight_formats.push_back({context.file, p});
    });
}

void read_kv_cache_types_file(FileContext& context, const json& document) {
    JsonReader& r = context.reader;
    if (!r.object(document, "", {"schema_version", "notes", "kv_cache_types"})) {
        return;
    }
    each_item(r, document, "kv_cache_types", "", true, [&](const json& node, const std::string& p) {
        KvCacheType type;
        read_kv_type(r, node, p, type);
        context.catalog.kv_cache_types.push_back(type);
        context.locations.kv_cache_types.push_back({context.file, p});
    });
}

} // namespace edgeplan::catalog_detail
