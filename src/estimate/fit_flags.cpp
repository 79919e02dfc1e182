// The engine command line that realises a placement. Only flags the catalogue lists as
// verified for the engine (engines.json "flags") are emitted; one that is missing there is
// left out rather than guessed.
#include "fit_internal.hpp"

#include <algorithm>
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
    CommandLine cmd(catalog.find_engine("llama.cpp"), "llama-server");
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
        cmd.add("--pipeline-parallel-size", std::to_string(gpus));
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
        return llama_cpp_command(settings, memory, catalog);
    case FitEngine::vllm:
        return vllm_command(settings, memory, catalog);
    case FitEngine::mlx_lm:
        return mlx_command(settings, catalog);
    }
    return {};
}

} // namespace edgeplan::fit_detail
