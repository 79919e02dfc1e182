#pragma once

// What a subcommand hands back to the runner: the text for stdout, or an error. Commands
// never print themselves, so a failed command cannot leave half its output on stdout.

#include <edgeplan/core/error.hpp>

#include <optional>
#include <string>
#include <vector>

namespace edgeplan::cli {

struct CommandOutcome {
    std::string stdout_text;
    std::optional<Error> error;
    std::vector<std::string> hints; ///< printed as "edgeplan: hint: ..." after the error
    std::vector<Error> more_errors; ///< further error lines (catalog validate lists every problem)
    ExitCode success_code = ExitCode::ok; ///< e.g. does_not_fit with a report on stdout
    std::vector<std::string> files_written; ///< --out: the paths written, in order

    void fail(Error e, std::string hint = {}) {
        error = std::move(e);
        if (!hint.empty()) {
            hints.push_back(std::move(hint));
        }
    }
};

} // namespace edgeplan::cli
