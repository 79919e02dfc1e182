// data/engines/*.json: {"engines": [...]} -> Engine (schema: data/schema/engine.schema.json).
#include "reader_support.hpp"

namespace edgeplan::catalog_detail {

namespace {

// data/schema/engine.schema.json $defs/features: every engine states each one (null: unknown).
const char* const feature_names[] = {"continuous_batching",  "paged_attention", "prefix_caching",
                                     "chunked_prefill",      "flash_attention", "kv_quantization",
                                     "speculative_decoding", "draft_models",    "dflash",
                                     "ssd_offload",          "kv_offload",      "lora_hot_swap",
                                     "multimodal",           "moe_cpu_offload", "multi_gpu"};

void read_features(JsonReader& r, const json& node, const std::string& p, Engine& out) {
    if (!r.object(node, p,
                  {"continuous_batching", "paged_attention", "prefix_caching", "chunked_prefill",
                   "flash_attention", "kv_quantization", "speculative_decoding", "draft_models",
                   "dflash", "ssd_offload", "kv_offload", "lora_hot_swap", "multimodal",
                   "moe_cpu_offload", "multi_gpu"})) {
        return;
    }
    for (const char* name : feature_names) {
        if (node.find(name) == node.end()) {
            r.problem(at(p, name), "required key is missing (null means unknown)");
            continue;
        }
        std::optional<bool> value;
        r.optional_bool(node, name, p, value);
        out.features[name] = value;
    }
}

void read_serving(JsonReader& r, const json& node, const std::string& p, EngineServing& out) {
    if (!r.object(node, p, {"interface", "default_port", "command", "apis"})) {
        return;
    }
    r.string(node, "interface", p, out.interface, true);
    r.optional_int(node, "default_port", p, out.default_port, 1, 65535);
    r.optional_string(node, "command", p, out.command);
    r.string_list(node, "apis", p, out.apis);
}

void read_flags(JsonReader& r, const json& node, const std::string& p, Engine& out) {
    if (!node.is_object()) {
        r.problem(p, "expected an object mapping a tool to its verified flags");
        return;
    }
    for (const auto& item : node.items()) {
        std::vector<std::string> flags;
        r.string_list(node, item.key().c_str(), p, flags);
        if (!item.value().is_array()) {
            continue; // string_list reported it
        }
        if (flags.empty()) {
            r.problem(at(p, item.key().c_str()), "a tool lists at least one verified flag");
        }
        out.flags[item.key()] = flags;
    }
}

void read_engine(JsonReader& r, const json& node, const std::string& p, Engine& out) {
    out.document = node;
    if (!r.object(
            node, p,
            {"id",           "name",          "version_checked",  "license",        "open_source",
             "cloud_only",   "telemetry",     "telemetry_switch", "repository",     "platforms",
             "accelerators", "model_formats", "quantizations",    "kv_cache_types", "features",
             "serving",      "flags",         "maturity",         "sources",        "notes"})) {
        return;
    }
    out.id = read_id(r, node, p);
    r.string(node, "name", p, out.name, true);
    r.string(node, "version_checked", p, out.version_checked, true);
    if (auto it = node.find("license"); it != node.end()) {
        read_license(r, *it, at(p, "license"), out.license);
    }
    r.boolean(node, "open_source", p, out.open_source, true);
    r.boolean(node, "cloud_only", p, out.cloud_only, true);
    r.string(node, "telemetry", p, out.telemetry, true);
    r.optional_string(node, "telemetry_switch", p, out.telemetry_switch);
    r.optional_string(node, "repository", p, out.repository);
    r.string_list(node, "platforms", p, out.platforms);
    r.string_list(node, "accelerators", p, out.accelerators);
    r.string_list(node, "model_formats", p, out.model_formats);
    r.string_list(node, "quantizations", p, out.quantizations);
    r.string_list(node, "kv_cache_types", p, out.kv_cache_types);
    if (auto it = node.find("features"); it == node.end()) {
        r.problem(at(p, "features"), "required key is missing");
    } else {
        read_features(r, *it, at(p, "features"), out);
    }
    if (auto it = node.find("serving"); it == node.end()) {
        r.problem(at(p, "serving"), "required key is missing");
    } else {
        read_serving(r, *it, at(p, "serving"), out.serving);
    }
    if (auto it = node.find("flags"); it != node.end()) {
        read_flags(r, *it, at(p, "flags"), out);
    }
    r.string(node, "maturity", p, out.maturity, true);
    r.string_list(node, "sources", p, out.sources);
    r.optional_string(node, "notes", p, out.notes);
    if (out.cloud_only && out.open_source) {
        r.problem(at(p, "open_source"), "a cloud-only engine cannot be open source");
    }
}

} // namespace

void read_engines_file(FileContext& context, const json& document) {
    JsonReader& r = context.reader;
    if (!r.object(document, "", {"engines"})) {
        return;
    }
    each_item(r, document, "engines", "", true, [&](const json& node, const std::string& p) {
        Engine engine;
        read_engine(r, node, p, engine);
        context.catalog.engines.push_back(engine);
        context.locations.engines.push_back({context.file, p});
    });
}

} // namespace edgeplan::catalog_detail
