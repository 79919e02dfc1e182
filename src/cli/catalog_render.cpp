#include "catalog_render.hpp"

#include <edgeplan/report/audit_report.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace edgeplan::cli {

namespace {

using nlohmann::ordered_json;

std::string join(const std::vector<std::string>& items, const char* separator = ", ") {
    std::string out;
    for (const auto& item : items) {
        out += (out.empty() ? "" : separator) + item;
    }
    return out;
}

/// Markdown cells cannot hold '|' or newlines.
std::string cell(std::string text) {
    std::string out;
    for (char c : text) {
        if (c == '|') {
            out += "\\|";
        } else {
            out += c == '\n' ? ' ' : c;
        }
    }
    return out.empty() ? "-" : out;
}

std::string billions(const std::optional<std::uint64_t>& count) {
    return count ? fmt::format("{:.2f}B", static_cast<double>(*count) / 1e9) : "unknown";
}

std::string gib(std::uint64_t bytes) {
    return fmt::format("{:g}", static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0));
}

std::string number(const std::optional<double>& value) {
    return value ? fmt::format("{:g}", *value) : "unknown";
}

template <typename T> ordered_json maybe(const std::optional<T>& value) {
    return value ? ordered_json(*value) : ordered_json(nullptr);
}

/// A table: header row, rule, rows; every cell escaped.
std::string table(const std::vector<std::string>& header,
                  const std::vector<std::vector<std::string>>& rows) {
    std::string out = "| " + join(header, " | ") + " |\n|";
    for (std::size_t i = 0; i < header.size(); ++i) {
        out += "---|";
    }
    out += "\n";
    for (const auto& row : rows) {
        std::vector<std::string> cells;
        std::transform(row.begin(), row.end(), std::back_inserter(cells), cell);
        out += "| " + join(cells, " | ") + " |\n";
    }
    return out;
}

struct Listing {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    ordered_json json = ordered_json::array();
};

Listing list_models(const Catalog& catalog, const std::string& task) {
    Listing l{{"id", "name", "parameters", "active", "context", "tasks"}, {}};
    for (const auto& m : catalog.models) {
        if (!task.empty() && std::find(m.tasks.begin(), m.tasks.end(), task) == m.tasks.end()) {
            continue;
        }
        const auto& context = m.architecture.max_context_tokens;
        const bool moe = m.parameters_active && m.parameters_active != m.parameters_total;
        l.rows.push_back({m.id, m.name, billions(m.parameters_total),
                          moe ? billions(m.parameters_active) : "-",
                          context ? std::to_string(*context) : "unknown", join(m.tasks)});
        l.json.push_back({{"id", m.id},
                          {"name", m.name},
                          {"parameters_total", maybe(m.parameters_total)},
                          {"parameters_active", maybe(m.parameters_active)},
                          {"max_context_tokens", maybe(context)},
                          {"tasks", m.tasks}});
    }
    return l;
}

Listing list_quants(const Catalog& catalog) {
    Listing l{{"id", "kind", "bits per weight", "aliases"}, {}};
    for (const auto& p : catalog.gguf_presets) {
        // Bits per weight of a preset depend on the model; the figure is Llama-3-8B's.
        std::optional<double> bpw = p.quoted_bpw_llama3_8b;
        if (!bpw && p.computed_llama3_8b) {
            bpw = p.computed_llama3_8b->bits_per_weight;
        }
        l.rows.push_back({p.id, "GGUF preset",
                          bpw ? fmt::format("{:g} (Llama-3-8B)", *bpw) : "unknown",
                          join(p.aliases)});
        l.json.push_back({{"id", p.id},
                          {"kind", "gguf_preset"},
                          {"bits_per_weight_llama3_8b", maybe(bpw)},
                          {"aliases", p.aliases}});
    }
    for (const auto& f : catalog.weight_formats) {
        std::string bpw = number(f.bits_per_weight);
        if (!f.bits_per_weight && f.bits_per_weight_min && f.bits_per_weight_max) {
            bpw = fmt::format("{:g}-{:g}", *f.bits_per_weight_min, *f.bits_per_weight_max);
        }
        l.rows.push_back({f.id, f.family + " format", bpw, join(f.aliases)});
        l.json.push_back({{"id", f.id},
                          {"kind", "weight_format"},
                          {"family", f.family},
                          {"bits_per_weight", maybe(f.bits_per_weight)},
                          {"bits_per_weight_min", maybe(f.bits_per_weight_min)},
                          {"bits_per_weight_max", maybe(f.bits_per_weight_max)},
                          {"aliases", f.aliases}});
    }
    return l;
}

Listing list_engines(const Catalog& catalog) {
    Listing l{{"id", "name", "formats", "platforms", "open source", "telemetry", "maturity"}, {}};
    for (const auto& e : catalog.engines) {
        l.rows.push_back({e.id, e.name, join(e.model_formats), join(e.platforms),
                          e.cloud_only ? "cloud only" : (e.open_source ? "yes" : "no"), e.telemetry,
                          e.maturity});
        l.json.push_back({{"id", e.id},
                          {"name", e.name},
                          {"model_formats", e.model_formats},
                          {"platforms", e.platforms},
                          {"open_source", e.open_source},
                          {"cloud_only", e.cloud_only},
                          {"telemetry", e.telemetry},
                          {"maturity", e.maturity}});
    }
    return l;
}

Listing list_targets(const Catalog& catalog) {
    Listing l{{"id", "name", "class", "memory options (GiB)", "memory bandwidth (GB/s)"}, {}};
    for (const auto& t : catalog.targets) {
        std::vector<std::string> options;
        std::transform(t.memory_options_bytes.begin(), t.memory_options_bytes.end(),
                       std::back_inserter(options), gib);
        const auto& bandwidth = t.profile.memory.bandwidth_gbps.value;
        l.rows.push_back({t.id, t.name, t.target_class, join(options), number(bandwidth)});
        l.json.push_back({{"id", t.id},
                          {"name", t.name},
                          {"class", t.target_class},
                          {"memory_options_bytes", t.memory_options_bytes},
                          {"memory_bandwidth_gbps", maybe(bandwidth)}});
    }
    return l;
}

/// Leaves of a JSON entry as (pointer, value) rows; arrays of scalars become one row.
void flatten(const nlohmann::json& node, const std::string& pointer,
             std::vector<std::vector<std::string>>& rows) {
    const bool scalar_array =
        node.is_array() &&
        std::all_of(node.begin(), node.end(), [](const auto& item) { return item.is_primitive(); });
    if (node.is_object() && !node.empty()) {
        for (const auto& item : node.items()) {
            flatten(item.value(), pointer + "/" + item.key(), rows);
        }
    } else if (node.is_array() && !scalar_array) {
        for (std::size_t i = 0; i < node.size(); ++i) {
            flatten(node[i], pointer + "/" + std::to_string(i), rows);
        }
    } else if (scalar_array) {
        std::vector<std::string> items;
        for (const auto& item : node) {
            items.push_back(item.is_string() ? item.get<std::string>() : item.dump());
        }
        rows.push_back({pointer, items.empty() ? "(none)" : join(items)});
    } else {
        rows.push_back({pointer, node.is_null()     ? "unknown"
                                 : node.is_string() ? node.get<std::string>()
                                                    : node.dump()});
    }
}

std::string show_entry(const std::string& kind, const std::string& id, const std::string& name,
                       const nlohmann::json& document) {
    std::vector<std::vector<std::string>> rows;
    flatten(document, "", rows);
    return "# " + name + "\n\n" + kind + " `" + id + "`\n\n" + table({"field", "value"}, rows);
}

} // namespace

std::string render_catalog_list(const Catalog& catalog, CatalogKind kind, const std::string& task,
                                CatalogFormat format) {
    Listing listing = kind == CatalogKind::models    ? list_models(catalog, task)
                      : kind == CatalogKind::quants  ? list_quants(catalog)
                      : kind == CatalogKind::engines ? list_engines(catalog)
                                                     : list_targets(catalog);
    if (format == CatalogFormat::json) {
        return listing.json.dump(2) + "\n";
    }
    return table(listing.header, listing.rows);
}

std::string render_catalog_show(const Catalog& catalog, const std::string& id,
                                CatalogFormat format) {
    ordered_json found = ordered_json::array();
    std::string markdown;
    auto add = [&](const char* kind, const std::string& entry_id, const std::string& name,
                   const nlohmann::json& document, const std::string& extra = {}) {
        found.push_back({{"kind", kind}, {"entry", document}});
        markdown +=
            (markdown.empty() ? "" : "\n") + show_entry(kind, entry_id, name, document) + extra;
    };
    if (const Model* m = catalog.find_model(id)) {
        add("model", m->id, m->name, m->document);
    }
    if (const GgufPreset* p = catalog.find_gguf_preset(id)) {
        add("GGUF preset", p->id, p->id, p->document);
    }
    if (const WeightFormat* f = catalog.find_weight_format(id)) {
        add("weight format", f->id, f->name, f->document);
    }
    if (const GgmlType* t = catalog.find_ggml_type(id)) {
        add("ggml type", t->id, t->id, t->document);
    }
    if (const KvCacheType* k = catalog.find_kv_cache_type(id)) {
        add("KV-cache type", k->id, k->id, k->document);
    }
    if (const Engine* e = catalog.find_engine(id)) {
        add("engine", e->id, e->name, e->document);
    }
    if (const Target* t = catalog.find_target(id)) {
        // A target's profile reads best as the audit it produces.
        nlohmann::json summary = t->document;
        summary.erase("profile");
        add("target", t->id, t->name, summary, "\n" + render_audit_markdown(t->profile, 2));
    }
    if (found.empty()) {
        return {};
    }
    return format == CatalogFormat::json ? found.dump(2) + "\n" : markdown;
}

std::vector<std::string> catalog_ids(const Catalog& catalog) {
    std::vector<std::string> ids;
    auto collect = [&](const auto& items) {
        for (const auto& item : items) {
            ids.push_back(item.id);
        }
    };
    collect(catalog.models);
    collect(catalog.gguf_presets);
    collect(catalog.weight_formats);
    collect(catalog.ggml_types);
    collect(catalog.kv_cache_types);
    collect(catalog.engines);
    collect(catalog.targets);
    return ids;
}

std::string render_catalog_summary(const Catalog& catalog) {
    return fmt::format(
        "catalogue OK: {} models, {} GGUF presets, {} weight formats, {} ggml types, "
        "{} KV-cache types, {} engines, {} targets\n",
        catalog.models.size(), catalog.gguf_presets.size(), catalog.weight_formats.size(),
        catalog.ggml_types.size(), catalog.kv_cache_types.size(), catalog.engines.size(),
        catalog.targets.size());
}

} // namespace edgeplan::cli
