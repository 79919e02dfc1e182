// data/models/*.json: {"models": [...]} -> Model (schema: data/schema/model.schema.json).
#include "reader_support.hpp"

#include <edgeplan/catalog/catalog.hpp>

#include <algorithm>
#include <array>
#include <string_view>

namespace edgeplan::catalog_detail {

namespace {

void read_sliding_window(JsonReader& r, const json& node, const std::string& p,
                         ModelArchitecture& out) {
    if (!r.object(node, p, {"window_tokens", "pattern"})) {
        return;
    }
    SlidingWindow window;
    window.window_tokens = required_int(r, node, "window_tokens", p, 1);
    if (r.string(node, "pattern", p, window.pattern, true) &&
        (window.pattern.empty() || window.pattern.find_first_not_of("LG") != std::string::npos)) {
        r.problem(at(p, "pattern"), "expected a non-empty string of 'L' and 'G'");
    }
    out.sliding_window = window;
}

void read_mla(JsonReader& r, const json& node, const std::string& p, ModelArchitecture& out) {
    if (!r.object(node, p,
                  {"kv_lora_rank", "q_lora_rank", "qk_rope_head_dim", "qk_nope_head_dim",
                   "v_head_dim"})) {
        return;
    }
    MultiHeadLatentAttention mla;
    mla.kv_lora_rank = required_int(r, node, "kv_lora_rank", p, 1);
    positive(r, node, "q_lora_rank", p, mla.q_lora_rank);
    mla.qk_rope_head_dim = required_int(r, node, "qk_rope_head_dim", p, 1);
    mla.qk_nope_head_dim = required_int(r, node, "qk_nope_head_dim", p, 1);
    mla.v_head_dim = required_int(r, node, "v_head_dim", p, 1);
    out.mla = mla;
}

void read_moe(JsonReader& r, const json& node, const std::string& p, ModelArchitecture& out) {
    if (!r.object(node, p,
                  {"experts", "experts_per_token", "shared_experts", "expert_ffn_size",
                   "shared_expert_ffn_size", "dense_layers", "moe_layer_period"})) {
        return;
    }
    MixtureOfExperts moe;
    moe.experts = required_int(r, node, "experts", p, 1);
    moe.experts_per_token = required_int(r, node, "experts_per_token", p, 1);
    moe.shared_experts = required_int(r, node, "shared_experts", p, 0);
    moe.expert_ffn_size = required_int(r, node, "expert_ffn_size", p, 1);
    positive(r, node, "shared_expert_ffn_size", p, moe.shared_expert_ffn_size);
    moe.dense_layers = required_int(r, node, "dense_layers", p, 0);
    moe.moe_layer_period = required_int(r, node, "moe_layer_period", p, 1);
    if (moe.experts_per_token > moe.experts) {
        r.problem(at(p, "experts_per_token"), "more experts per token than experts");
    }
    out.moe = moe;
}

void read_recurrent(JsonReader& r, const json& node, const std::string& p, ModelArchitecture& out) {
    if (!r.object(node, p,
                  {"kind", "recurrent_layers", "attention_layers", "pattern", "state_size",
                   "conv_kernel", "inner_size", "heads", "groups"})) {
        return;
    }
    RecurrentLayers rec;
    r.string(node, "kind", p, rec.kind, true);
    rec.recurrent_layers = required_int(r, node, "recurrent_layers", p, 1);
    rec.attention_layers = required_int(r, node, "attention_layers", p, 0);
    r.optional_string(node, "pattern", p, rec.pattern);
    positive(r, node, "state_size", p, rec.state_size);
    positive(r, node, "conv_kernel", p, rec.conv_kernel);
    positive(r, node, "inner_size", p, rec.inner_size);
    positive(r, node, "heads", p, rec.heads);
    positive(r, node, "groups", p, rec.groups);
    out.recurrent = rec;
}

void read_encoder(JsonReader& r, const json& node, const std::string& p, ModelArchitecture& out) {
    if (!r.object(
            node, p,
            {"layers", "hidden_size", "attention_heads", "ffn_size", "max_source_positions",
             "mel_bins"})) {
        return;
    }
    EncoderStack encoder;
    encoder.layers = required_int(r, node, "layers", p, 1);
    encoder.hidden_size = required_int(r, node, "hidden_size", p, 1);
    encoder.attention_heads = required_int(r, node, "attention_heads", p, 1);
    positive(r, node, "ffn_size", p, encoder.ffn_size);
    positive(r, node, "max_source_positions", p, encoder.max_source_positions);
    positive(r, node, "mel_bins", p, encoder.mel_bins);
    out.encoder = encoder;
}

/// llama-server's --pooling values that name a trained pooling ("none" returns every token's
/// state, so it is never a model's own pooling).
void read_pooling(JsonReader& r, const json& node, const std::string& p, ModelArchitecture& out) {
    static const std::array<std::string_view, 4> known = {"mean", "cls", "last", "rank"};
    r.optional_string(node, "pooling", p, out.pooling);
    if (out.pooling && std::find(known.begin(), known.end(), *out.pooling) == known.end()) {
        r.problem(at(p, "pooling"),
                  "unknown pooling \"" + *out.pooling + "\" (expected mean, cls, last or rank)");
        out.pooling.reset();
    }
}

void read_global_attention(JsonReader& r, const json& node, const std::string& p,
                           ModelArchitecture& out) {
    if (!r.object(node, p, {"head_dim", "kv_heads", "k_eq_v"})) {
        return;
    }
    GlobalAttention global;
    global.head_dim = required_int(r, node, "head_dim", p, 1);
    positive(r, node, "kv_heads", p, global.kv_heads);
    r.boolean(node, "k_eq_v", p, global.k_eq_v, false);
    out.global_attention = global;
}

/// Gemma 3n/4 fields: Per-Layer Embeddings, AltUp, LAuReL, KV sharing, global head shape.
void read_layer_extras(JsonReader& r, const json& node, const std::string& p,
                       ModelArchitecture& out) {
    positive(r, node, "per_layer_embedding_dim", p, out.per_layer_embedding_dim);
    positive(r, node, "altup_inputs", p, out.altup_inputs);
    positive(r, node, "laurel_rank", p, out.laurel_rank);
    positive(r, node, "kv_shared_layers", p, out.kv_shared_layers);
    positive(r, node, "kv_shared_ffn_size", p, out.kv_shared_ffn_size);
    if (const json* n = member(node, "global_attention")) {
        read_global_attention(r, *n, at(p, "global_attention"), out);
    }
    if (out.altup_inputs && *out.altup_inputs < 2) {
        r.problem(at(p, "altup_inputs"), "AltUp needs at least 2 streams");
    }
    if (out.kv_shared_layers && out.layers && *out.kv_shared_layers >= *out.layers) {
        r.problem(at(p, "kv_shared_layers"), "at least one layer must hold its own KV");
    }
    if (out.kv_shared_ffn_size && !out.kv_shared_layers) {
        r.problem(at(p, "kv_shared_ffn_size"), "set without kv_shared_layers");
    }
}

void read_architecture(JsonReader& r, const json& node, const std::string& p,
                       ModelArchitecture& out) {
    if (!r.object(node, p,
                  {"kind", "gguf_architecture", "layers", "hidden_size", "attention_heads",
                   "kv_heads", "head_dim", "ffn_size", "ffn_gated", "vocab_size", "tied_embeddings",
                   "max_context_tokens", "sliding_window", "mla", "moe", "recurrent", "encoder",
                   "pooling", "per_layer_embedding_dim", "altup_inputs", "laurel_rank",
                   "kv_shared_layers", "kv_shared_ffn_size", "global_attention", "source"})) {
        return;
    }
    r.optional_string(node, "kind", p, out.kind);
    r.optional_string(node, "gguf_architecture", p, out.gguf_architecture);
    positive(r, node, "layers", p, out.layers);
    positive(r, node, "hidden_size", p, out.hidden_size);
    positive(r, node, "attention_heads", p, out.attention_heads);
    positive(r, node, "kv_heads", p, out.kv_heads);
    positive(r, node, "head_dim", p, out.head_dim);
    positive(r, node, "ffn_size", p, out.ffn_size);
    r.boolean(node, "ffn_gated", p, out.ffn_gated, false);
    positive(r, node, "vocab_size", p, out.vocab_size);
    r.optional_bool(node, "tied_embeddings", p, out.tied_embeddings);
    positive(r, node, "max_context_tokens", p, out.max_context_tokens);
    if (const json* n = member(node, "sliding_window")) {
        read_sliding_window(r, *n, at(p, "sliding_window"), out);
    }
    if (const json* n = member(node, "mla")) {
        read_mla(r, *n, at(p, "mla"), out);
    }
    if (const json* n = member(node, "moe")) {
        read_moe(r, *n, at(p, "moe"), out);
    }
    if (const json* n = member(node, "recurrent")) {
        read_recurrent(r, *n, at(p, "recurrent"), out);
    }
    if (const json* n = member(node, "encoder")) {
        read_encoder(r, *n, at(p, "encoder"), out);
    }
    read_pooling(r, node, p, out);
    read_layer_extras(r, node, p, out);
    r.optional_string(node, "source", p, out.source);
    if (out.kv_heads && out.attention_heads && *out.kv_heads > *out.attention_heads) {
        r.problem(at(p, "kv_heads"), "more KV heads than attention heads");
    }
}

void read_parameters(JsonReader& r, const json& node, const std::string& p, Model& out) {
    if (!r.object(node, p, {"total", "active", "source"})) {
        return;
    }
    r.optional_u64(node, "total", p, out.parameters_total);
    r.optional_u64(node, "active", p, out.parameters_active);
    r.optional_string(node, "source", p, out.parameters_source);
    if (out.parameters_total && *out.parameters_total == 0) {
        r.problem(at(p, "total"), "a parameter count cannot be 0; use null for unknown");
    }
    if (out.parameters_total && out.parameters_active &&
        *out.parameters_active > *out.parameters_total) {
        r.problem(at(p, "active"), "more active parameters than total parameters");
    }
}

void read_performance(JsonReader& r, const json& node, const std::string& p,
                      PublishedPerformance& out) {
    if (!r.object(node, p,
                  {"device", "chipset", "context_tokens", "decode_tokens_per_s", "ttft_ms_min",
                   "ttft_ms_max", "source", "date"})) {
        return;
    }
    r.string(node, "device", p, out.device, true);
    r.string(node, "chipset", p, out.chipset, true);
    std::int64_t ctx = 0;
    if (r.integer(node, "context_tokens", p, ctx, 1, 1 << 24, true)) {
        out.context_tokens = static_cast<int>(ctx);
    }
    r.number(node, "decode_tokens_per_s", p, out.decode_tokens_per_s, 1e-3, 1e6, true);
    r.optional_double(node, "ttft_ms_min", p, out.ttft_ms_min, 1e-6, 1e9);
    r.optional_double(node, "ttft_ms_max", p, out.ttft_ms_max, 1e-6, 1e9);
    r.string(node, "source", p, out.source, true);
    r.optional_string(node, "date", p, out.date);
    if (out.ttft_ms_min && out.ttft_ms_max && *out.ttft_ms_min > *out.ttft_ms_max) {
        r.problem(at(p, "ttft_ms_min"), "above ttft_ms_max");
    }
}

void read_artifact(JsonReader& r, const json& node, const std::string& p, Artifact& out) {
    if (!r.object(node, p,
                  {"format", "repository", "tag", "quantizations", "files", "runtime",
                   "accelerator", "platforms", "context_tokens", "prompt_chunk_tokens",
                   "size_bytes", "performance", "notes"})) {
        return;
    }
    r.string(node, "format", p, out.format, true);
    r.optional_string(node, "repository", p, out.repository);
    r.optional_string(node, "tag", p, out.tag);
    r.string_list(node, "quantizations", p, out.quantizations);
    r.optional_string(node, "runtime", p, out.runtime);
    r.optional_string(node, "accelerator", p, out.accelerator);
    r.string_list(node, "platforms", p, out.platforms);
    r.optional_int(node, "context_tokens", p, out.context_tokens, 1, 1 << 24);
    r.optional_int(node, "prompt_chunk_tokens", p, out.prompt_chunk_tokens, 1, 1 << 16);
    r.optional_u64(node, "size_bytes", p, out.size_bytes);
    r.optional_string(node, "notes", p, out.notes);
    each_item(r, node, "performance", p, false, [&](const json& item, const std::string& ip) {
        PublishedPerformance perf;
        read_performance(r, item, ip, perf);
        out.performance.push_back(perf);
    });
    if (out.runtime.has_value() != out.accelerator.has_value()) {
        r.problem(at(p, out.runtime ? "accelerator" : "runtime"),
                  "an NPU artifact names both its runtime and its accelerator");
    }
    if (!out.runtime && (!out.performance.empty() || out.prompt_chunk_tokens)) {
        r.problem(at(p, "runtime"), "published NPU figures need the runtime they were taken on");
    }
    // "files": {quantization: file name}; each key must be one of the listed quantizations.
    const auto files = node.find("files");
    if (files == node.end()) {
        return;
    }
    const std::string fp = p + "/files";
    if (!files->is_object()) {
        r.problem(fp, "must be an object of quantization -> file name");
        return;
    }
    for (const auto& [quant, file] : files->items()) {
        const std::string kp = fp + "/" + detail::pointer_token(quant);
        if (!file.is_string() || file.get<std::string>().empty()) {
            r.problem(kp, "must be a non-empty file name");
            continue;
        }
        if (std::find(out.quantizations.begin(), out.quantizations.end(), quant) ==
            out.quantizations.end()) {
            r.problem(kp, "names a quantization the artifact does not list in \"quantizations\"");
            continue;
        }
        out.files[quant] = file.get<std::string>();
    }
}

void read_model(JsonReader& r, const json& node, const std::string& p, Model& out) {
    out.document = node;
    if (!r.object(node, p,
                  {"id", "name", "family", "publisher", "release_date", "license", "open_weights",
                   "modalities", "tasks", "parameters", "architecture", "parameter_check",
                   "quality", "artifacts", "sources", "notes"})) {
        return;
    }
    out.id = read_id(r, node, p);
    r.string(node, "name", p, out.name, true);
    r.string(node, "family", p, out.family, true);
    r.string(node, "publisher", p, out.publisher, true);
    r.optional_string(node, "release_date", p, out.release_date);
    if (const json* n = member(node, "license")) {
        out.license.emplace();
        read_license(r, *n, at(p, "license"), *out.license);
    }
    r.boolean(node, "open_weights", p, out.open_weights, true);
    if (auto it = node.find("modalities"); it == node.end()) {
        r.problem(at(p, "modalities"), "required key is missing");
    } else if (r.object(*it, at(p, "modalities"), {"input", "output"})) {
        r.string_list(*it, "input", at(p, "modalities"), out.input_modalities);
        r.string_list(*it, "output", at(p, "modalities"), out.output_modalities);
    }
    each_item(r, node, "tasks", p, true, [&](const json& item, const std::string& ip) {
        const auto& known = model_tasks();
        if (!item.is_string()) {
            r.problem(ip, "expected a string");
        } else if (std::find(known.begin(), known.end(), item.get<std::string>()) == known.end()) {
            r.problem(ip, "unknown task \"" + item.get<std::string>() + "\"");
        } else {
            out.tasks.push_back(item.get<std::string>());
        }
    });
    if (auto it = node.find("parameters"); it == node.end()) {
        r.problem(at(p, "parameters"), "required key is missing");
    } else {
        read_parameters(r, *it, at(p, "parameters"), out);
    }
    if (auto it = node.find("architecture"); it == node.end()) {
        r.problem(at(p, "architecture"), "required key is missing");
    } else {
        read_architecture(r, *it, at(p, "architecture"), out.architecture);
        // The deployment files pin --pooling from this field: an embedder without it would
        // be served with whatever its GGUF says, a field on a chat model would mean nothing.
        const bool embeds =
            std::find(out.tasks.begin(), out.tasks.end(), "embedding") != out.tasks.end();
        const auto pooling = it->find("pooling");
        const bool has_pooling = pooling != it->end() && !pooling->is_null();
        if (embeds && !has_pooling) {
            r.problem(at(at(p, "architecture"), "pooling"),
                      "an embedding model needs its pooling (mean, cls, last or rank) from its "
                      "model card");
        } else if (!embeds && has_pooling) {
            r.problem(at(at(p, "architecture"), "pooling"),
                      "pooling is only for models with the embedding task");
        }
    }
    if (const json* n = member(node, "parameter_check")) {
        const std::string cp = at(p, "parameter_check");
        if (r.object(*n, cp, {"exception", "expected_ratio"})) {
            ParameterCheckException check;
            r.string(*n, "exception", cp, check.exception, true);
            r.optional_double(*n, "expected_ratio", cp, check.expected_ratio, 1e-6, 1e6);
            out.parameter_check = check;
        }
    }
    each_item(r, node, "quality", p, false, [&](const json& item, const std::string& ip) {
        QualityScore q;
        if (r.object(item, ip, {"task", "benchmark", "score", "scale", "source"})) {
            r.string(item, "task", ip, q.task, true);
            r.string(item, "benchmark", ip, q.benchmark, true);
            r.number(item, "score", ip, q.score, -1e12, 1e12, true);
            r.string(item, "scale", ip, q.scale, true);
            r.string(item, "source", ip, q.source, true);
        }
        out.quality.push_back(q);
    });
    each_item(r, node, "artifacts", p, false, [&](const json& item, const std::string& ip) {
        Artifact artifact;
        read_artifact(r, item, ip, artifact);
        out.artifacts.push_back(artifact);
    });
    r.string_list(node, "sources", p, out.sources);
    r.optional_string(node, "notes", p, out.notes);
}

} // namespace

void read_models_file(FileContext& context, const json& document) {
    JsonReader& r = context.reader;
    if (!r.object(document, "", {"models"})) {
        return;
    }
    each_item(r, document, "models", "", true, [&](const json& item, const std::string& p) {
        Model model;
        read_model(r, item, p, model);
        model.file = context.file;
        context.catalog.models.push_back(std::move(model));
        context.locations.models.push_back({context.file, p});
    });
}

} // namespace edgeplan::catalog_detail
