#pragma once

#include "command.hpp"

#include <CLI/CLI.hpp>

namespace edgeplan::cli {

/// Registers `edgeplan audit`: probe this machine, or read an hwloc XML topology or a
/// saved JSON profile, and print the Hardware Audit (Markdown) or the profile (JSON).
void set_audit_command(CLI::App& app, CommandOutcome& outcome);

} // namespace edgeplan::cli
