#pragma once

// Markdown and JSON views of the catalogue for `edgeplan catalog list|show`. Output holds no
// path, clock time or host name, so golden files stay stable.

#include <edgeplan/core/catalog.hpp>

#include <string>
#include <vector>

namespace edgeplan::cli {

/// What `catalog list` lists.
enum class CatalogKind { models, quants, engines, targets };

/// Output format of the catalog commands.
enum class CatalogFormat { markdown, json };

/// A table of one kind (models filtered by `task` when it is not empty).
std::string render_catalog_list(const Catalog& catalog, CatalogKind kind, const std::string& task,
                                CatalogFormat format);

/// Every entry whose id (or alias) is `id`, of any kind; empty when there is none.
std::string render_catalog_show(const Catalog& catalog, const std::string& id,
                                CatalogFormat format);

/// Every id of every kind (for "did you mean" hints).
std::vector<std::string> catalog_ids(const Catalog& catalog);

/// "catalogue OK: 70 models, 36 GGUF presets, ..." (one line, with newline).
std::string render_catalog_summary(const Catalog& catalog);

} // namespace edgeplan::cli
