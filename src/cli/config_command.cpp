// `edgeplan config --engine E [request] [hardware]`: the deployment files of the plan pinned
// to engine E. Without --out, stdout shows every file (Markdown: a heading and a fenced block
// per file, README.md last; --format json: the files as a JSON array). With --out DIR the
// files are written atomically and stdout lists the paths written, one per line.

#include "config_command.hpp"

#include "recommend_command.hpp"

#include <edgeplan/core/result.hpp>
#include <edgeplan/report/config_files.hpp>

#include <nlohmann/json.hpp>

#include <memory>

namespace edgeplan::cli {

namespace {

std::string files_markdown(const std::vector<ConfigFile>& files) {
    std::string out;
    for (const auto& file : files) {
        const std::string fence = file.language == "modelfile" ? "dockerfile"
                                  : file.language == "systemd" ? "ini"
                                                               : file.language;
        out += (out.empty() ? "" : "\n") + std::string("## ") + file.name + "\n\n````" + fence +
               "\n" + file.content + "````\n";
    }
    return out;
}

std::string files_json(const std::vector<ConfigFile>& files) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& f : files) {
        out.push_back({{"name", f.name},
                       {"language", f.language},
                       {"tool", f.tool},
                       {"executable", f.executable()},
                       {"content", f.content}});
    }
    return out.dump(2) + "\n";
}

void run_config(const CLI::App& command, const RecommendOptions& o, CommandOutcome& outcome) {
    auto planned = plan_from_options(command, o, outcome);
    if (!planned) {
        return;
    }
    const Plan& plan = planned->plan;
    if (!plan.approved) {
        outcome.success_code = ExitCode::does_not_fit;
    }
    if (!output_folder(o).empty()) {
        if (write_deployment_files(plan, planned->catalog, o, outcome)) {
            for (const auto& path : outcome.files_written) {
                outcome.stdout_text += path + "\n";
            }
        }
        return;
    }
    if (!plan.chosen) {
        outcome.fail(make_error(ExitCode::does_not_fit, "--engine",
                                "nothing fits the request with " + pinned_engine(o) +
                                    ", so there is no deployment to write"),
                     "run 'edgeplan recommend' with the same options to read why");
        return;
    }
    const DeploymentConfig config = deployment_config(plan, planned->catalog);
    std::vector<ConfigFile> files = config.files;
    files.push_back(deployment_readme(plan, config, planned->catalog));
    outcome.stdout_text = output_format(o) == "json" ? files_json(files) : files_markdown(files);
}

} // namespace

void set_config_command(CLI::App& app, CommandOutcome& outcome) {
    auto o = new_plan_options();
    auto* cmd = app.add_subcommand(
        "config", "Write the deployment files (start scripts, service units, engine configs, "
                  "README.md) of a plan pinned to one engine");
    add_plan_options(*cmd, o);
    cmd->get_option("--engine")->required()->description(
        "The engine to write the deployment for (required)");
    add_output_options(*cmd, *o);
    cmd->callback([o, &outcome, cmd] { run_config(*cmd, *o, outcome); });
}

} // namespace edgeplan::cli
