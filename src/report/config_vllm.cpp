// vLLM: `vllm serve` arguments carrying the plan's numbers. KV-cache types and quantization
// methods are written only in vLLM's own vocabulary (engines-and-models.md section 3.3);
// a value vLLM would reject is left to its default and said in a note.

#include "config_writers.hpp"
#include "plan_sections.hpp"

#include <fmt/format.h>

#include <algorithm>

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

} // namespace

DeploymentConfig write_vllm_config(const ConfigContext& context) {
    const auto& s = context.settings;
    DeploymentConfig config{s.engine_id, s.host, s.port, {}, {}};
    const std::string repository = s.artifact_repository.value_or(context.chosen.model_id);

    std::string content =
        shell_header({fmt::format("vLLM server for {} {}, written by edgeplan.",
                                  context.chosen.model_id, s.quantization),
                      fmt::format("OpenAI-compatible API on {}:{}.", s.host, s.port)});
    if (const std::string off = telemetry_assignment(context.engine);
        context.keeps_local && !off.empty()) {
        content += "export " + off + "\n";
    }
    if (context.no_download) {
        // huggingface_hub's switch: vLLM resolves tokenizer and config files without the network.
        content += "export HF_HUB_OFFLINE=1\n";
        config.notes.push_back(fetch_beforehand_note(context));
    }

    ShellCommand command("vllm serve");
    command.argument(model_reference(repository, context.no_download));
    command.option("--served-model-name", context.chosen.model_id);
    command.option("--max-model-len", s.context_tokens);
    command.option("--max-num-seqs", s.parallel_slots);
    if (s.gpu_memory_utilization) {
        command.option("--gpu-memory-utilization",
                       fmt::format("{:.2f}", *s.gpu_memory_utilization));
    }
    const bool kv_known =
        context.engine != nullptr &&
        std::find(context.engine->kv_cache_types.begin(), context.engine->kv_cache_types.end(),
                  s.kv_cache_type) != context.engine->kv_cache_types.end();
    if (kv_known && s.kv_cache_type != "auto") {
        command.option("--kv-cache-dtype", s.kv_cache_type);
    } else if (!kv_known && s.kv_cache_type != "f16") {
        config.notes.push_back(
            "KV-cache type `" + s.kv_cache_type +
            "` is not one vLLM accepts; the cache stays at the model's dtype (auto).");
    }
    if (s.prefix_caching) {
        command.flag("--enable-prefix-caching");
    }
    if (s.chunked_prefill) {
        command.flag("--enable-chunked-prefill");
    }
    if (const std::string method = quantization_method(context.catalog, s.quantization);
        !method.empty()) {
        command.option("--quantization", method);
    }
    if (const int gpus = gpu_count(context.chosen); gpus > 1) {
        command.option("--tensor-parallel-size", gpus);
    }
    if (s.draft_model_id) {
        const Artifact* draft = find_artifact(context.catalog, *s.draft_model_id, "safetensors");
        const std::string draft_ref = model_reference(
            draft != nullptr && draft->repository ? *draft->repository : *s.draft_model_id,
            context.no_download);
        command.option(
            "--speculative-config",
            fmt::format(R"({{"method":"draft_model","model":"{}","num_speculative_tokens":{}}})",
                        draft_ref, std::max(1, s.draft_tokens)));
    }
    if (!s.lora_adapters.empty()) {
        command.flag("--enable-lora");
        command.option("--max-loras", static_cast<long long>(s.lora_adapters.size()));
        for (std::size_t i = 0; i < s.lora_adapters.size(); ++i) {
            command.option("--lora-modules",
                           fmt::format("adapter{}={}", i + 1, s.lora_adapters[i]));
        }
        config.notes.push_back(
            "LoRA adapters are served as models adapter1..N; more can be loaded "
            "at run time through vLLM's LoRA options (--max-loras bounds them).");
    }
    command.option("--host", s.host);
    command.option("--port", s.port);
    content += command.render();
    config.files.push_back({"vllm-serve.sh", "sh", "vllm serve", content});
    return config;
}

} // namespace edgeplan::report_detail
