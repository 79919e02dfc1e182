// Sections 3 (stack diagram) and 4 (deployment files) of the Markdown plan.

#include "plan_markdown.hpp"

#include "format.hpp"
#include "plan_sections.hpp"

#include <edgeplan/report/config_files.hpp>

#include <fmt/format.h>

namespace edgeplan::report_detail {

std::string markdown_stack(const Plan& plan, const Catalog& catalog) {
    std::string out = section_heading(3);
    if (!plan.chosen) {
        out += plan.task_unserved ? "No stack: no modelled engine serves the task (section 2).\n"
                                  : "No stack: nothing fits (section 2).\n";
    } else {
        const auto& s = plan.chosen->settings;
        const Engine* engine = catalog.find_engine(s.engine_id);
        if (s.port == 0 && engine != nullptr && engine->serving.interface == "cli") {
            out += fmt::format("`{}` synthesises with {} as a local command, one process per "
                               "request and no network port; the engine runs on {}.\n\n",
                               engine->serving.command.value_or(s.engine_id), plan.chosen->model_id,
                               backend_text(plan, s));
        } else {
            out += fmt::format("{} serves {} over {} on {}:{}; the engine runs on {}.\n\n",
                               engine != nullptr && engine->serving.command
                                   ? "`" + *engine->serving.command + "`"
                                   : s.engine_id,
                               plan.chosen->model_id,
                               interface_name(engine != nullptr ? engine->serving.interface : ""),
                               s.host, s.port, backend_text(plan, s));
        }
        out += "```text\n" + stack_diagram(plan, catalog) + "```\n";
    }
    out += markdown_notes(3, 1, notes_in(plan, NotePlacement::stack_architecture));
    if (!notes_in(plan, NotePlacement::withheld).empty()) {
        out +=
            "\nA hybrid cloud-edge note was withheld: this request keeps all data on the device.\n";
    }
    return out;
}

std::string markdown_deployment(const Plan& plan, const Catalog& catalog) {
    std::string out = section_heading(4);
    const DeploymentConfig config = deployment_config(plan, catalog);
    if (plan.chosen) {
        const Engine* engine = catalog.find_engine(config.engine_id);
        std::string version = engine != nullptr ? " " + engine_version(*engine) : std::string();
        out += fmt::format("{}{}", engine_name(catalog, config.engine_id), version);
        out += config.port != 0 ? fmt::format(", listening on **{}:{}** (port set explicitly).\n",
                                              config.host, config.port)
                                : std::string(", in-process (no network port).\n");
    }
    for (const auto& file : config.files) {
        const std::string fence = file.language == "modelfile" ? "dockerfile"
                                  : file.language == "systemd" ? "ini"
                                                               : file.language;
        out += "\n`" + file.name + "`:\n\n```" + fence + "\n" + file.content + "```\n";
    }
    if (!config.notes.empty()) {
        out += "\n";
        for (const auto& note : config.notes) {
            out += "- " + note + "\n";
        }
    }
    out += markdown_notes(4, 1, notes_in(plan, NotePlacement::deployment_config));
    return out;
}

} // namespace edgeplan::report_detail
