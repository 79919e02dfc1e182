// The catalogue's two sources: the files embedded at build time (embedded_data.cpp, generated
// by cmake/EmbedCatalog.cmake) and a directory named by the user. The only file access in
// this module.
#include "embedded.hpp"

#include <edgeplan/catalog/catalog.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace edgeplan {

namespace {

namespace fs = std::filesystem;

// Real catalogue files are < 1 MiB; a bigger one is a wrong file, not a catalogue.
constexpr std::uintmax_t max_file_bytes = 64ull * 1024 * 1024;

} // namespace

std::vector<CatalogFile> embedded_catalog_files() {
    std::vector<CatalogFile> files;
    for (std::size_t i = 0; i < catalog_embedded::file_count; ++i) {
        const auto& file = catalog_embedded::files[i];
        files.push_back({std::string("data/") + file.path, file.path,
                         std::string(reinterpret_cast<const char*>(file.data), file.size)});
    }
    std::sort(files.begin(), files.end(), [](const CatalogFile& a, const CatalogFile& b) {
        return a.relative_path < b.relative_path;
    });
    return files;
}

std::vector<CatalogFile> read_catalog_directory(const std::string& directory,
                                                std::vector<CatalogProblem>& problems) {
    std::vector<CatalogFile> files;
    std::error_code ec;
    if (!fs::is_directory(directory, ec)) {
        problems.push_back({directory, "", "not a directory"});
        return files;
    }
    std::vector<fs::path> paths;
    for (auto it = fs::recursive_directory_iterator(directory, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        const fs::path relative = it->path().lexically_relative(directory);
        // The JSON Schemas describe the catalogue; they are not part of it.
        if (it->is_directory() && relative == "schema") {
            it.disable_recursion_pending();
            continue;
        }
        if (it->is_regular_file() && it->path().extension() == ".json") {
            paths.push_back(relative);
        }
    }
    if (ec) {
        problems.push_back({directory, "", "cannot list: " + ec.message()});
        return files;
    }
    if (paths.empty()) {
        problems.push_back({directory, "", "no catalogue files (*.json) in it"});
        return files;
    }
    std::sort(paths.begin(), paths.end());
    for (const auto& relative : paths) {
        const fs::path full = fs::path(directory) / relative;
        CatalogFile file{full.generic_string(), relative.generic_string(), {}};
        const auto size = fs::file_size(full, ec);
        if (ec || size > max_file_bytes) {
            problems.push_back(
                {file.name, "",
                 ec ? "cannot read: " + ec.message() : "larger than 64 MiB: not a catalogue file"});
            continue;
        }
        std::ifstream in(full, std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        if (!in) {
            problems.push_back({file.name, "", "cannot read"});
            continue;
        }
        file.text = text.str();
        files.push_back(std::move(file));
    }
    return files;
}

} // namespace edgeplan
