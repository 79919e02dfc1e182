// README.md of a deployment folder: what the plan chose and whether it was approved, the
// port, what to fetch beforehand, how to start, stop and check it, and the writers' notes.
// It repeats no number the files do not hold, so it cannot drift from them.

#include "config_writers.hpp"
#include "plan_sections.hpp"

#include <fmt/format.h>

#include <edgeplan/report/config_files.hpp>

namespace edgeplan {

namespace {

std::string code_block(const std::vector<std::string>& lines) {
    std::string out = "```sh\n";
    for (const auto& line : lines) {
        out += line + "\n";
    }
    return out + "```\n";
}

} // namespace

ConfigFile deployment_readme(const Plan& plan, const DeploymentConfig& config,
                             const Catalog& catalog) {
    std::string md = "# Deployment";
    if (plan.chosen) {
        md += fmt::format(": {} {} on {}", plan.chosen->model_id, plan.chosen->quantization,
                          report_detail::engine_name(catalog, config.engine_id));
    }
    md += "\n\nWritten by edgeplan. " +
          std::string(plan.approved ? "The plan is approved: "
                                    : "The plan is **not approved**: ") +
          plan.verdict + "\n";
    if (const Engine* engine = catalog.find_engine(config.engine_id); engine != nullptr) {
        md += "\nEngine version the flags were checked against: " +
              report_detail::engine_version(*engine) + ".\n";
    }
    md += config.port != 0
              ? fmt::format("\nListens on **{}:{}** (set explicitly in the files: several "
                            "engines share default ports).\n",
                            config.host, config.port)
              : std::string("\nRuns in-process: no network port.\n");

    md += "\n## Files\n\n";
    for (const auto& file : config.files) {
        md += "- `" + file.name + "`" + (file.tool.empty() ? "" : " (" + file.tool + ")") + "\n";
    }
    md += "\n## Before the first start\n\n";
    if (config.fetch.empty()) {
        md += "Nothing to copy in: the start path fetches the weights on its first run (see "
              "the files).\n";
    } else {
        md += "Copy these beside the files (the start path downloads nothing):\n\n"
              "| what | to | SHA-256 |\n|---|---|---|\n";
        for (const auto& item : config.fetch) {
            md += "| " + item.what + " | `" + item.destination + "` | " +
                  (item.sha256 ? "`" + *item.sha256 + "`"
                               : std::string("not in the catalogue: compare with the "
                                             "publisher's (Hugging Face lists each file's)")) +
                  " |\n";
        }
    }
    md += "\n## Start\n\nFrom this folder:\n\n" + code_block(config.start);
    md += "\n## Stop\n\n" + code_block(config.stop);
    md += "\n## Check\n\n" + code_block(config.check);
    if (!config.notes.empty()) {
        md += "\n## Notes\n\n";
        for (const auto& note : config.notes) {
            md += "- " + note + "\n";
        }
    }
    return {"README.md", "markdown", "", md};
}

} // namespace edgeplan
