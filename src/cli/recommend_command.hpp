#pragma once

#include "command.hpp"

#include <CLI/CLI.hpp>

namespace edgeplan::cli {

/// Adds `edgeplan recommend`: the rules engine's plan (model, quantization, engine, settings)
/// for a task on this hardware, as the seven-section report. Exit 10 when not approved.
void set_recommend_command(CLI::App& app, CommandOutcome& outcome);

} // namespace edgeplan::cli
