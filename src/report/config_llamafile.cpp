// llamafile: the single-file llama.cpp build in server mode. The flags are the bundled
// llama-server's as listed by the checked release's docs/cli_arguments.md (it still has
// --load-mode, and -fa takes on|off), with the plan's numbers and an explicit port.

#include "config_writers.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace edgeplan::report_detail {

DeploymentConfig write_llamafile_config(const ConfigContext& context) {
    const auto& s = context.settings;
    DeploymentConfig config{s.engine_id, s.host, s.port, {}, {}, {}, {}, {}, {}};

    ShellCommand command("llamafile --server");
    if (context.no_download || !s.artifact_repository || !s.artifact_file) {
        command.option("-m", local_model_path(s, context.chosen.model_id));
        if (context.no_download) {
            command.flag("--offline");
            add_weights_fetch(context, config);
        }
    } else {
        command.option("-hf", *s.artifact_repository);
        command.option("-hff", *s.artifact_file);
    }
    command.option("--alias", context.chosen.model_id);
    add_llama_server_placement(s, command); // llamafile embeds llama-server
    command.option("-b", s.batch_tokens);
    command.option("-ub", s.ubatch_tokens);
    if (!s.mmap) {
        command.option("--load-mode", "none");
    }
    for (const auto& adapter : s.lora_adapters) {
        command.option("--lora", adapter);
    }
    command.flag("--metrics");
    command.option("--host", s.host);
    command.option("--port", s.port);

    std::string content = shell_header(
        {fmt::format("llamafile server for {} {}, written by edgeplan.", context.chosen.model_id,
                     s.quantization),
         fmt::format("OpenAI-compatible API on {}:{}; context {} tokens per slot x {} slot(s).",
                     s.host, s.port, s.context_tokens, s.parallel_slots)});
    content += command.render();
    config.files.push_back({"llamafile-server.sh", "sh", "llamafile --server", content});
    add_script_lifecycle(config, "llamafile-server.sh", "/health");

    if (s.draft_model_id) {
        config.notes.push_back("Speculative decoding with " + *s.draft_model_id +
                               " is not configured: the bundled server's draft flags differ "
                               "from llama-server's and were not checked against this plan.");
    }
    if (!s.lora_adapters.empty()) {
        config.notes.push_back("The adapters load at start; changing them means a restart (a "
                               "run-time adapter endpoint is not documented for llamafile).");
    }
    return config;
}

} // namespace edgeplan::report_detail
