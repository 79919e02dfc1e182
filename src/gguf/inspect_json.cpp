// The inspect summary as JSON (data/schema/gguf-inspect.schema.json): the file, the model
// fields in the catalogue's names, the type histogram, every tensor and every metadata key.
#include <edgeplan/gguf/gguf_inspect.hpp>

#include <nlohmann/json.hpp>

#include <cmath>

namespace edgeplan {

namespace {

using Json = nlohmann::ordered_json;

template <typename T> Json optional_json(const std::optional<T>& value) {
    return value ? Json(*value) : Json(nullptr);
}

Json value_json(const GgufValue& value) {
    if (const auto* array = value.as_array()) {
        Json values = Json::array();
        for (const auto& element : array->values) {
            if (values.size() >= gguf_inspect_array_values) {
                break;
            }
            values.push_back(value_json(element));
        }
        return Json{{"element_type", gguf_value_type_name(array->element_type)},
                    {"count", array->count},
                    {"values", values}};
    }
    if (const auto* u = std::get_if<std::uint64_t>(&value.data)) {
        return *u;
    }
    if (const auto* i = std::get_if<std::int64_t>(&value.data)) {
        return *i;
    }
    if (const auto* f = std::get_if<double>(&value.data)) {
        return std::isfinite(*f) ? Json(*f) : Json(nullptr); // JSON has no NaN or infinity
    }
    if (const auto* b = std::get_if<bool>(&value.data)) {
        return *b;
    }
    return *value.as_string();
}

Json architecture_json(const ModelArchitecture& a) {
    Json out{{"kind", optional_json(a.kind)},
             {"layers", optional_json(a.layers)},
             {"hidden_size", optional_json(a.hidden_size)},
             {"attention_heads", optional_json(a.attention_heads)},
             {"kv_heads", optional_json(a.kv_heads)},
             {"head_dim", optional_json(a.head_dim)},
             {"ffn_size", optional_json(a.ffn_size)},
             {"ffn_gated", a.ffn_gated},
             {"vocab_size", optional_json(a.vocab_size)},
             {"tied_embeddings", optional_json(a.tied_embeddings)},
             {"max_context_tokens", optional_json(a.max_context_tokens)},
             {"sliding_window", nullptr},
             {"mla", nullptr},
             {"moe", nullptr},
             {"recurrent", nullptr}};
    if (a.sliding_window) {
        out["sliding_window"] = {{"window_tokens", a.sliding_window->window_tokens},
                                 {"pattern", a.sliding_window->pattern}};
    }
    if (a.mla) {
        out["mla"] = {{"kv_lora_rank", a.mla->kv_lora_rank},
                      {"q_lora_rank", optional_json(a.mla->q_lora_rank)},
                      {"qk_rope_head_dim", a.mla->qk_rope_head_dim},
                      {"qk_nope_head_dim", a.mla->qk_nope_head_dim},
                      {"v_head_dim", a.mla->v_head_dim}};
    }
    if (a.moe) {
        out["moe"] = {{"experts", a.moe->experts},
                      {"experts_per_token", a.moe->experts_per_token},
                      {"shared_experts", a.moe->shared_experts},
                      {"expert_ffn_size", a.moe->expert_ffn_size},
                      {"shared_expert_ffn_size", optional_json(a.moe->shared_expert_ffn_size)},
                      {"dense_layers", a.moe->dense_layers},
                      {"moe_layer_period", a.moe->moe_layer_period}};
    }
    if (a.recurrent) {
        const auto& r = *a.recurrent;
        out["recurrent"] = {{"kind", r.kind},
                            {"recurrent_layers", r.recurrent_layers},
                            {"attention_layers", r.attention_layers},
                            {"pattern", optional_json(r.pattern)},
                            {"state_size", optional_json(r.state_size)},
                            {"conv_kernel", optional_json(r.conv_kernel)},
                            {"inner_size", optional_json(r.inner_size)},
                            {"heads", optional_json(r.heads)},
                            {"groups", optional_json(r.groups)}};
    }
    return out;
}

} // namespace

std::string render_gguf_inspect_json(const std::string& name, const GgufFile& file,
                                     const GgufModel& model) {
    Json doc;
    doc["schema"] = "edgeplan.gguf-inspect";
    doc["schema_version"] = gguf_inspect_schema_version;
    doc["file"] = {{"name", name},
                   {"bytes", file.file_bytes},
                   {"gguf_version", file.version},
                   {"alignment", file.alignment},
                   {"data_offset", file.data_offset},
                   {"tensor_count", file.tensors.size()},
                   {"metadata_count", file.metadata.size()}};
    const auto& m = model.model;
    doc["model"] = {{"architecture", optional_json(m.architecture.gguf_architecture)},
                    {"name", m.name},
                    {"parameters", model.parameters},
                    {"weight_bytes", model.weight_bytes},
                    {"file_type", optional_json(model.file_type)},
                    {"file_type_name", optional_json(model.file_type_name)},
                    {"kv_bytes_per_token_f16", optional_json(model.kv_bytes_per_token_f16)},
                    {"architecture_fields", architecture_json(m.architecture)}};
    Json types = Json::array();
    for (const auto& t : gguf_type_totals(file)) {
        types.push_back({{"type", t.type},
                         {"ggml_type_id", t.ggml_type_id},
                         {"tensors", t.tensors},
                         {"parameters", t.parameters},
                         {"bytes", t.bytes}});
    }
    doc["tensor_types"] = types;
    Json tensors = Json::array();
    for (const auto& t : file.tensors) {
        tensors.push_back({{"name", t.name},
                           {"type", t.type},
                           {"ggml_type_id", t.ggml_type_id},
                           {"dims", t.dims},
                           {"offset", t.offset},
                           {"bytes", t.bytes}});
    }
    doc["tensors"] = tensors;
    Json metadata = Json::array();
    for (const auto& kv : file.metadata) {
        metadata.push_back({{"key", kv.key},
                            {"type", gguf_value_type_name(kv.value.type)},
                            {"value", value_json(kv.value)}});
    }
    doc["metadata"] = metadata;
    doc["notes"] = model.notes;
    return doc.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

} // namespace edgeplan
