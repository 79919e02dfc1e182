#pragma once

#include "command.hpp"

#include <CLI/CLI.hpp>

namespace edgeplan::cli {

/// Adds `edgeplan config --engine E [request] [hardware] [--out DIR [--force]]`: the
/// deployment files of a plan pinned to engine E, printed or written to DIR with a README.
void set_config_command(CLI::App& app, CommandOutcome& outcome);

} // namespace edgeplan::cli
