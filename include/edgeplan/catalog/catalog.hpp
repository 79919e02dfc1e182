#pragma once

// Loading and validating the catalogue: data/**/*.json -> edgeplan::Catalog, strictly, with
// every problem located as "<file>: <JSON pointer>: <what>", and all-or-nothing (a catalogue
// with one problem is not loaded at all).

#include <edgeplan/core/catalog.hpp>
#include <edgeplan/core/result.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace edgeplan {

/// Where the catalogue comes from: the copy embedded in the binary at build time, or a
/// directory laid out like data/ (models/, quantizations/, engines/, targets/).
struct CatalogSource {
    enum class Kind { embedded, directory };
    Kind kind = Kind::embedded;
    std::string directory; ///< as the user typed it (messages name files under it)

    static CatalogSource embedded() {
        return {};
    }
    static CatalogSource from_directory(std::string dir) {
        return {Kind::directory, std::move(dir)};
    }
};

/// One catalogue file's text; `name` is how messages refer to it ("data/models/llama.json").
struct CatalogFile {
    std::string name;
    std::string relative_path; ///< below the catalogue root: "models/llama.json"
    std::string text;
};

/// One problem in the catalogue, located by file and JSON pointer.
struct CatalogProblem {
    std::string file;
    std::string pointer; ///< "/models/3/id"; "" for a problem with the whole file
    std::string message;
    /// "<file>: <pointer>: <message>" (without the pointer when it is empty).
    [[nodiscard]] std::string location() const;
};

/// The outcome of reading a catalogue: a catalogue, or every problem found (never both).
struct CatalogCheck {
    std::optional<Catalog> catalog;
    std::vector<CatalogProblem> problems;
};

/// The files embedded at build time (every data/**/*.json but the schemas), sorted by path.
std::vector<CatalogFile> embedded_catalog_files();

/// Reads every *.json below `directory` except schema/, sorted by relative path. A missing
/// directory or unreadable file is reported as a problem in `problems`.
std::vector<CatalogFile> read_catalog_directory(const std::string& directory,
                                                std::vector<CatalogProblem>& problems);

/// Parses and validates catalogue files (pure: no I/O). Checks syntax, types, unknown keys,
/// ranges, duplicate ids and cross-references; the catalogue is set only if none failed.
CatalogCheck check_catalog_files(const std::vector<CatalogFile>& files);

/// Reads the source and checks it.
CatalogCheck check_catalog(const CatalogSource& source);

/// Loads the catalogue or fails with ExitCode::bad_catalog naming the first problem and how
/// many more there are.
Result<Catalog> load_catalog(const CatalogSource& source);

/// The tasks a model may list (data/schema/model.schema.json "task").
const std::vector<std::string>& model_tasks();

/// Up to `limit` of `candidates` closest to `wanted` (edit distance, then shared prefix),
/// for "did you mean" hints; empty when nothing is reasonably close.
std::vector<std::string> similar_ids(std::string_view wanted,
                                     const std::vector<std::string>& candidates,
                                     std::size_t limit = 3);

} // namespace edgeplan
