// The engine command line that realises a placement. Only flags the catalogue lists as
// verified for the engine (engines.json "flags") are emitted; one that is missing there is
// left out rather than guessed.
#include "fit_internal.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

namespace edgeplan::fit_detail {

namespace {

class CommandLine {
public:
    CommandLine(const Engine* engine, std::string tool) : tool_(std::move(tool)) {
        if (engine != nullptr) {
            if (auto it = engine->flags.find(tool_); it != engine->flags.end()) {
                verified_ = &it->second;
            }
        }
        words_.push_back(tool_);
    }
    void add(const std::string& flag, const std::string& value = {}) {
        if (verified_ != nullptr &&
            std::find(verified_->begin(), verified_->end(), flag) == verified_->end()) {
            return;
        }
        words_.push_back(value.empty() ? flag : flag + " " + value);
    }
    void positional(const std::string& word) {
        words_.push_back(word);
    }
    std::vector<std::string> words() const {
        return words_;
    }

private:
    std::string tool_;
    const std::vector<std::string>* verified_ = nullptr;
    std::vector<std::string> words_;
};

/// A 0..1 ratio with two decimals ("0.75").
std::string fmt_ratio(double ratio) {
    char text[16];
    std::snprintf(text, sizeof text, "%.2f", ratio);
    return text;
}

/// llama.cpp -ts: the share of blocks each GPU holds, in device order.
std::string tensor_split(const MemoryPlan& plan, const std::vector<MemoryDevice>& devices) {
    std::map<std::string, int> blocks;
    for (const auto& layer : plan.layers) {
        blocks[layer.device] += 1;
    }
    std::string split;
    int gpus = 0;
    for (const auto& d : devices) {
        if (d.kind != MemoryDeviceKind::gpu) {
            continue;
        }
        split += (split.empty() ? "" : ",") + std::to_string(blocks[d.id]);
        ++gpus;
    }
    return gpus > 1 ? split : "";
}

std::vector<std::string> llama_cpp_command(const FitSettings& s, const FitMemory& m,
                                           const Catalog& catalog) {
    // llamafile's server takes llama-server's flags (its bundled version's subset).
    const bool llamafile = s.engine == FitEngine::llamafile;
    CommandLine cmd(catalog.find_engine(llamafile ? "llamafile" : "llama.cpp"),
                    llamafile ? "llamafile --server" : "llama-server");
    cmd.add("-m", s.file != nullptr ? s.file->path : s.model->id + "-" + s.quantization + ".gguf");
    cmd.add("-c", std::to_string(s.context_tokens * s.concurrency));
    if (s.concurrency > 1) {
        cmd.add("-np", std::to_string(s.concurrency));
    }
    const MemoryPlan& plan = m.plan;
    cmd.add("-ngl", std::to_string(plan.gpu_layers));
    if (plan.strategy == PlacementStrategy::moe_experts_on_cpu) {
        cmd.add("--n-cpu-moe", std::to_string(plan.cpu_moe_layers));
    }
    if (const std::string ts = tensor_split(plan, m.devices); !ts.empty()) {
        cmd.add("-ts", ts);
    }
    cmd.add("-fa", s.flash_attention == FlashAttention::on ? "on" : "off");
    if (s.kv_type != "f16") {
        cmd.add("-ctk", s.kv_type);
        cmd.add("-ctv", s.kv_type);
    }
    return cmd.words();
}

std::vector<std::string> vllm_command(const FitSettings& s, const FitMemory& m,
                                      const Catalog& catalog) {
    CommandLine cmd(catalog.find_engine("vllm"), "vllm serve");
    cmd.positional(s.model->id);
    cmd.add("--max-model-len", std::to_string(s.context_tokens));
    cmd.add("--max-num-seqs", std::to_string(s.concurrency));
    cmd.add("--gpu-memory-utilization", "0.9");
    if (s.format != nullptr && (s.format->family == "awq" || s.format->family == "gptq" ||
                                s.format->weight_format.rfind("fp8", 0) == 0)) {
        cmd.add("--quantization", s.format->family == "awq"    ? "awq"
                                  : s.format->family == "gptq" ? "gptq"
                                                               : "fp8");
    }
    if (s.kv_type != "auto") {
        cmd.add("--kv-cache-dtype", s.kv_type);
    }
    int gpus = 0;
    for (const auto& use : m.plan.devices) {
        gpus += use.kind == MemoryDeviceKind::gpu && use.weights_bytes > 0 ? 1 : 0;
    }
    if (gpus > 1) {
        // The GPU count is the tensor-parallel size the placement chose (a power of two the
        // heads divide by), as the recommend config writes it.
        cmd.add("--tensor-parallel-size", std::to_string(gpus));
    }
    return cmd.words();
}

/// Ollama is configured through the server's environment (envconfig); the placement is
/// its own (no verified num_gpu parameter), so only context, slots and cache are set.
std::vector<std::string> ollama_command(const FitSettings& s, const Catalog& catalog) {
    const Engine* engine = catalog.find_engine("ollama");
    const std::vector<std::string>* env = nullptr;
    if (engine != nullptr) {
        if (auto it = engine->flags.find("ollama serve (env)"); it != engine->flags.end()) {
            env = &it->second;
        }
    }
    std::vector<std::string> words;
    const auto set = [&](const std::string& name, const std::string& value) {
        if (env == nullptr || std::find(env->begin(), env->end(), name) != env->end()) {
            words.push_back(name + "=" + value);
        }
    };
    set("OLLAMA_CONTEXT_LENGTH", std::to_string(s.context_tokens));
    set("OLLAMA_NUM_PARALLEL", std::to_string(s.concurrency));
    if (s.flash_attention == FlashAttention::on) {
        set("OLLAMA_FLASH_ATTENTION", "1");
    }
    if (s.kv_type != "f16") {
        set("OLLAMA_KV_CACHE_TYPE", s.kv_type);
    }
    words.push_back("ollama serve");
    return words;
}

/// LM Studio: `lms load` with the context; --gpu max puts every layer on the GPU, a ratio
/// the share the placement found.
std::vector<std::string> lm_studio_command(const FitSettings& s, const FitMemory& m,
                                           const Catalog& catalog) {
    CommandLine cmd(catalog.find_engine("lm-studio"), "lms load");
    cmd.positional(s.model->id + " (" + s.quantization + ")");
    cmd.add("--context-length", std::to_string(s.context_tokens));
    const int layers = s.model->architecture.layers.value_or(0) + 1;
    if (s.preset != nullptr && layers > 0 && m.plan.gpu_layers < layers) {
        const double ratio = static_cast<double>(m.plan.gpu_layers) / layers;
        cmd.add("--gpu", m.plan.gpu_layers == 0 ? "off" : fmt_ratio(ratio));
    } else {
        cmd.add("--gpu", "max");
    }
    return cmd.words();
}

/// trtllm-serve with the batch limits and KV fraction the estimate assumed.
std::vector<std::string> tensorrt_llm_command(const FitSettings& s, const FitMemory& m,
                                              const Catalog& catalog) {
    CommandLine cmd(catalog.find_engine("tensorrt-llm"), "trtllm-serve");
    cmd.positional(s.model->id + " (" + s.quantization + ")");
    cmd.add("--backend", "pytorch");
    cmd.add("--max_batch_size", std::to_string(s.concurrency));
    cmd.add("--max_num_tokens", std::to_string(engine_model(s.engine).max_batched_tokens));
    cmd.add("--max_seq_len", std::to_string(s.context_tokens));
    cmd.add("--kv_cache_free_gpu_memory_fraction", "0.9");
    int gpus = 0;
    for (const auto& use : m.plan.devices) {
        gpus += use.kind == MemoryDeviceKind::gpu && use.weights_bytes > 0 ? 1 : 0;
    }
    if (gpus > 1) {
        cmd.add("--tp_size", std::to_string(gpus));
    }
    return cmd.words();
}

std::vector<std::string> mlx_command(const FitSettings& s, const Catalog& catalog) {
    CommandLine cmd(catalog.find_engine("mlx-lm"), "mlx_lm.server");
    cmd.add("--model", s.model->id + " (" + s.quantization + ")");
    if (s.kv_type != "f16") {
        cmd.add("--kv-bits", s.kv_type);
    }
    if (s.concurrency > 1) {
        cmd.add("--decode-concurrency", std::to_string(s.concurrency));
    }
    return cmd.words();
}

} // namespace

std::vector<std::string> fit_command_line(const FitSettings& settings, const FitMemory& memory,
                                          const Catalog& catalog) {
    switch (settings.engine) {
    case FitEngine::llama_cpp:
    case FitEngine::llamafile:
        return llama_cpp_command(settings, memory, catalog);
    case FitEngine::vllm:
        return vllm_command(settings, memory, catalog);
    case FitEngine::mlx_lm:
        return mlx_command(settings, catalog);
    case FitEngine::ollama:
        return ollama_command(settings, catalog);
    case FitEngine::lm_studio:
        return lm_studio_command(settings, memory, catalog);
    case FitEngine::tensorrt_llm:
        return tensorrt_llm_command(settings, memory, catalog);
    }
    return {};
}

} // namespace edgeplan::fit_detail
