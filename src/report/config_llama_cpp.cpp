// llama.cpp: one llama-server command line carrying the plan's numbers, and a systemd unit
// running the same command. Flags follow the catalogue's checked version: -fa takes on|off,
// --load-mode replaced --no-mmap, the speculative flags are --spec-draft-*, and --port is
// always explicit (the default is moving from 8080 to 9931, engines-and-models.md 2.7).

#include "config_writers.hpp"
#include "plan_sections.hpp"

#include <edgeplan/core/embedding_serving.hpp>

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
        if (!s.local_file->empty() && s.local_file->front() != '/') {
            // The scripts run from their own folder and the unit from /opt/edgeplan/...
            config.notes.push_back("The model file `" + *s.local_file +
                                   "` is named relative to where edgeplan ran: start the "
                                   "script from there, or put the file's absolute path in "
                                   "llama-server.sh and llama-server.service.");
        }
        return;
    }
    if (context.no_download) {
        command.option("-m", local_model_path(s, context.chosen.model_id));
        command.flag("--offline");
        add_weights_fetch(context, config);
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

void add_draft(const ConfigContext& context, ShellCommand& command, DeploymentConfig& config) {
    const auto& s = context.settings;
    if (!s.draft_model_id) {
        return;
    }
    const std::string quant = s.draft_quantization.value_or(s.quantization);
    const Artifact* artifact = find_artifact(context.catalog, *s.draft_model_id, "gguf");
    if (!context.no_download && artifact != nullptr && artifact->repository) {
        command.option("-hfd", *artifact->repository + ":" + quant);
    } else {
        const std::string path = "models/" + *s.draft_model_id + "-" + quant + ".gguf";
        command.option("-md", path);
        if (context.no_download) {
            config.fetch.push_back(
                {"the draft model " + *s.draft_model_id + " " + quant + " (GGUF)", path, {}});
        }
    }
    if (s.draft_tokens > 0) {
        command.option("--spec-draft-n-max", s.draft_tokens);
    }
}

bool embedding_plan(const ConfigContext& context) {
    return context.plan.request.task == "embedding";
}

/// --embeddings turns on /v1/embeddings (without it llama-server serves completions only);
/// --pooling pins the model card's pooling instead of trusting the GGUF's metadata.
void add_embedding_mode(const ConfigContext& context, ShellCommand& command) {
    command.flag("--embeddings");
    if (const Model* model = context.catalog.find_model(context.chosen.model_id)) {
        if (std::optional<std::string> pooling = llama_cpp_pooling(*model)) {
            command.option("--pooling", *pooling);
        }
    }
}

std::string check_host(const std::string& host) {
    return host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host;
}

/// The same command as a hardened systemd service (systemd.service(5), systemd.exec(5)).
std::string systemd_unit(const ConfigContext& context, const ShellCommand& command) {
    const auto& s = context.settings;
    std::string unit = fmt::format(
        "# llama-server for {} {}, written by edgeplan.\n"
        "# Install: copy this folder to /opt/edgeplan/llama-server, then\n"
        "#   sudo cp llama-server.service /etc/systemd/system/ && sudo systemctl daemon-reload\n"
        "#   sudo systemctl enable --now llama-server\n"
        "[Unit]\nDescription=llama-server {} on {}:{} (edgeplan)\n"
        "After=network-online.target\nWants=network-online.target\n\n[Service]\n",
        context.chosen.model_id, s.quantization, context.chosen.model_id, s.host, s.port);
    unit += "WorkingDirectory=/opt/edgeplan/llama-server\n";
    if (!context.no_download) {
        // A dynamic user has no home: give the -hf download cache a directory of its own.
        unit += "CacheDirectory=edgeplan-llama-server\n"
                "Environment=LLAMA_CACHE=/var/cache/edgeplan-llama-server\n";
    }
    unit += "ExecStart=" + command.render_command();
    unit += "Restart=on-failure\nRestartSec=5\n";
    unit += systemd_hardening();
    unit += "\n[Install]\nWantedBy=multi-user.target\n";
    return unit;
}

} // namespace

void add_llama_server_placement(const DeploymentSettings& s, ShellCommand& command) {
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
}

DeploymentConfig write_llama_cpp_config(const ConfigContext& context) {
    const auto& s = context.settings;
    DeploymentConfig config{s.engine_id, s.host, s.port, {}, {}, {}, {}, {}, {}};
    const std::string version =
        context.engine != nullptr ? engine_version(*context.engine) : "unknown";

    ShellCommand command("llama-server");
    add_model(context, command, config);
    command.option("--alias", context.chosen.model_id);
    add_llama_server_placement(s, command);
    if (embedding_plan(context)) {
        // One input must fit one micro-batch (embedding_serving.hpp).
        const int batch = llama_cpp_embedding_batch(s.context_tokens, s.ubatch_tokens);
        command.option("-b", std::max(batch, s.batch_tokens));
        command.option("-ub", batch);
        add_embedding_mode(context, command);
    } else {
        command.option("-b", s.batch_tokens);
        command.option("-ub", s.ubatch_tokens);
    }
    if (!s.mmap) {
        command.option("--load-mode", "none");
    }
    add_draft(context, command, config);
    for (const auto& adapter : s.lora_adapters) {
        command.option("--lora", adapter);
    }
    command.flag("--metrics");
    command.option("--host", s.host);
    command.option("--port", s.port);

    std::string content = shell_header(
        {fmt::format("llama-server for {} {} (llama.cpp {}), written by edgeplan.",
                     context.chosen.model_id, s.quantization, version),
         fmt::format("OpenAI-compatible API{} on {}:{}; context {} tokens per slot x {} slot(s).",
                     embedding_plan(context) ? " (/v1/embeddings)" : "", s.host, s.port,
                     s.context_tokens, s.parallel_slots)});
    content += command.render();
    config.files.push_back({"llama-server.sh", "sh", "llama-server", content});
    config.files.push_back({"llama-server.service", "systemd", "llama-server",
                            systemd_unit(context, command)});
    add_script_lifecycle(config, "llama-server.sh", "/health");

    if (s.kv_cache_type != "f16" && s.kv_cache_type != "f32" && s.kv_cache_type != "bf16" &&
        !s.flash_attention) {
        config.notes.push_back("A quantized V cache (-ctv " + s.kv_cache_type +
                               ") needs flash attention in llama.cpp; the plan has it off.");
    }
    if (!s.lora_adapters.empty()) {
        // tools/server/README.md: GET /lora-adapters lists id/path/scale, POST takes
        // [{"id": N, "scale": S}]; scale 0 turns an adapter off without unloading it.
        config.notes.push_back(fmt::format(
            "LoRA adapters load at start (ids 0..{}); hot-swap them without a restart: "
            "`curl -s {}:{}/lora-adapters` lists them, and POST /lora-adapters with "
            "`[{{\"id\": 0, \"scale\": 0.0}}, {{\"id\": 1, \"scale\": 1.0}}]` switches "
            "which one applies (scale 0 turns one off).",
            s.lora_adapters.size() - 1, check_host(s.host), s.port));
    }
    if (s.ssd_streaming) {
        config.notes.push_back("Weights stream from SSD through mmap (the default load mode): keep "
                               "the model file on the fastest local disk.");
    }
    return config;
}

} // namespace edgeplan::report_detail
