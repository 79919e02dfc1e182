#pragma once

#include "command.hpp"

#include <CLI/CLI.hpp>

namespace edgeplan::cli {

/// Adds `edgeplan fit`: will a model run on this hardware, how fast, and what fits if not.
void set_fit_command(CLI::App& app, CommandOutcome& outcome);

} // namespace edgeplan::cli
