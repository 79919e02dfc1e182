#include "audit_command.hpp"
#include "catalog_command.hpp"
#include "config_command.hpp"
#include "command.hpp"
#include "fit_command.hpp"
#include "inspect_command.hpp"
#include "recommend_command.hpp"

#include <edgeplan/cli/app.hpp>
#include <edgeplan/core/result.hpp>

#include <CLI/CLI.hpp>

#include <ostream>

#ifndef EDGEPLAN_VERSION
#define EDGEPLAN_VERSION "0.0.0"
#endif

namespace edgeplan {

namespace {

// Kept in sync with ExitCode and README.md ("Exit codes"); a test compares them.
constexpr const char* exit_code_table =
    "Exit codes:\n"
    "  0   success\n"
    "  1   internal error (a bug: please report it)\n"
    "  2   usage error: unknown flag, missing or out-of-range value\n"
    "  3   bad input file: missing, unreadable or malformed topology, profile or model file\n"
    "  4   the catalogue fails validation\n"
    "  5   live hardware discovery failed\n"
    "  6   an output file or directory could not be written\n"
    "  7   the --out folder already exists (add --force to replace it)\n"
    "  10  a report was produced but not approved: nothing fits, nothing meets\n"
    "      --min-tps/--max-ttft-ms (or real time for speech), or no modelled engine\n"
    "      serves the task (the report says why)\n";

void print_error(std::ostream& err, const Error& error, const std::vector<std::string>& hints) {
    err << format_error_line(error) << "\n";
    for (const auto& hint : hints) {
        err << "edgeplan: hint: " << hint << "\n";
    }
}

/// CLI11 names the offending option at the start of most messages ("--format: ...");
/// use it as the error's place, else "command line".
Error usage_error(const CLI::ParseError& e) {
    std::string what = e.what();
    std::string where = "command line";
    // "Could not convert: --context = lots": name the option, and the value it refused.
    constexpr std::string_view convert = "Could not convert: ";
    if (what.rfind(convert, 0) == 0) {
        const std::string rest = what.substr(convert.size());
        if (auto eq = rest.find(" = "); eq != std::string::npos && rest.rfind("--", 0) == 0) {
            return make_error(ExitCode::usage, rest.substr(0, eq),
                              "'" + rest.substr(eq + 3) +
                                  "' is not a value this option takes (a whole number in range)");
        }
    }
    if (what.rfind("--", 0) == 0) {
        if (auto colon = what.find(": "); colon != std::string::npos) {
            where = what.substr(0, colon);
            what = what.substr(colon + 2);
        }
    }
    return make_error(ExitCode::usage, where, what);
}

} // namespace

int run_edgeplan(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    CLI::App app{"edgeplan: plan on-device AI deployments (model, quantization, inference "
                 "engine, settings) with memory and speed you can check.",
                 "edgeplan"};
    app.set_version_flag("--version", std::string("edgeplan ") + EDGEPLAN_VERSION);
    app.footer(exit_code_table);
    app.require_subcommand(0, 1);

    cli::CommandOutcome outcome;
    cli::set_audit_command(app, outcome);
    cli::set_catalog_command(app, outcome);
    cli::set_config_command(app, outcome);
    cli::set_fit_command(app, outcome);
    cli::set_inspect_command(app, outcome);
    cli::set_recommend_command(app, outcome);
    for (auto* sub : app.get_subcommands({})) {
        sub->footer(exit_code_table);
    }

    // CLI11 parses from the back of the vector.
    std::vector<std::string> reversed(args.rbegin(), args.rend());
    try {
        app.parse(reversed);
    } catch (const CLI::CallForHelp&) {
        out << app.help();
        return 0;
    } catch (const CLI::CallForAllHelp&) {
        out << app.help("", CLI::AppFormatMode::All);
        return 0;
    } catch (const CLI::CallForVersion&) {
        out << app.version() << "\n";
        return 0;
    } catch (const CLI::ParseError& e) {
        // Every parse error maps to the usage code: CLI11's own codes (100+) never leak.
        std::string hint = "run 'edgeplan --help'";
        for (auto* sub : app.get_subcommands()) {
            hint = "run 'edgeplan " + sub->get_name() + " --help'";
        }
        print_error(err, usage_error(e), {hint});
        return static_cast<int>(ExitCode::usage);
    }
    if (app.get_subcommands().empty()) {
        print_error(err, make_error(ExitCode::usage, "command line", "no command given"),
                    {"run 'edgeplan --help' to see the commands"});
        return static_cast<int>(ExitCode::usage);
    }
    if (outcome.error) {
        // Extra error lines (catalog validate) come before the hints.
        const std::vector<std::string> none;
        print_error(err, *outcome.error, outcome.more_errors.empty() ? outcome.hints : none);
        for (std::size_t i = 0; i < outcome.more_errors.size(); ++i) {
            const bool last = i + 1 == outcome.more_errors.size();
            print_error(err, outcome.more_errors[i], last ? outcome.hints : none);
        }
        return static_cast<int>(outcome.error->code);
    }
    out << outcome.stdout_text;
    out.flush();
    if (!out) {
        print_error(err, make_error(ExitCode::output_failed, "stdout", "write failed"), {});
        return static_cast<int>(ExitCode::output_failed);
    }
    return static_cast<int>(outcome.success_code);
}

} // namespace edgeplan
