#include "catalog_command.hpp"

#include "catalog_render.hpp"

#include <algorithm>
#include <cstdlib>
#include <memory>

namespace edgeplan::cli {

namespace {

struct CatalogOptions {
    std::string kind;
    std::string task;
    std::string id;
    std::string format = "md";
    std::string directory;
};

CatalogFormat format_of(const CatalogOptions& options) {
    return options.format == "json" ? CatalogFormat::json : CatalogFormat::markdown;
}

std::string source_text(const CatalogSource& source) {
    return source.kind == CatalogSource::Kind::embedded ? "" : " " + source.directory;
}

void run_list(const CLI::App& command, const CatalogOptions& options, CommandOutcome& outcome) {
    const auto& tasks = model_tasks();
    if (!options.task.empty()) {
        if (!options.kind.empty() && options.kind != "models") {
            outcome.fail(
                make_error(ExitCode::usage, "--task", "only applies to 'catalog list models'"));
            return;
        }
        if (std::find(tasks.begin(), tasks.end(), options.task) == tasks.end()) {
            std::string known;
            for (const auto& task : tasks) {
                known += (known.empty() ? "" : ", ") + task;
            }
            outcome.fail(
                make_error(ExitCode::usage, "--task", "unknown task '" + options.task + "'"),
                "tasks: " + known);
            return;
        }
    }
    auto catalog = load_catalog_for(command, outcome);
    if (!catalog) {
        return;
    }
    const std::pair<const char*, CatalogKind> kinds[] = {{"models", CatalogKind::models},
                                                         {"quants", CatalogKind::quants},
                                                         {"engines", CatalogKind::engines},
                                                         {"targets", CatalogKind::targets}};
    const bool json = format_of(options) == CatalogFormat::json;
    if (!options.kind.empty() || !options.task.empty()) {
        for (const auto& [name, kind] : kinds) {
            if (options.kind == name || (options.kind.empty() && kind == CatalogKind::models)) {
                outcome.stdout_text =
                    render_catalog_list(*catalog, kind, options.task, format_of(options));
            }
        }
        return;
    }
    // No kind: every kind, as Markdown sections or one JSON object keyed by kind.
    nlohmann::ordered_json all = nlohmann::ordered_json::object();
    for (const auto& [name, kind] : kinds) {
        const std::string text = render_catalog_list(*catalog, kind, "", format_of(options));
        if (json) {
            all[name] = nlohmann::ordered_json::parse(text);
        } else {
            outcome.stdout_text +=
                std::string(outcome.stdout_text.empty() ? "" : "\n") + "## " + name + "\n\n" + text;
        }
    }
    if (json) {
        outcome.stdout_text = all.dump(2) + "\n";
    }
}

void run_show(const CLI::App& command, const CatalogOptions& options, CommandOutcome& outcome) {
    auto catalog = load_catalog_for(command, outcome);
    if (!catalog) {
        return;
    }
    outcome.stdout_text = render_catalog_show(*catalog, options.id, format_of(options));
    if (outcome.stdout_text.empty()) {
        const std::string hint = did_you_mean(options.id, catalog_ids(*catalog),
                                              "run 'edgeplan catalog list' to see every id");
        outcome.fail(make_error(ExitCode::usage, "catalog show", "unknown id '" + options.id + "'"),
                     hint);
    }
}

void run_validate(const CLI::App& command, const CatalogOptions& options, CommandOutcome& outcome) {
    const CatalogSource source = options.directory.empty()
                                     ? catalog_source(command)
                                     : CatalogSource::from_directory(options.directory);
    CatalogCheck check = check_catalog(source);
    if (check.catalog) {
        outcome.stdout_text = render_catalog_summary(*check.catalog);
        return;
    }
    // Every problem, one line each, so a catalogue is fixed in one pass.
    for (const auto& problem : check.problems) {
        Error error = make_error(ExitCode::bad_catalog, problem.location(), problem.message);
        if (!outcome.error) {
            outcome.fail(error);
        } else {
            outcome.more_errors.push_back(error);
        }
    }
    const auto count = check.problems.size();
    outcome.hints.push_back(std::to_string(count) + " problem" + (count > 1 ? "s" : "") +
                            " in the catalogue" + source_text(source) + "; nothing was loaded");
}

} // namespace

CatalogSource catalog_source(const CLI::App& command) {
    const CLI::App* root = &command;
    while (root->get_parent() != nullptr) {
        root = root->get_parent();
    }
    if (const CLI::Option* option = root->get_option_no_throw("--catalog");
        option != nullptr && option->count() > 0) {
        return CatalogSource::from_directory(option->as<std::string>());
    }
    // Documented in README.md ("Environment").
    if (const char* directory = std::getenv("EDGEPLAN_CATALOG"); directory && *directory) {
        return CatalogSource::from_directory(directory);
    }
    return CatalogSource::embedded();
}

std::optional<Catalog> load_catalog_for(const CLI::App& command, CommandOutcome& outcome) {
    const CatalogSource source = catalog_source(command);
    auto catalog = load_catalog(source);
    if (!catalog) {
        outcome.fail(catalog.error(), "run 'edgeplan catalog validate" + source_text(source) +
                                          "' to list every problem");
        return std::nullopt;
    }
    return std::move(*catalog);
}

void set_catalog_command(CLI::App& app, CommandOutcome& outcome) {
    app.add_option("--catalog", "Read the catalogue from DIR (laid out like data/) instead of the "
                                "built-in one; also $EDGEPLAN_CATALOG")
        ->type_name("DIR");
    auto options = std::make_shared<CatalogOptions>();
    auto* catalog = app.add_subcommand("catalog", "List, show and validate the catalogue of "
                                                  "models, quantizations, engines and targets");
    catalog->require_subcommand(1);
    catalog->fallthrough();

    auto* list = catalog->add_subcommand(
        "list", "List models, quants, engines or targets (all without KIND)");
    list->add_option("kind", options->kind, "models, quants, engines or targets")
        ->check(CLI::IsMember({"models", "quants", "engines", "targets"}));
    list->add_option("--task", options->task, "Only models for this task (chat, code, vision...)");
    list->add_option("--format", options->format, "Output format: md (default) or json")
        ->check(CLI::IsMember({"md", "json"}));
    list->fallthrough();
    list->callback([options, &outcome, list] { run_list(*list, *options, outcome); });

    auto* show = catalog->add_subcommand("show", "Show one entry of any kind by id or alias");
    show->add_option("id", options->id, "A model, quantization, engine or target id")->required();
    show->add_option("--format", options->format, "Output format: md (default) or json")
        ->check(CLI::IsMember({"md", "json"}));
    show->fallthrough();
    show->callback([options, &outcome, show] { run_show(*show, *options, outcome); });

    auto* validate = catalog->add_subcommand(
        "validate",
        "Check the catalogue (or DIR) and print every problem with file and JSON pointer");
    validate->add_option("dir", options->directory, "A catalogue directory laid out like data/");
    validate->fallthrough();
    validate->callback(
        [options, &outcome, validate] { run_validate(*validate, *options, outcome); });
}

std::string did_you_mean(const std::string& wanted, const std::vector<std::string>& ids,
                         const std::string& otherwise) {
    const auto close = similar_ids(wanted, ids);
    if (close.empty()) {
        return otherwise;
    }
    std::string names;
    for (const auto& id : close) {
        names += (names.empty() ? "" : ", ") + id;
    }
    return "did you mean: " + names + "?";
}

} // namespace edgeplan::cli
