// LM Studio: `lms` commands (lmstudio.ai/docs/cli): start the server on an explicit port,
// load the model with the plan's context length and GPU offload ratio under a fixed
// identifier, and stop both. LM Studio keeps its own model store: an offline plan imports
// the file into it beforehand (`lms import`), the start path downloads nothing.

#include "config_writers.hpp"

#include <fmt/format.h>

namespace edgeplan::report_detail {

namespace {

/// `lms load --gpu`: "max", "off" or the offloaded share of layers, 0..1.
std::string gpu_ratio(const DeploymentSettings& s) {
    if (s.gpu_layers <= 0) {
        return "off";
    }
    if (s.total_layers <= 0 || s.gpu_layers >= s.total_layers) {
        return "max";
    }
    return fmt::format("{:.2f}", static_cast<double>(s.gpu_layers) / s.total_layers);
}

/// The model key `lms load` takes: the GGUF's path under LM Studio's models folder.
std::string model_key(const ConfigContext& context) {
    const auto& s = context.settings;
    if (s.artifact_repository && s.artifact_file) {
        return *s.artifact_repository + "/" + *s.artifact_file;
    }
    return s.artifact_repository.value_or(context.chosen.model_id);
}

} // namespace

DeploymentConfig write_lm_studio_config(const ConfigContext& context) {
    const auto& s = context.settings;
    DeploymentConfig config{s.engine_id, s.host, s.port, {}, {}, {}, {}, {}, {}};
    const std::string id = "edgeplan-" + context.chosen.model_id;

    std::string start = shell_header(
        {fmt::format("LM Studio server for {} {}, written by edgeplan.", context.chosen.model_id,
                     s.quantization),
         fmt::format("OpenAI-compatible API on port {}; the model answers as `{}`.", s.port,
                     id)});
    start += "set -e\n";
    ShellCommand server("lms server start");
    server.option("--port", s.port);
    start += server.render_command();
    ShellCommand load("lms load");
    load.argument(model_key(context));
    load.option("--context-length", s.context_tokens);
    load.option("--gpu", gpu_ratio(s));
    load.option("--identifier", id);
    start += load.render_command();
    config.files.push_back({"lms-start.sh", "sh", "lms load", start});

    std::string stop = shell_header({"Unloads the model and stops the LM Studio server."});
    stop += "lms unload " + id + "\nlms server stop\n";
    config.files.push_back({"lms-stop.sh", "sh", "lms unload", stop});

    config.start.push_back("./lms-start.sh");
    config.stop.push_back("./lms-stop.sh");
    config.check.push_back("lms ps");
    config.check.push_back(fmt::format("curl -sf 127.0.0.1:{}/v1/models", s.port));
    if (context.no_download) {
        add_weights_fetch(context, config);
        config.notes.push_back("Before the first start, import the file into LM Studio's model "
                               "store: `lms import " +
                               local_model_path(s, context.chosen.model_id) + "`.");
    }
    if (s.host != "127.0.0.1" && s.host != "localhost") {
        config.notes.push_back("`lms server start` in the checked version has no address flag: "
                               "serving beyond this machine is LM Studio's 'serve on local "
                               "network' setting.");
    }
    config.notes.push_back(fmt::format(
        "LM Studio sets KV-cache type, batch and parallel slots itself (no lms flag in the "
        "checked version); the plan assumes KV {} and {} slot(s).",
        s.kv_cache_type, s.parallel_slots));
    if (!s.lora_adapters.empty()) {
        config.notes.push_back("lms has no LoRA flag in the checked version: merge the adapter "
                               "into the GGUF or use llama.cpp for adapters.");
    }
    return config;
}

} // namespace edgeplan::report_detail
