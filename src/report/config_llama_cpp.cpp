// llama.cpp: one llama-server command line carrying the plan's numbers. Flags follow the
// catalogue's checked version: -fa takes on|off, --load-mode replaced --no-mmap, the
// speculative flags are --spec-draft-*, and --port is always explicit (the default is
// moving from 8080 to 9931, engines-and-models.md section 2.7).

#include "config_writers.hpp"
#include "plan_sections.hpp"

#include <fmt/format.h>

namespace edgeplan::report_detail {

namespace {

void add_model(const ConfigContext& context, ShellCommand& command, DeploymentConfig& config) {
    const auto& s = context.settings;
    if (s.local_file) {
        command.option("-m", *s.local_file); // --model-file: nothing to fetch
        if (context.no_download) {
            command.flag("--offline");
        }
        return;
    }
    if (context.no_download) {
        command.option("-m", local_model_path(s, context.chosen.model_id));
        command.flag("--offline");
        config.notes.push_back(fetch_beforehand_note(context));
    } else if (s.artifact_repository && s.artifact_file) {
        // llama-server fetches the file into its cache on the first start, then reuses it.
        command.option("-hfr", *s.artifact_repository);
        command.option("-hff", *s.artifact_file);
    } else if (s.artifact_repository) {
        command.option("-hf", *s.artifact_repository + ":" + s.quantization);
    } else {
        command.option("-m", local_model_path(s, context.chosen.model_id));
        config.notes.push_back("No GGUF artifact in the catalogue: convert or download one to `" +
                               local_model_path(s, context.chosen.model_id) + "`.");
    }
}

void add_draft(const ConfigContext& context, ShellCommand& command) {
    const auto& s = context.settings;
    if (!s.draft_model_id) {
        return;
    }
    const std::string quant = s.draft_quantization.value_or(s.quantization);
    const Artifact* artifact = find_artifact(context.catalog, *s.draft_model_id, "gguf");
    if (!context.no_download && artifact != nullptr && artifact->repository) {
        command.option("-hfd", *artifact->repository + ":" + quant);
    } else {
        command.option("-md", "models/" + *s.draft_model_id + "-" + quant + ".gguf");
    }
    if (s.draft_tokens > 0) {
        command.option("--spec-draft-n-max", s.draft_tokens);
    }
}

} // namespace

DeploymentConfig write_llama_cpp_config(const ConfigContext& context) {
    const auto& s = context.settings;
    DeploymentConfig config{s.engine_id, s.host, s.port, {}, {}};
    const std::string version =
        context.engine != nullptr ? engine_version(*context.engine) : "unknown";

    ShellCommand command("llama-server");
    add_model(context, command, config);
    command.option("--alias", context.chosen.model_id);
    // llama-server splits -c over the -np slots, so each request gets the plan's context.
    command.option("-c", static_cast<long long>(s.context_tokens) * std::max(1, s.parallel_slots));
    command.option("-np", s.parallel_slots);
    command.option("-ngl", s.gpu_layers);
    if (s.cpu_moe_layers > 0) {
        command.option("--n-cpu-moe", s.cpu_moe_layers);
    }
    command.option("-fa", s.flash_attention ? "on" : "off");
    command.option("-ctk", s.kv_cache_type);
    command.option("-ctv", s.kv_cache_type);
    if (s.threads > 0) {
        command.option("-t", s.threads);
    }
    command.option("-b", s.batch_tokens);
    command.option("-ub", s.ubatch_tokens);
    if (!s.mmap) {
        command.option("--load-mode", "none");
    }
    add_draft(context, command);
    for (const auto& adapter : s.lora_adapters) {
        command.option("--lora", adapter);
    }
    command.flag("--metrics");
    command.option("--host", s.host);
    command.option("--port", s.port);

    std::string content = shell_header(
        {fmt::format("llama-server for {} {} (llama.cpp {}), written by edgeplan.",
                     context.chosen.model_id, s.quantization, version),
         fmt::format("OpenAI-compatible API on {}:{}; context {} tokens per slot x {} slot(s).",
                     s.host, s.port, s.context_tokens, s.parallel_slots)});
    content += command.render();
    config.files.push_back({"llama-server.sh", "sh", "llama-server", content});

    if (s.kv_cache_type != "f16" && s.kv_cache_type != "f32" && s.kv_cache_type != "bf16" &&
        !s.flash_attention) {
        config.notes.push_back("A quantized V cache (-ctv " + s.kv_cache_type +
                               ") needs flash attention in llama.cpp; the plan has it off.");
    }
    if (!s.lora_adapters.empty()) {
        config.notes.push_back(
            "LoRA adapters load at start; change their scales at run time with "
            "POST /lora-adapters on the same port (hot swap without a restart).");
    }
    if (s.ssd_streaming) {
        config.notes.push_back("Weights stream from SSD through mmap (the default load mode): keep "
                               "the model file on the fastest local disk.");
    }
    return config;
}

} // namespace edgeplan::report_detail
