#pragma once

#include <string>

namespace edgeplan {

/// Process exit codes. Stable: CI scripts gate on them. Documented in README.md and
/// `edgeplan --help`. Never above 255, and never CLI11's own 100+ codes.
enum class ExitCode : int {
    ok = 0,           ///< the command did what was asked
    internal = 1,     ///< a bug in edgeplan (an exception escaped); please report it
    usage = 2,        ///< bad command line: unknown flag, missing or out-of-range value
    bad_input = 3,    ///< a file the user named is missing, unreadable or malformed
    bad_catalog = 4,  ///< the catalogue fails validation
    probe_failed = 5, ///< live hardware discovery failed (hwloc could not load)
    output_failed = 6,///< an output file or directory could not be written
    output_exists = 7,///< --out names an existing folder and --force was not given
    does_not_fit = 10 ///< a report was produced but not approved (nothing fits, or misses
                      ///< the speed targets): the report says why
};

/// A failure that stops a command. `where` names the place (a file, a flag, a JSON
/// pointer, a byte offset); `message` says what is wrong, in one line.
struct Error {
    ExitCode code = ExitCode::internal;
    std::string where;
    std::string message;
};

/// One line, as printed on stderr: "edgeplan: error: <where>: <what>".
std::string format_error_line(const Error& error);

} // namespace edgeplan
