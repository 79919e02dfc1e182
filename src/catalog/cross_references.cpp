// Checks that need the whole catalogue: duplicate ids across files, and references from one
// entry to another (quantization ids, engine ids, ggml types) that name nothing.
#include "reader_support.hpp"

#include <map>

namespace edgeplan::catalog_detail {

namespace {

class Checker {
  public:
    Checker(const Catalog& catalog, const Locations& locations)
        : catalog_(catalog), locations_(locations) {}

    std::vector<LocatedProblem> run() {
        unique_ids("model", catalog_.models, locations_.models);
        unique_ids("ggml type", catalog_.ggml_types, locations_.ggml_types);
        unique_ids("KV-cache type", catalog_.kv_cache_types, locations_.kv_cache_types);
        unique_ids("engine", catalog_.engines, locations_.engines);
        unique_ids("target", catalog_.targets, locations_.targets);
        unique_quantization_names();
        model_references();
        engine_references();
        format_and_kv_references();
        preset_references();
        return std::move(problems_);
    }

  private:
    void report(const Location& base, const std::string& suffix, std::string message) {
        problems_.push_back({{base.file, base.pointer + suffix}, std::move(message)});
    }

    template <typename T>
    void unique_ids(const char* kind, const std::vector<T>& items,
                    const std::vector<Location>& where) {
        std::map<std::string, std::size_t> first;
        for (std::size_t i = 0; i < items.size(); ++i) {
            if (items[i].id.empty()) {
                continue; // already reported as missing
            }
            auto [it, inserted] = first.emplace(items[i].id, i);
            if (!inserted) {
                const Location& earlier = where[it->second];
                report(where[i], "/id",
                       std::string("duplicate ") + kind + " id \"" + items[i].id +
                           "\" (first defined at " + earlier.file + ": " + earlier.pointer + ")");
            }
        }
    }

    // Presets and weight formats share one namespace: a model or an engine names either by
    // id or alias, so one name must not mean two things.
    void unique_quantization_names() {
        std::map<std::string, Location> first;
        auto claim = [&](const std::string& name, const Location& where,
                         const std::string& suffix) {
            if (name.empty()) {
                return;
            }
            auto [it, inserted] = first.emplace(name, Location{where.file, where.pointer + suffix});
            if (!inserted) {
                report(where, suffix,
                       "duplicate quantization id or alias \"" + name + "\" (first defined at " +
                           it->second.file + ": " + it->second.pointer + ")");
            }
        };
        for (std::size_t i = 0; i < catalog_.gguf_presets.size(); ++i) {
            const auto& preset = catalog_.gguf_presets[i];
            claim(preset.id, locations_.gguf_presets[i], "/id");
            for (std::size_t a = 0; a < preset.aliases.size(); ++a) {
                claim(preset.aliases[a], locations_.gguf_presets[i],
                      "/aliases/" + std::to_string(a));
            }
        }
        for (std::size_t i = 0; i < catalog_.weight_formats.size(); ++i) {
            const auto& format = catalog_.weight_formats[i];
            claim(format.id, locations_.weight_formats[i], "/id");
            for (std::size_t a = 0; a < format.aliases.size(); ++a) {
                claim(format.aliases[a], locations_.weight_formats[i],
                      "/aliases/" + std::to_string(a));
            }
        }
    }

    void quantization(const Location& where, const std::string& suffix, const std::string& id) {
        if (!catalog_.find_quantization(id).found()) {
            report(where, suffix,
                   "unknown quantization \"" + id +
                       "\" (not a GGUF preset or weight format id or alias)");
        }
    }

    void engine(const Location& where, const std::string& suffix, const std::string& id) {
        if (catalog_.find_engine(id) == nullptr) {
            report(where, suffix, "unknown engine \"" + id + "\" (not an id in engines/)");
        }
    }

    void ggml_type(const Location& where, const std::string& suffix, const std::string& id) {
        if (!id.empty() && catalog_.find_ggml_type(id) == nullptr) {
            report(where, suffix, "unknown ggml type \"" + id + "\" (not an id in ggml_types)");
        }
    }

    void model_references() {
        for (std::size_t i = 0; i < catalog_.models.size(); ++i) {
            const auto& artifacts = catalog_.models[i].artifacts;
            for (std::size_t a = 0; a < artifacts.size(); ++a) {
                if (artifacts[a].runtime) {
                    engine(locations_.models[i], "/artifacts/" + std::to_string(a) + "/runtime",
                           *artifacts[a].runtime);
                }
                const auto& quants = artifacts[a].quantizations;
                for (std::size_t q = 0; q < quants.size(); ++q) {
                    quantization(locations_.models[i],
                                 "/artifacts/" + std::to_string(a) + "/quantizations/" +
                                     std::to_string(q),
                                 quants[q]);
                }
            }
        }
    }

    void engine_references() {
        for (std::size_t i = 0; i < catalog_.engines.size(); ++i) {
            const auto& quants = catalog_.engines[i].quantizations;
            for (std::size_t q = 0; q < quants.size(); ++q) {
                quantization(locations_.engines[i], "/quantizations/" + std::to_string(q),
                             quants[q]);
            }
        }
    }

    void format_and_kv_references() {
        for (std::size_t i = 0; i < catalog_.weight_formats.size(); ++i) {
            const auto& engines = catalog_.weight_formats[i].engines;
            for (std::size_t e = 0; e < engines.size(); ++e) {
                engine(locations_.weight_formats[i], "/engines/" + std::to_string(e), engines[e]);
            }
        }
        for (std::size_t i = 0; i < catalog_.kv_cache_types.size(); ++i) {
            const auto& engines = catalog_.kv_cache_types[i].engines;
            for (std::size_t e = 0; e < engines.size(); ++e) {
                engine(locations_.kv_cache_types[i], "/engines/" + std::to_string(e), engines[e]);
            }
        }
    }

    void preset_references() {
        for (std::size_t i = 0; i < catalog_.gguf_presets.size(); ++i) {
            const auto& preset = catalog_.gguf_presets[i];
            ggml_type(locations_.gguf_presets[i], "/base_type", preset.base_type);
            for (std::size_t r = 0; r < preset.rules.size(); ++r) {
                ggml_type(locations_.gguf_presets[i], "/rules/" + std::to_string(r) + "/type",
                          preset.rules[r].type);
            }
        }
        const auto& tables = catalog_.preset_tables;
        for (const auto& [from, to] : tables.row_fallback) {
            // The map is sorted, not in file order, so the pointer names the list.
            ggml_type(locations_.preset_tables, "/row_fallback", from);
            ggml_type(locations_.preset_tables, "/row_fallback", to);
        }
        if (!catalog_.gguf_presets.empty()) {
            ggml_type(locations_.preset_tables, "/row_fallback_final", tables.row_fallback_final);
        }
    }

    const Catalog& catalog_;
    const Locations& locations_;
    std::vector<LocatedProblem> problems_;
};

} // namespace

std::vector<LocatedProblem> check_cross_references(const Catalog& catalog,
                                                   const Locations& locations) {
    return Checker(catalog, locations).run();
}

} // namespace edgeplan::catalog_detail
