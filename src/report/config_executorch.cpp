// ExecuTorch: export the model to a .pte program with `export_llm` (its YAML fields are
// LlmConfig in extension/llm/export/config/llm_config.py) and run it with the llama runner
// (examples/models/llama/main.cpp flags). The Core ML writer reuses the export with the
// Core ML backend block. No server: these are build and run steps, port 0.

#include "config_executorch.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>
#include <vector>

namespace edgeplan::report_detail {

namespace {

/// export_llm's ModelType for a catalogue model id; "" when export_llm has no definition.
std::string model_class(const std::string& model_id) {
    static const std::vector<std::pair<std::string, std::string>> prefixes = {
        {"llama-3.2", "llama3_2"},      {"llama-3.1", "llama3_1"},
        {"meta-llama-3.1", "llama3_1"}, {"llama-3", "llama3"},
        {"qwen3-0.6b", "qwen3_0_6b"},   {"qwen3-1.7b", "qwen3_1_7b"},
        {"qwen3-4b", "qwen3_4b"},       {"qwen2.5-0.5b", "qwen2_5_0_5b"},
        {"qwen2.5-1.5b", "qwen2_5_1_5b"}, {"phi-4-mini", "phi_4_mini"},
        {"smollm2", "smollm2"}};
    std::string id = model_id;
    std::transform(id.begin(), id.end(), id.begin(), [](unsigned char c) { return std::tolower(c); });
    for (const auto& [prefix, value] : prefixes) {
        if (id.rfind(prefix, 0) == 0) {
            return value;
        }
    }
    return "";
}

bool four_bit(const std::string& quantization) {
    return quantization.find('4') != std::string::npos;
}

} // namespace

std::string executorch_folder(const ConfigContext& context) {
    return "models/" + context.chosen.model_id;
}

std::string executorch_program(const ConfigContext& context, const std::string& backend) {
    return executorch_folder(context) + "/" + context.chosen.model_id + "-" + backend + ".pte";
}

ExecutorchExport executorch_export(const ConfigContext& context, const std::string& backend,
                                   DeploymentConfig& config) {
    const auto& s = context.settings;
    const std::string folder = executorch_folder(context);
    const std::string cls = model_class(context.chosen.model_id);
    // export.max_seq_length is the longest prefill chunk; it may not exceed the context.
    const int prefill = std::min(s.context_tokens, std::max(1, s.batch_tokens));

    std::string yaml = fmt::format("# ExecuTorch export of {} for the {} backend, written by "
                                   "edgeplan.\nbase:\n",
                                   context.chosen.model_id, backend);
    if (cls.empty()) {
        config.notes.push_back("export_llm has no built-in definition of " +
                               context.chosen.model_id +
                               ": export it with Optimum-ExecuTorch instead, using the same "
                               "context and quantization.");
        yaml += "  # model_class: none fits this model (see README.md)\n";
    } else {
        yaml += "  model_class: " + cls + "\n";
    }
    yaml += "  checkpoint: " + quoted(folder + "/consolidated.00.pth") + "\n";
    yaml += "  params: " + quoted(folder + "/params.json") + "\n";
    yaml += "  tokenizer_path: " + quoted(folder + "/tokenizer.model") + "\n";
    yaml += "model:\n  use_kv_cache: true\n  use_sdpa_with_kv_cache: true\n";
    yaml += fmt::format("  quantize_kv_cache: {}\n",
                        s.kv_cache_type == "q8_0" || s.kv_cache_type == "int8" ? "true"
                                                                                 : "false");
    yaml += fmt::format("export:\n  max_seq_length: {}\n  max_context_length: {}\n"
                        "  output_dir: {}\n  output_name: {}\n",
                        prefill, s.context_tokens, quoted(folder),
                        quoted(context.chosen.model_id + "-" + backend + ".pte"));
    if (backend == "coreml") {
        // Core ML: stateful KV cache (iOS 18 MLState) and fused SDPA, 4-bit per-channel
        // weights where the plan is 4-bit (llm_config.py CoreMLConfig).
        yaml += "backend:\n  coreml:\n    enabled: true\n    enable_state: true\n"
                "    preserve_sdpa: true\n    ios: 18\n    compute_units: \"cpu_and_ne\"\n";
        if (four_bit(s.quantization)) {
            yaml += "    quantize: \"c4w\"\n";
        }
    } else {
        // XNNPACK: 8-bit dynamic activations with 4-bit grouped weights (qmode 8da4w).
        yaml += "backend:\n  xnnpack:\n    enabled: true\n";
        yaml += four_bit(s.quantization)
                    ? "quantization:\n  qmode: \"8da4w\"\n  group_size: 128\n"
                    : "quantization:\n  qmode: \"int8\"\n";
    }

    ShellCommand export_command("python3 -m executorch.extension.llm.export.export_llm");
    export_command.option("--config", "export_llm.yaml");
    std::string script = shell_header(
        {fmt::format("Exports {} to {} (written by edgeplan).", context.chosen.model_id,
                     executorch_program(context, backend)),
         "Needs the ExecuTorch Python package; runs once, on a development machine."});
    script += "set -e\n";
    if (context.no_download) {
        script += "export HF_HUB_OFFLINE=1\n";
    }
    script += export_command.render_command();

    config.fetch.push_back({"the PyTorch checkpoint of " + context.chosen.model_id +
                                " (consolidated.00.pth, params.json, tokenizer.model)",
                            folder + "/", std::nullopt});
    return {yaml, script};
}

std::string executorch_runner(const ConfigContext& context, const std::string& backend) {
    const auto& s = context.settings;
    ShellCommand run("llama_main");
    run.option("--model_path", executorch_program(context, backend));
    run.option("--tokenizer_path", executorch_folder(context) + "/tokenizer.model");
    run.option("--prompt", "Say hello in one sentence.");
    // seq_len counts prompt and output tokens together (main.cpp).
    run.option("--seq_len", std::min(s.context_tokens, context.plan.request.prompt_tokens +
                                                           context.plan.request.output_tokens));
    if (s.threads > 0) {
        run.option("--cpu_threads", s.threads);
    }
    return shell_header({fmt::format("Runs {} with the ExecuTorch llama runner (written by "
                                     "edgeplan).",
                                     executorch_program(context, backend))}) +
           run.render();
}

DeploymentConfig write_executorch_config(const ConfigContext& context) {
    const auto& s = context.settings;
    DeploymentConfig config{s.engine_id, s.host, 0, {}, {}, {}, {}, {}, {}};
    const ExecutorchExport exported = executorch_export(context, "xnnpack", config);
    config.files.push_back({"export_llm.yaml", "yaml", "export_llm config (YAML)", exported.yaml});
    config.files.push_back({"export.sh", "sh", "export_llm", exported.script});
    config.files.push_back(
        {"run-executorch.sh", "sh", "llama_main", executorch_runner(context, "xnnpack")});
    config.start.push_back("./export.sh   # once, on a development machine");
    config.start.push_back("./run-executorch.sh");
    config.stop.push_back("# The runner exits after one answer; in an app, release the Module.");
    config.check.push_back("./run-executorch.sh   # prints the answer and tokens per second");
    config.notes.push_back("llama_main is built from the ExecuTorch tree (examples/models/llama); "
                           "phones load the same .pte through the Android/iOS LLM runner "
                           "libraries.");
    return config;
}

} // namespace edgeplan::report_detail
