#pragma once

#include "command.hpp"

#include <edgeplan/core/catalog.hpp>
#include <edgeplan/gguf/gguf_file.hpp>
#include <edgeplan/gguf/gguf_model.hpp>

#include <CLI/CLI.hpp>

#include <string>

namespace edgeplan::cli {

/// Adds `edgeplan inspect FILE.gguf [--format md|json]`.
void set_inspect_command(CLI::App& app, CommandOutcome& outcome);

/// A GGUF file as the planner sees it: its header and the model derived from it.
struct GgufModelFile {
    GgufFile file;
    GgufModel model;
};

/// Opens `path` (any size: only the header is read, with bounded reads), reads and checks
/// its header and derives the model. Errors: ExitCode::bad_input, where = `path`.
Result<GgufModelFile> read_gguf_model_file(const std::string& path, const Catalog& catalog);

} // namespace edgeplan::cli
