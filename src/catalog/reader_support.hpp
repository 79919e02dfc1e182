#pragma once

// Internal to the catalog module: helpers shared by the per-kind readers, and where each
// entry was read from (for duplicate-id and cross-reference messages).

#include <edgeplan/core/catalog.hpp>
#include <edgeplan/core/json_reader.hpp>

#include <climits>
#include <string>
#include <vector>

namespace edgeplan::catalog_detail {

using detail::JsonReader;
using nlohmann::json;

/// The file and JSON pointer an entry was read from.
struct Location {
    std::string file;
    std::string pointer;
};

/// Where every entry of the catalogue came from, parallel to the Catalog's vectors.
struct Locations {
    std::vector<Location> models;
    std::vector<Location> ggml_types;
    std::vector<Location> gguf_presets;
    std::vector<Location> weight_formats;
    std::vector<Location> kv_cache_types;
    std::vector<Location> engines;
    std::vector<Location> targets;
    Location preset_tables; ///< the presets file (row_fallback, reference_model)
};

/// What a reader of one file needs: the strict reader, the file's name, and the output.
struct FileContext {
    JsonReader& reader;
    const std::string& file;
    Catalog& catalog;
    Locations& locations;
};

/// The member, or nullptr when it is absent or null.
const json* member(const json& parent, const char* key);
/// pointer + "/" + key (key escaped) and pointer + "/" + index.
std::string at(const std::string& pointer, const char* key);
std::string at(const std::string& pointer, std::size_t index);

/// Reads an optional int that is positive when present (schema "nullable_positive").
void positive(JsonReader& r, const json& parent, const char* key, const std::string& p,
              std::optional<int>& out);
/// Reads a required int in [min, INT_MAX].
int required_int(JsonReader& r, const json& parent, const char* key, const std::string& p, int min);
/// Reads an id: required, and [A-Za-z0-9] then [A-Za-z0-9._-]*.
std::string read_id(JsonReader& r, const json& entry, const std::string& p);

/// Calls each(item, pointer) for every element of the array member `key` (absent: none,
/// unless required).
template <typename Each>
void each_item(JsonReader& r, const json& parent, const char* key, const std::string& p,
               bool required, Each each) {
    auto it = parent.find(key);
    if (it == parent.end()) {
        if (required) {
            r.problem(at(p, key), "required key is missing");
        }
        return;
    }
    if (!r.array(*it, at(p, key))) {
        return;
    }
    for (std::size_t i = 0; i < it->size(); ++i) {
        each((*it)[i], at(at(p, key), i));
    }
}

// One reader per kind of file; each appends to the catalogue and to the locations.
void read_models_file(FileContext& context, const json& document);
void read_ggml_types_file(FileContext& context, const json& document);
void read_gguf_presets_file(FileContext& context, const json& document);
void read_other_formats_file(FileContext& context, const json& document);
void read_kv_cache_types_file(FileContext& context, const json& document);
void read_engines_file(FileContext& context, const json& document);
void read_targets_file(FileContext& context, const json& document);
void read_license(JsonReader& r, const json& node, const std::string& p, License& out);

/// A problem found after reading: located in a file.
struct LocatedProblem {
    Location where;
    std::string message;
};

/// Duplicate ids within each kind (and across presets, formats and their aliases, which
/// share one namespace) and references that name nothing.
std::vector<LocatedProblem> check_cross_references(const Catalog& catalog,
                                                   const Locations& locations);

} // namespace edgeplan::catalog_detail
