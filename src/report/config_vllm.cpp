// vLLM: `vllm serve` arguments carrying the plan's numbers, and the same settings as the
// `vllm serve --config` YAML. KV-cache types and quantization
// methods are written only in vLLM's own vocabulary (engines-and-models.md section 3.3);
// a value vLLM would reject is left to its default and said in a note.

#include "config_writers.hpp"
#include "plan_sections.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace edgeplan::report_detail {

namespace {

/// vLLM's --quantization method for a catalogue weight format; "" when vLLM reads it from
/// the checkpoint or the weights are not quantized.
std::string quantization_method(const Catalog& catalog, const std::string& quantization) {
    const WeightFormat* format = catalog.find_weight_format(quantization);
    if (format == nullptr) {
        return "";
    }
    if (format->family == "awq" || format->family == "gptq" || format->family == "fp8") {
        return format->family;
    }
    return "";
}

std::string model_reference(const std::string& repository, bool no_download) {
    if (!no_download) {
        return repository;
    }
    const auto slash = repository.rfind('/');
    return "models/" + (slash == std::string::npos ? repository : repository.substr(slash + 1));
}

int gpu_count(const Candidate& chosen) {
    return static_cast<int>(
        std::count_if(chosen.memory.begin(), chosen.memory.end(),
                      [](const DeviceMemory& d) { return d.device.rfind("gpu", 0) == 0; }));
}

/// Writes every setting twice: as a `vllm serve` option and as a key of the `--config` YAML
/// (docs/configuration/serve_args.md: keys are the long option names without the dashes).
class VllmArguments {
  public:
    explicit VllmArguments(ShellCommand& command) : command_(command) {}
    void set(const std::string& flag, const std::string& value, bool quote = false) {
        command_.option(flag, value);
        yaml_ += flag.substr(2) + ": " + (quote ? quoted(value) : value) + "\n";
    }
    void set(const std::string& flag, long long value) {
        set(flag, std::to_string(value));
    }
    void enable(const std::string& flag) {
        command_.flag(flag);
        yaml_ += flag.substr(2) + ": true\n";
    }
    void list(const std::string& flag, const std::vector<std::string>& values) {
        yaml_ += flag.substr(2) + ":\n";
        for (const auto& value : values) {
            command_.option(flag, value);
            yaml_ += "  - " + quoted(value) + "\n";
        }
    }
    [[nodiscard]] const std::string& yaml() const { return yaml_; }

  private:
    ShellCommand& command_;
    std::string yaml_;
};

} // namespace

DeploymentConfig write_vllm_config(const ConfigContext& context) {
    const auto& s = context.settings;
    DeploymentConfig config{s.engine_id, s.host, s.port, {}, {}, {}, {}, {}, {}};
    const std::string repository = s.artifact_repository.value_or(context.chosen.model_id);

    std::string env;
    if (const std::string off = telemetry_assignment(context.engine);
        context.keeps_local && !off.empty()) {
        env += "export " + off + "\n";
    }
    if (context.no_download) {
        // huggingface_hub's switch: vLLM resolves tokenizer and config files without the network.
        env += "export HF_HUB_OFFLINE=1\n";
        add_weights_fetch(context, config, model_reference(repository, true));
    }
    if (!s.lora_adapters.empty()) {
        // Enables POST /v1/load_lora_adapter and /v1/unload_lora_adapter (docs/features/lora.md).
        env += "export VLLM_ALLOW_RUNTIME_LORA_UPDATING=True\n";
    }

    ShellCommand command("vllm serve");
    const std::string model = model_reference(repository, context.no_download);
    command.argument(model);
    VllmArguments args(command);
    std::string yaml = "model: " + quoted(model) + "\n";
    args.set("--served-model-name", context.chosen.model_id, true);
    args.set("--max-model-len", s.context_tokens);
    args.set("--max-num-seqs", s.parallel_slots);
    if (s.gpu_memory_utilization) {
        args.set("--gpu-memory-utilization", fmt::format("{:.2f}", *s.gpu_memory_utilization));
    }
    const bool kv_known =
        context.engine != nullptr &&
        std::find(context.engine->kv_cache_types.begin(), context.engine->kv_cache_types.end(),
                  s.kv_cache_type) != context.engine->kv_cache_types.end();
    if (kv_known && s.kv_cache_type != "auto") {
        args.set("--kv-cache-dtype", s.kv_cache_type, true);
    } else if (!kv_known && s.kv_cache_type != "f16") {
        config.notes.push_back(
            "KV-cache type `" + s.kv_cache_type +
            "` is not one vLLM accepts; the cache stays at the model's dtype (auto).");
    }
    if (s.prefix_caching) {
        args.enable("--enable-prefix-caching");
    }
    if (s.chunked_prefill) {
        args.enable("--enable-chunked-prefill");
    }
    if (const std::string method = quantization_method(context.catalog, s.quantization);
        !method.empty()) {
        args.set("--quantization", method, true);
    }
    if (const int gpus = gpu_count(context.chosen); gpus > 1) {
        args.set("--tensor-parallel-size", gpus);
    }
    if (s.draft_model_id) {
        const Artifact* draft = find_artifact(context.catalog, *s.draft_model_id, "safetensors");
        const std::string draft_ref = model_reference(
            draft != nullptr && draft->repository ? *draft->repository : *s.draft_model_id,
            context.no_download);
        if (context.no_download) {
            config.fetch.push_back({"the draft model " + *s.draft_model_id, draft_ref, {}});
        }
        args.set(
            "--speculative-config",
            fmt::format(R"({{"method":"draft_model","model":"{}","num_speculative_tokens":{}}})",
                        draft_ref, std::max(1, s.draft_tokens)),
            true);
    }
    if (!s.lora_adapters.empty()) {
        args.enable("--enable-lora");
        args.set("--max-loras", static_cast<long long>(s.lora_adapters.size()));
        std::vector<std::string> modules;
        for (std::size_t i = 0; i < s.lora_adapters.size(); ++i) {
            modules.push_back(fmt::format("adapter{}={}", i + 1, s.lora_adapters[i]));
        }
        args.list("--lora-modules", modules);
        const std::string host =
            s.host == "0.0.0.0" || s.host == "::" ? std::string("127.0.0.1") : s.host;
        config.notes.push_back(fmt::format(
            "LoRA adapters are served as models adapter1..adapter{} (request them by that "
            "name). Hot swap without a restart: the scripts set "
            "VLLM_ALLOW_RUNTIME_LORA_UPDATING=True, so `curl -s {}:{}/v1/load_lora_adapter -H "
            "'Content-Type: application/json' -d '{{\"lora_name\": \"adapter{}\", "
            "\"lora_path\": \"PATH\"}}'` loads another and POST /v1/unload_lora_adapter with "
            "`{{\"lora_name\": ...}}` drops one; --max-loras {} bounds how many share a batch.",
            s.lora_adapters.size(), host, s.port, s.lora_adapters.size() + 1,
            s.lora_adapters.size()));
    }
    args.set("--host", s.host, true);
    args.set("--port", s.port);

    const std::vector<std::string> header = {
        fmt::format("vLLM server for {} {}, written by edgeplan.", context.chosen.model_id,
                    s.quantization),
        fmt::format("OpenAI-compatible API on {}:{}.", s.host, s.port)};
    config.files.push_back({"vllm-serve.sh", "sh", "vllm serve",
                            shell_header(header) + env + command.render()});

    std::string yaml_file = fmt::format(
        "# vLLM settings for {} {} (the same as vllm-serve.sh), written by edgeplan.\n"
        "# Start with ./vllm-serve-config.sh, i.e. vllm serve --config vllm-config.yaml\n",
        context.chosen.model_id, s.quantization);
    config.files.push_back(
        {"vllm-config.yaml", "yaml", "vllm serve --config (YAML)", yaml_file + yaml + args.yaml()});
    ShellCommand from_file("vllm serve");
    from_file.option("--config", "vllm-config.yaml");
    config.files.push_back(
        {"vllm-serve-config.sh", "sh", "vllm serve",
         shell_header({"The same server, its settings read from vllm-config.yaml."}) + env +
             from_file.render()});
    add_script_lifecycle(config, "vllm-serve.sh", "/v1/models");
    return config;
}

} // namespace edgeplan::report_detail
