// Ollama: a Modelfile (the model and its per-request context), the server environment
// (parallel slots, flash attention, KV type, context length are server-wide in Ollama), and
// the `ollama create` line. Only PARAMETERs documented for the checked version are written:
// num_gpu and num_thread are undocumented (engines-and-models.md section 2.8), so Ollama's
// own scheduler places the layers.

#include "config_writers.hpp"
#include "plan_sections.hpp"

#include <fmt/format.h>

namespace edgeplan::report_detail {

namespace {

std::string model_source(const ConfigContext& context, DeploymentConfig& config) {
    const auto& s = context.settings;
    const bool have_file = s.weights_format == "gguf" && s.artifact_file.has_value();
    if (context.no_download && (have_file || !s.ollama_tag)) {
        // A local GGUF: `ollama create` imports it without touching the network.
        config.notes.push_back(fetch_beforehand_note(context));
        return "./" + local_model_path(s, context.chosen.model_id);
    }
    if (s.ollama_tag) {
        if (context.no_download) {
            config.notes.push_back("Offline plan: copy the Ollama model store holding `" +
                                   *s.ollama_tag +
                                   "` (OLLAMA_MODELS) from a connected machine beforehand; "
                                   "`ollama create` then finds it locally.");
        }
        return *s.ollama_tag;
    }
    if (s.artifact_repository) {
        // Ollama pulls GGUF repositories by hf.co/<repo>:<quant> references.
        return "hf.co/" + *s.artifact_repository + ":" + s.quantization;
    }
    return "./" + local_model_path(s, context.chosen.model_id);
}

} // namespace

DeploymentConfig write_ollama_config(const ConfigContext& context) {
    const auto& s = context.settings;
    DeploymentConfig config{s.engine_id, s.host, s.port, {}, {}};
    const std::string name = "edgeplan-" + context.chosen.model_id;

    std::string modelfile = fmt::format("# Modelfile for {} {}, written by edgeplan.\n",
                                        context.chosen.model_id, s.quantization);
    modelfile += "FROM " + model_source(context, config) + "\n";
    modelfile += fmt::format("PARAMETER num_ctx {}\n", s.context_tokens);
    for (const auto& adapter : s.lora_adapters) {
        modelfile += "ADAPTER " + adapter + "\n";
    }
    config.files.push_back({"Modelfile", "modelfile", "Modelfile", modelfile});

    std::string serve =
        shell_header({"Ollama server with the plan's settings, written by edgeplan.",
                      "The exported variables also work as a systemd EnvironmentFile."});
    serve += fmt::format("export OLLAMA_HOST={}:{}\n", s.host, s.port);
    serve += fmt::format("export OLLAMA_CONTEXT_LENGTH={}\n", s.context_tokens);
    serve += fmt::format("export OLLAMA_NUM_PARALLEL={}\n", s.parallel_slots);
    serve += fmt::format("export OLLAMA_FLASH_ATTENTION={}\n", s.flash_attention ? 1 : 0);
    serve += "export OLLAMA_KV_CACHE_TYPE=" + s.kv_cache_type + "\n";
    // One model per server keeps memory where the plan put it.
    serve += "export OLLAMA_MAX_LOADED_MODELS=1\n";
    // OLLAMA_NO_CLOUD=1 (the catalogue's switch) keeps the server local-only.
    if (const std::string off = telemetry_assignment(context.engine);
        context.keeps_local && !off.empty()) {
        serve += "export " + off + "\n";
    }
    serve += "exec ollama serve\n";
    config.files.push_back({"ollama-serve.sh", "sh", "ollama serve (env)", serve});

    std::string create = shell_header({"Registers the model with the running server."});
    create += "ollama create " + name + " -f Modelfile\n";
    config.files.push_back({"ollama-create.sh", "sh", "ollama create", create});

    config.notes.push_back(fmt::format(
        "Ollama places layers itself (num_gpu is not a documented PARAMETER in the checked "
        "version); the plan assumes {} of {} layers on the GPU. Check with `ollama ps`.",
        s.gpu_layers, s.total_layers));
    if (s.kv_cache_type != "f16" && !s.flash_attention) {
        config.notes.push_back(
            "OLLAMA_KV_CACHE_TYPE other than f16 needs flash attention; the plan has it off.");
    }
    if (s.draft_model_id) {
        config.notes.push_back(
            "Ollama has no separate draft-model setting: speculative decoding with " +
            *s.draft_model_id + " is not configured here.");
    }
    return config;
}

} // namespace edgeplan::report_detail
