#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace edgeplan {

/// Runs edgeplan with the given arguments (argv[0] excluded) and returns the process exit
/// code (see ExitCode). Writes results to `out` only when the command succeeds, and errors
/// as single "edgeplan: error: <where>: <what>" lines to `err`.
int run_edgeplan(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace edgeplan
