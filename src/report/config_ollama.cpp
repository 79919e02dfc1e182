// Ollama: a Modelfile (the model and its per-request context), the server environment
// (parallel slots, flash attention, KV type, context length are server-wide in Ollama) as a
// script and as a systemd drop-in for the packaged ollama.service, and the `ollama create`
// line. Only PARAMETERs documented for the checked version are written:
// num_gpu and num_thread are undocumented (engines-and-models.md section 2.8), so Ollama's
// own scheduler places the layers.

#include "config_writers.hpp"
#include "plan_sections.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <utility>
#include <vector>

namespace edgeplan::report_detail {

namespace {

std::string model_source(const ConfigContext& context, DeploymentConfig& config) {
    const auto& s = context.settings;
    const bool have_file = s.weights_format == "gguf" && s.artifact_file.has_value();
    if (context.no_download && (have_file || !s.ollama_tag)) {
        // A local GGUF: `ollama create` imports it without touching the network.
        add_weights_fetch(context, config);
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

/// Embedding models answer on /api/embed (docs/api.md, "Generate Embeddings", ollama/ollama
/// at 01e52d24). truncate defaults to true, which cuts an over-long input silently; the check
/// sends false so an input past num_ctx fails loudly instead.
void add_embedding_check(const ConfigContext& context, const std::string& name,
                         DeploymentConfig& config) {
    const auto& s = context.settings;
    const std::string host = s.host == "0.0.0.0" || s.host == "::" ? "127.0.0.1" : s.host;
    const nlohmann::json body = {{"model", name},
                                 {"input", "A lighthouse keeper watches the night sea."},
                                 {"truncate", false}};
    config.check.push_back(
        fmt::format("curl -s {}:{}/api/embed -d {}", host, s.port, shell_quote(body.dump())));
    config.notes.push_back(fmt::format(
        "Embeddings are served on /api/embed. Ollama truncates an input longer than num_ctx "
        "({} tokens) unless the request sets \"truncate\": false; pooling comes from the "
        "GGUF's metadata (Ollama has no pooling setting).",
        s.context_tokens));
}

} // namespace

DeploymentConfig write_ollama_config(const ConfigContext& context) {
    const auto& s = context.settings;
    DeploymentConfig config{s.engine_id, s.host, s.port, {}, {}, {}, {}, {}, {}};
    const std::string name = "edgeplan-" + context.chosen.model_id;

    std::string modelfile = fmt::format("# Modelfile for {} {}, written by edgeplan.\n",
                                        context.chosen.model_id, s.quantization);
    modelfile += "FROM " + model_source(context, config) + "\n";
    modelfile += fmt::format("PARAMETER num_ctx {}\n", s.context_tokens);
    for (const auto& adapter : s.lora_adapters) {
        modelfile += "ADAPTER " + adapter + "\n";
    }
    config.files.push_back({"Modelfile", "modelfile", "Modelfile", modelfile});

    // One list of variables for both the script and the systemd drop-in (docs/faq.mdx:
    // "Setting environment variables on Linux" uses Environment= in an override.conf).
    std::vector<std::pair<std::string, std::string>> env = {
        {"OLLAMA_HOST", fmt::format("{}:{}", s.host, s.port)},
        {"OLLAMA_CONTEXT_LENGTH", std::to_string(s.context_tokens)},
        {"OLLAMA_NUM_PARALLEL", std::to_string(s.parallel_slots)},
        {"OLLAMA_FLASH_ATTENTION", s.flash_attention ? "1" : "0"},
        {"OLLAMA_KV_CACHE_TYPE", s.kv_cache_type},
        // One model per server keeps memory where the plan put it.
        {"OLLAMA_MAX_LOADED_MODELS", "1"},
    };
    // OLLAMA_NO_CLOUD=1 (the catalogue's switch) keeps the server local-only.
    if (const std::string off = telemetry_assignment(context.engine);
        context.keeps_local && !off.empty()) {
        const auto eq = off.find('=');
        env.emplace_back(off.substr(0, eq), off.substr(eq + 1));
    }
    std::string serve =
        shell_header({"Ollama server with the plan's settings, written by edgeplan.",
                      "ollama-override.conf sets the same variables for the systemd service."});
    std::string dropin =
        "# Ollama server settings from the plan, written by edgeplan. Install as\n"
        "#   /etc/systemd/system/ollama.service.d/override.conf\n"
        "# then: sudo systemctl daemon-reload && sudo systemctl restart ollama\n[Service]\n";
    for (const auto& [name, value] : env) {
        serve += "export " + name + "=" + value + "\n";
        dropin += "Environment=\"" + name + "=" + value + "\"\n";
    }
    serve += "exec ollama serve\n";
    config.files.push_back({"ollama-serve.sh", "sh", "ollama serve (env)", serve});
    config.files.push_back({"ollama-override.conf", "systemd", "ollama serve (env)", dropin});

    std::string create = shell_header({"Registers the model with the running server."});
    // The client finds the server through OLLAMA_HOST too: without it, it asks port 11434.
    create += fmt::format("export OLLAMA_HOST={}:{}\n", s.host, s.port);
    create += "exec ollama create " + name + " -f Modelfile\n";
    config.files.push_back({"ollama-create.sh", "sh", "ollama create", create});
    add_script_lifecycle(config, "ollama-serve.sh", "/api/version");
    config.start.push_back("sleep 2 && ./ollama-create.sh");
    config.check.push_back(fmt::format("OLLAMA_HOST={}:{} ollama ps", s.host, s.port));
    if (context.plan.request.task == "embedding") {
        add_embedding_check(context, name, config);
    }

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
