// Engines without a dedicated writer yet (issue 6 adds them): the catalogue's serving command
// with the model and an explicit port, using only flags the catalogue lists for that tool.

#include "config_writers.hpp"
#include "plan_sections.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace edgeplan::report_detail {

namespace {

bool ends_with(const std::string& text, const std::string& tail) {
    return text.size() >= tail.size() &&
           text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

/// The flags key describing the serving command ("sglang.launch_server" for
/// "python -m sglang.launch_server"); nullptr when the catalogue lists none.
const std::pair<const std::string, std::vector<std::string>>* serving_tool(const Engine& engine) {
    if (!engine.serving.command) {
        return nullptr;
    }
    const std::string& command = *engine.serving.command;
    for (const auto& entry : engine.flags) {
        if (entry.first == command || ends_with(command, entry.first) ||
            command.rfind(entry.first + " ", 0) == 0) {
            return &entry;
        }
    }
    return nullptr;
}

bool lists(const std::vector<std::string>& flags, const std::string& flag) {
    return std::find(flags.begin(), flags.end(), flag) != flags.end();
}

} // namespace

DeploymentConfig write_generic_config(const ConfigContext& context) {
    const auto& s = context.settings;
    DeploymentConfig config{s.engine_id, s.host, s.port, {}, {}, {}, {}, {}, {}};
    const Engine* engine = context.engine;
    if (engine == nullptr || !engine->serving.command) {
        config.port = 0;
        config.notes.push_back(
            "`" + s.engine_id +
            "` runs in-process (no server command in the catalogue): its "
            "conversion and run steps come with the deployment files (issue 6).");
        return config;
    }
    const auto* tool = serving_tool(*engine);
    static const std::vector<std::string> no_flags;
    const std::vector<std::string>& flags = tool != nullptr ? tool->second : no_flags;
    const std::string model = context.no_download || !s.artifact_repository
                                  ? local_model_path(s, context.chosen.model_id)
                                  : *s.artifact_repository;

    std::string content =
        shell_header({fmt::format("{} for {} {}, written by edgeplan.", engine->name,
                                  context.chosen.model_id, s.quantization)});
    std::string env_port;
    for (const auto& [key, names] : engine->flags) {
        for (const auto& name : names) {
            if (ends_with(name, "_PORT") && (key == "env" || ends_with(key, "(env)"))) {
                env_port = name;
            }
        }
    }
    ShellCommand command(*engine->serving.command);
    for (const char* flag : {"--model", "--model-path", "-m"}) {
        if (lists(flags, flag)) {
            command.option(flag, model);
            break;
        }
    }
    if (lists(flags, "--host")) {
        command.option("--host", s.host);
    }
    if (lists(flags, "--port")) {
        command.option("--port", s.port);
    } else if (lists(flags, "--rest_port")) {
        command.option("--rest_port", s.port);
    } else if (!env_port.empty()) {
        content += fmt::format("export {}={}\n", env_port, s.port);
    } else {
        config.notes.push_back(
            fmt::format("{} has no port flag in the catalogue's checked version: "
                        "it listens on its default port {}.",
                        engine->name, engine->serving.default_port.value_or(0)));
        config.port = engine->serving.default_port.value_or(0);
    }
    content += command.render();
    config.files.push_back({"run.sh", "sh", tool != nullptr ? tool->first : "", content});
    add_script_lifecycle(config, "run.sh", "/v1/models");
    if (context.no_download) {
        add_weights_fetch(context, config);
    }
    config.notes.push_back("A generic run line: this engine's full configuration (context, KV "
                           "cache, batching) is not written yet.");
    return config;
}

} // namespace edgeplan::report_detail
