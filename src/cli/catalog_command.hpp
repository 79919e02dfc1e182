#pragma once

#include "command.hpp"

#include <edgeplan/catalog/catalog.hpp>

#include <CLI/CLI.hpp>

#include <optional>

namespace edgeplan::cli {

/// Adds `edgeplan catalog list|show|validate` and the global `--catalog DIR` option.
void set_catalog_command(CLI::App& app, CommandOutcome& outcome);

/// The catalogue a command uses: `--catalog DIR` (on the root app, before or after the
/// subcommand), else $EDGEPLAN_CATALOG, else the copy embedded in the binary.
CatalogSource catalog_source(const CLI::App& command);

/// Loads the catalogue for a command; on failure sets the outcome's error (exit 4, the first
/// problem and the count) with a hint to run `catalog validate`, and returns nullopt.
std::optional<Catalog> load_catalog_for(const CLI::App& command, CommandOutcome& outcome);

/// "did you mean: a, b?" for the ids closest to `wanted`, else `otherwise` (a hint line).
std::string did_you_mean(const std::string& wanted, const std::vector<std::string>& ids,
                         const std::string& otherwise);

} // namespace edgeplan::cli
