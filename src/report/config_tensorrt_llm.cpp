// TensorRT-LLM: `trtllm-serve` with the plan's batch and length limits on the command line
// and the KV-cache settings in the LLM-API YAML it reads with --config (trtllm-serve.rst;
// KvCacheConfig in tensorrt_llm/llmapi/llm_args.py). Releases before --config replaced it
// read the same file with --extra_llm_api_options.

#include "config_writers.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace edgeplan::report_detail {

DeploymentConfig write_tensorrt_llm_config(const ConfigContext& context) {
    const auto& s = context.settings;
    DeploymentConfig config{s.engine_id, s.host, s.port, {}, {}, {}, {}, {}, {}};
    const std::string model = context.no_download || !s.artifact_repository
                                  ? local_model_path(s, context.chosen.model_id)
                                  : *s.artifact_repository;

    // KvCacheConfig.free_gpu_memory_fraction: the share of memory left after the weights
    // that the KV cache takes (default 0.9, llm_args.py).
    const double fraction = s.gpu_memory_utilization.value_or(0.9);
    std::string yaml = fmt::format(
        "# TensorRT-LLM LLM-API options for {} {}, written by edgeplan.\n"
        "kv_cache_config:\n"
        "  free_gpu_memory_fraction: {:.2f}\n"
        "  enable_block_reuse: {}\n"
        "  dtype: \"auto\"\n"
        "enable_chunked_prefill: {}\n",
        context.chosen.model_id, s.quantization, fraction, s.prefix_caching ? "true" : "false",
        s.chunked_prefill ? "true" : "false");
    if (!s.lora_adapters.empty()) {
        yaml += "enable_lora: true\n";
    }
    config.files.push_back({"trtllm-config.yaml", "yaml", "llm-api-options.yaml", yaml});

    std::string script = shell_header(
        {fmt::format("trtllm-serve for {} {}, written by edgeplan.", context.chosen.model_id,
                     s.quantization),
         fmt::format("OpenAI-compatible API on {}:{}.", s.host, s.port)});
    if (context.no_download) {
        script += "export HF_HUB_OFFLINE=1\n";
        add_weights_fetch(context, config, model);
    }
    ShellCommand command("trtllm-serve");
    command.argument(model);
    command.option("--backend", "pytorch");
    command.option("--max_batch_size", std::max(1, s.parallel_slots));
    command.option("--max_num_tokens", s.batch_tokens);
    command.option("--max_seq_len", s.context_tokens);
    const auto gpus = std::count_if(context.chosen.memory.begin(), context.chosen.memory.end(),
                                    [](const DeviceMemory& d) { return d.device.rfind("gpu", 0) == 0; });
    if (gpus > 1) {
        command.option("--tp_size", static_cast<long long>(gpus));
    }
    command.option("--config", "trtllm-config.yaml");
    command.option("--host", s.host);
    command.option("--port", s.port);
    script += command.render();
    config.files.push_back({"trtllm-serve.sh", "sh", "trtllm-serve", script});
    add_script_lifecycle(config, "trtllm-serve.sh", "/v1/models");

    config.notes.push_back("TensorRT-LLM releases older than the checked one read the YAML with "
                           "--extra_llm_api_options instead of --config.");
    if (s.kv_cache_type != "f16" && s.kv_cache_type != "auto") {
        config.notes.push_back("KV-cache type `" + s.kv_cache_type +
                               "`: the checked TensorRT-LLM version's non-auto KV dtypes are not "
                               "verified, so kv_cache_config.dtype stays auto.");
    }
    if (!s.lora_adapters.empty()) {
        config.notes.push_back("enable_lora is set; trtllm-serve takes the adapter per request "
                               "(the checked version has no flag that preloads one), so keep the "
                               "adapters under models/ and name them in each request.");
    }
    return config;
}

} // namespace edgeplan::report_detail
