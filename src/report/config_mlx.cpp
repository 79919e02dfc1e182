// MLX: an mlx_lm.server command line and a Python script using mlx_lm.load/generate with
// the same settings. mlx-lm's --max-kv-size and --kv-bits are mutually exclusive, and
// batching is off while --kv-bits is on (engines-and-models.md section 2.1).

#include "config_writers.hpp"
#include "plan_sections.hpp"

#include <fmt/format.h>

namespace edgeplan::report_detail {

namespace {

bool quantized_kv(const DeploymentSettings& s) {
    return s.kv_cache_type == "4" || s.kv_cache_type == "8";
}

std::string model_reference(const ConfigContext& context) {
    const auto& s = context.settings;
    if (context.no_download || !s.artifact_repository) {
        return local_model_path(s, context.chosen.model_id);
    }
    return *s.artifact_repository;
}

std::string python_script(const ConfigContext& context, const std::string& model) {
    const auto& s = context.settings;
    std::string py = "#!/usr/bin/env python3\n\"\"\"Runs " + context.chosen.model_id + " " + s.quantization +
                     " with mlx_lm using the plan's settings (written by edgeplan).\"\"\"\n";
    if (context.no_download) {
        py += "import os\n\nos.environ[\"HF_HUB_OFFLINE\"] = \"1\"  # resolve nothing over the "
              "network\n\n";
    }
    py += "from mlx_lm import generate, load\n";
    py += "from mlx_lm.models.cache import make_prompt_cache\n\n";
    py += fmt::format("MODEL = \"{}\"\n", model);
    py += fmt::format("MAX_TOKENS = {}\n", context.plan.request.output_tokens);
    py += quantized_kv(s) ? fmt::format("KV_BITS = {}\n", s.kv_cache_type)
                          : fmt::format("MAX_KV_SIZE = {}\n", s.context_tokens);
    py += "\n\ndef main():\n";
    py += s.lora_adapters.empty()
              ? "    model, tokenizer = load(MODEL)\n"
              : fmt::format("    model, tokenizer = load(MODEL, adapter_path=\"{}\")\n",
                            s.lora_adapters.front());
    py += quantized_kv(s)
              ? "    prompt_cache = make_prompt_cache(model)\n"
              : "    prompt_cache = make_prompt_cache(model, max_kv_size=MAX_KV_SIZE)\n";
    py += "    messages = [{\"role\": \"user\", \"content\": \"Say hello in one sentence.\"}]\n";
    py += "    prompt = tokenizer.apply_chat_template(messages, add_generation_prompt=True)\n";
    py += "    generate(\n        model,\n        tokenizer,\n        prompt=prompt,\n"
          "        max_tokens=MAX_TOKENS,\n        prompt_cache=prompt_cache,\n";
    if (quantized_kv(s)) {
        py += "        kv_bits=KV_BITS,\n";
    }
    py += "        verbose=True,  # prints prompt and generation tok/s and peak memory\n    )\n";
    py += "\n\nif __name__ == \"__main__\":\n    main()\n";
    return py;
}

} // namespace

DeploymentConfig write_mlx_config(const ConfigContext& context) {
    const auto& s = context.settings;
    DeploymentConfig config{s.engine_id, s.host, s.port, {}, {}, {}, {}, {}, {}};
    const std::string model = model_reference(context);
    if (context.no_download) {
        add_weights_fetch(context, config);
    }

    std::string content =
        shell_header({fmt::format("mlx_lm.server for {} {}, written by edgeplan.",
                                  context.chosen.model_id, s.quantization),
                      fmt::format("OpenAI-compatible API on {}:{}.", s.host, s.port)});
    if (context.no_download) {
        content += "export HF_HUB_OFFLINE=1\n";
    }
    ShellCommand command("mlx_lm.server");
    command.option("--model", model);
    if (quantized_kv(s)) {
        command.option("--kv-bits", s.kv_cache_type);
    } else {
        command.option("--max-kv-size", s.context_tokens);
    }
    command.option("--decode-concurrency", s.parallel_slots);
    command.option("--max-tokens", context.plan.request.output_tokens);
    if (s.draft_model_id) {
        const Artifact* draft = find_artifact(context.catalog, *s.draft_model_id, "mlx");
        command.option("--draft-model",
                       !context.no_download && draft != nullptr && draft->repository
                           ? *draft->repository
                           : "models/" + *s.draft_model_id);
        if (s.draft_tokens > 0) {
            command.option("--num-draft-tokens", s.draft_tokens);
        }
    }
    if (!s.lora_adapters.empty()) {
        command.option("--adapter-path", s.lora_adapters.front());
    }
    command.option("--host", s.host);
    command.option("--port", s.port);
    content += command.render();
    config.files.push_back({"mlx-server.sh", "sh", "mlx_lm.server", content});
    config.files.push_back({"run_mlx.py", "python", "", python_script(context, model)});
    add_script_lifecycle(config, "mlx-server.sh", "/v1/models");

    if (quantized_kv(s) && s.parallel_slots > 1) {
        config.notes.push_back(
            "mlx_lm.server turns batching off while --kv-bits is set: concurrent "
            "requests queue instead of sharing a batch.");
    }
    if (s.lora_adapters.size() > 1) {
        config.notes.push_back(
            "mlx-lm loads one adapter path; only the first adapter is configured.");
    }
    if (!s.lora_adapters.empty()) {
        config.notes.push_back("mlx_lm.server has no run-time adapter endpoint in the checked "
                               "version: to swap the adapter, change --adapter-path and restart "
                               "(run_mlx.py: load(MODEL, adapter_path=...)).");
    }
    return config;
}

} // namespace edgeplan::report_detail
