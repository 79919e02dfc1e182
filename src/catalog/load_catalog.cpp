// Parses every catalogue file, dispatches it to its reader by folder (and, under
// quantizations/, by its list key), then runs the whole-catalogue checks. All or nothing:
// one problem anywhere and no Catalog is returned.
#include "reader_support.hpp"

#include <edgeplan/catalog/catalog.hpp>

namespace edgeplan {

namespace {

using catalog_detail::FileContext;
using catalog_detail::json;
using catalog_detail::Locations;

using FileReader = void (*)(FileContext&, const json&);

/// The reader for a file, from its first folder and (quantizations/) its list key.
FileReader reader_for(const std::string& relative_path, const json& document) {
    const std::string folder = relative_path.substr(0, relative_path.find('/'));
    if (folder == "models") {
        return catalog_detail::read_models_file;
    }
    if (folder == "engines") {
        return catalog_detail::read_engines_file;
    }
    if (folder == "targets") {
        return catalog_detail::read_targets_file;
    }
    if (folder == "quantizations" && document.is_object()) {
        if (document.contains("ggml_types")) {
            return catalog_detail::read_ggml_types_file;
        }
        if (document.contains("presets")) {
            return catalog_detail::read_gguf_presets_file;
        }
        if (document.contains("formats")) {
            return catalog_detail::read_other_formats_file;
        }
        if (document.contains("kv_cache_types")) {
            return catalog_detail::read_kv_cache_types_file;
        }
    }
    return nullptr;
}

std::string parse_error_text(const json::parse_error& error) {
    // nlohmann's message is "[json.exception.parse_error.101] parse error at line 1, ...".
    std::string what = error.what();
    if (auto pos = what.find("] "); pos != std::string::npos) {
        what = what.substr(pos + 2);
    }
    return "not valid JSON: " + what;
}

void read_file(const CatalogFile& file, Catalog& catalog, Locations& locations,
               std::vector<CatalogProblem>& problems) {
    json document;
    try {
        document = json::parse(file.text);
    } catch (const json::parse_error& error) {
        problems.push_back({file.name, "", parse_error_text(error)});
        return;
    }
    FileReader reader = reader_for(file.relative_path, document);
    if (reader == nullptr) {
        const bool quantization = file.relative_path.rfind("quantizations/", 0) == 0;
        problems.push_back(
            {file.name, quantization ? "/" : "",
             quantization ? "not a quantization file: expected a ggml_types, presets, formats "
                            "or kv_cache_types list"
                          : "not a catalogue file: expected it under models/, quantizations/, "
                            "engines/ or targets/"});
        return;
    }
    detail::JsonReader json_reader(Source::preset);
    FileContext context{json_reader, file.name, catalog, locations};
    reader(context, document);
    for (const auto& [pointer, message] : json_reader.problems()) {
        problems.push_back({file.name, pointer, message});
    }
}

} // namespace

CatalogCheck check_catalog_files(const std::vector<CatalogFile>& files) {
    CatalogCheck check;
    Catalog catalog;
    Locations locations;
    if (files.empty()) {
        check.problems.push_back({"catalogue", "", "no catalogue files (*.json) found"});
    }
    for (const auto& file : files) {
        read_file(file, catalog, locations, check.problems);
    }
    for (auto& problem : catalog_detail::check_cross_references(catalog, locations)) {
        check.problems.push_back(
            {problem.where.file, problem.where.pointer, std::move(problem.message)});
    }
    if (check.problems.empty()) {
        check.catalog = std::move(catalog);
    }
    return check;
}

CatalogCheck check_catalog(const CatalogSource& source) {
    if (source.kind == CatalogSource::Kind::embedded) {
        return check_catalog_files(embedded_catalog_files());
    }
    std::vector<CatalogProblem> problems;
    auto files = read_catalog_directory(source.directory, problems);
    if (!problems.empty()) {
        return {std::nullopt, std::move(problems)};
    }
    return check_catalog_files(files);
}

Result<Catalog> load_catalog(const CatalogSource& source) {
    CatalogCheck check = check_catalog(source);
    if (check.catalog) {
        return std::move(*check.catalog);
    }
    const auto& first = check.problems.front();
    std::string message = first.message;
    if (check.problems.size() > 1) {
        const auto more = check.problems.size() - 1;
        message += " (and " + std::to_string(more) + " more problem" + (more > 1 ? "s" : "") + ")";
    }
    return make_error(ExitCode::bad_catalog, first.location(), message);
}

} // namespace edgeplan
