// `fit` request defaults and checks: which quantization, engine, context, KV type and
// flash-attention setting a request means, and whether the engine can run them.
#include <edgeplan/estimate/fit.hpp>
#include <edgeplan/estimate/weights.hpp>

#include <algorithm>
#include <map>

namespace edgeplan {

namespace {

bool contains(const std::vector<std::string>& list, std::string_view item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

bool has_apple_gpu(const HardwareProfile& profile) {
    return std::any_of(profile.gpus.begin(), profile.gpus.end(), [](const GpuDevice& gpu) {
        return gpu.vendor.value && *gpu.vendor.value == "Apple";
    });
}

/// A GPU vLLM runs on: a discrete CUDA or ROCm device (vLLM's platforms, engines.json).
bool has_vllm_gpu(const HardwareProfile& profile) {
    return std::any_of(profile.gpus.begin(), profile.gpus.end(), [](const GpuDevice& gpu) {
        const bool discrete = gpu.memory_kind.value && *gpu.memory_kind.value == "discrete";
        const bool api = contains(gpu.apis, "cuda") || contains(gpu.apis, "rocm");
        return discrete && api && gpu.memory_total_bytes.known();
    });
}

/// Whether `engine` runs the quantization `ref` names.
bool engine_runs(const Engine& engine, FitEngine kind, const QuantizationRef& ref) {
    if (kind == FitEngine::llama_cpp) {
        return ref.preset != nullptr && contains(engine.quantizations, ref.preset->id);
    }
    if (ref.format == nullptr) {
        return false;
    }
    if (contains(ref.format->engines, engine.id) || contains(engine.quantizations, ref.format->id)) {
        return true;
    }
    return std::any_of(ref.format->aliases.begin(), ref.format->aliases.end(),
                       [&](const std::string& a) { return contains(engine.quantizations, a); });
}

/// The model's most common artifact quantization the engine runs (ties: the fallback when
/// it is among them, else the first listed); the fallback when the model lists none.
std::string default_quantization(const Model& model, const Engine& engine, FitEngine kind,
                                 const Catalog& catalog, const std::string& fallback,
                                 std::string& why) {
    std::map<std::string, int> count;
    std::vector<std::string> order;
    for (const auto& artifact : model.artifacts) {
        if (kind == FitEngine::llama_cpp && artifact.format != "gguf") {
            continue;
        }
        for (const auto& q : artifact.quantizations) {
            const QuantizationRef ref = catalog.find_quantization(q);
            if (!ref.found() || !engine_runs(engine, kind, ref)) {
                continue;
            }
            const std::string id = ref.preset ? ref.preset->id : ref.format->id;
            if (count[id]++ == 0) {
                order.push_back(id);
            }
        }
    }
    if (order.empty()) {
        why = "the model lists no artifact in a format " + engine.name + " runs";
        return fallback;
    }
    int best = 0;
    for (const auto& id : order) {
        best = std::max(best, count[id]);
    }
    const auto fallback_ref = catalog.find_quantization(fallback);
    const std::string fallback_id =
        fallback_ref.preset ? fallback_ref.preset->id
                            : (fallback_ref.format ? fallback_ref.format->id : fallback);
    if (count[fallback_id] == best) {
        why = "the most common quantization among the model's artifacts";
        return fallback_id;
    }
    for (const auto& id : order) {
        if (count[id] == best) {
            why = "the most common quantization among the model's artifacts";
            return id;
        }
    }
    return fallback;
}

Status check_kv_type(FitSettings& s, const Engine& engine, const Catalog& catalog) {
    if (s.engine == FitEngine::llama_cpp) {
        if (!contains(engine.kv_cache_types, s.kv_type) || catalog.find_ggml_type(s.kv_type) == nullptr) {
            return make_error(ExitCode::usage, "--kv-type",
                              "llama.cpp has no KV cache type '" + s.kv_type + "'");
        }
        // llama.cpp refuses a quantized V cache without flash attention (llama-context.cpp:
        // "V cache quantization requires flash_attn").
        const bool quantized = s.kv_type != "f16" && s.kv_type != "f32" && s.kv_type != "bf16";
        if (quantized && s.flash_attention == FlashAttention::off) {
            return make_error(ExitCode::usage, "--kv-type",
                              "a quantized V cache (" + s.kv_type +
                                  ") needs flash attention; drop --flash-attn off");
        }
        return Done{};
    }
    if (s.engine == FitEngine::vllm) {
        static const std::vector<std::string> modelled = {"auto",    "float16",  "bfloat16",
                                                          "fp8",     "fp8_e4m3", "fp8_e5m2"};
        if (!contains(modelled, s.kv_type)) {
            return make_error(ExitCode::usage, "--kv-type",
                              contains(engine.kv_cache_types, s.kv_type)
                                  ? "vLLM's '" + s.kv_type + "' KV cache is not modelled by fit "
                                                             "(use auto, bfloat16 or fp8)"
                                  : "vLLM has no KV cache dtype '" + s.kv_type + "'");
        }
        return Done{};
    }
    if (s.kv_type != "f16" && !contains(engine.kv_cache_types, s.kv_type)) {
        return make_error(ExitCode::usage, "--kv-type",
                          "mlx-lm takes --kv-bits 4 or 8 (or f16, unquantized), not '" +
                              s.kv_type + "'");
    }
    return Done{};
}

/// The model's GGUF file when the request plans it as it is stored: llama.cpp, and the file's
/// own quantization (asked for, or left to the default, which is the file's when it names
/// one). Another quantization is a what-if: the preset rules size it, not the file.
const GgufFileWeights* file_as_stored(const Model& model, const FitSettings& s,
                                      const std::string& requested) {
    if (!model.gguf_file || s.engine != FitEngine::llama_cpp) {
        return nullptr;
    }
    const bool same = s.quantization == model.gguf_file->quantization;
    return same || (requested.empty() && model.gguf_file->quantization.empty())
               ? model.gguf_file.get()
               : nullptr;
}

} // namespace

std::string_view fit_engine_id(FitEngine engine) {
    switch (engine) {
    case FitEngine::llama_cpp:
        return "llama.cpp";
    case FitEngine::vllm:
        return "vllm";
    case FitEngine::mlx_lm:
        return "mlx-lm";
    }
    return "llama.cpp";
}

std::optional<FitEngine> parse_fit_engine(std::string_view id) {
    if (id == "llama.cpp") {
        return FitEngine::llama_cpp;
    }
    if (id == "vllm") {
        return FitEngine::vllm;
    }
    if (id == "mlx-lm" || id == "mlx") {
        return FitEngine::mlx_lm;
    }
    return std::nullopt;
}

Result<FitSettings> resolve_fit_settings(const FitRequest& request, const HardwareProfile& profile,
                                         const Catalog& catalog) {
    if (request.model == nullptr) {
        return make_error(ExitCode::internal, "fit", "no model");
    }
    FitSettings s;
    s.model = request.model;
    const Model& model = *request.model;
    s.engine = request.engine.value_or(FitEngine::llama_cpp);
    const Engine* engine = catalog.find_engine(fit_engine_id(s.engine));
    if (engine == nullptr) {
        return make_error(ExitCode::bad_catalog, "--engine",
                          "the catalogue has no engine '" + std::string(fit_engine_id(s.engine)) + "'");
    }
    if (!request.engine) {
        s.defaults.push_back(std::string("engine: llama.cpp") +
                             (has_apple_gpu(profile) ? " (Metal)" : "") +
                             " (vllm and mlx-lm only when asked)");
    }
    if (s.engine == FitEngine::vllm && !has_vllm_gpu(profile)) {
        return make_error(ExitCode::usage, "--engine",
                          "vLLM needs a discrete CUDA or ROCm GPU with known memory; this "
                          "hardware has none");
    }
    if (s.engine == FitEngine::mlx_lm && !has_apple_gpu(profile)) {
        return make_error(ExitCode::usage, "--engine",
                          "fit plans mlx-lm on Apple Silicon (Metal) only; this hardware has no "
                          "Apple GPU");
    }

    // Quantization.
    std::string quant = request.quantization;
    if (quant.empty()) {
        const std::string fallback = s.engine == FitEngine::llama_cpp ? "Q4_K_M"
                                     : s.engine == FitEngine::vllm    ? "bf16"
                                                                      : "mlx-4bit";
        std::string why;
        quant = default_quantization(model, *engine, s.engine, catalog, fallback, why);
        s.defaults.push_back("quantization: " + quant + " (" + why + ")");
    }
    const QuantizationRef ref = catalog.find_quantization(quant);
    if (!ref.found()) {
        return make_error(ExitCode::usage, "--quant", "unknown quantization '" + quant + "'");
    }
    if (!engine_runs(*engine, s.engine, ref)) {
        return make_error(ExitCode::usage, "--quant",
                          engine->name + " does not run '" + quant + "'" +
                              (s.engine == FitEngine::llama_cpp ? " (it runs GGUF presets)" : ""));
    }
    if (ref.format != nullptr && !ref.format->bits_per_weight) {
        return make_error(ExitCode::usage, "--quant",
                          "'" + quant + "' has a per-model bit width; fit cannot size it");
    }
    s.preset = ref.preset;
    s.format = ref.preset ? nullptr : ref.format;
    s.quantization = ref.preset ? ref.preset->id : ref.format->id;
    s.file = file_as_stored(model, s, request.quantization);

    // Context.
    const std::optional<int> max_context = model.architecture.max_context_tokens;
    if (request.context_tokens) {
        s.context_tokens = *request.context_tokens;
        if (s.context_tokens <= 0 || s.context_tokens > fit_context_limit) {
            return make_error(ExitCode::usage, "--context",
                              "must be between 1 and " + std::to_string(fit_context_limit));
        }
        if (max_context && s.context_tokens > *max_context) {
            return make_error(ExitCode::usage, "--context",
                              std::to_string(s.context_tokens) + " tokens is above " + model.id +
                                  "'s maximum context of " + std::to_string(*max_context));
        }
    } else {
        s.context_tokens = std::min(max_context.value_or(8192), 8192);
        s.defaults.push_back("context: " + std::to_string(s.context_tokens) +
                             " tokens (min(model maximum, 8192))");
    }
    if (request.concurrency < 1 || request.concurrency > fit_concurrency_limit) {
        return make_error(ExitCode::usage, "--concurrency",
                          "must be between 1 and " + std::to_string(fit_concurrency_limit));
    }
    s.concurrency = request.concurrency;
    if (request.prompt_tokens < 1 || request.prompt_tokens > s.context_tokens) {
        return make_error(ExitCode::usage, "--prompt-tokens",
                          "must be between 1 and the context (" +
                              std::to_string(s.context_tokens) + ")");
    }
    s.prompt_tokens = request.prompt_tokens;

    // Flash attention: llama.cpp -fa auto enables it wherever the backend has the kernels,
    // which every backend fit models does; vLLM and MLX always use fused attention.
    s.flash_attention = request.flash_attention == FlashAttentionChoice::off ? FlashAttention::off
                                                                              : FlashAttention::on;
    if (request.flash_attention != FlashAttentionChoice::automatic &&
        s.engine != FitEngine::llama_cpp) {
        return make_error(ExitCode::usage, "--flash-attn",
                          "only llama.cpp has a flash-attention switch; vLLM and mlx-lm always "
                          "use fused attention");
    }
    if (request.flash_attention == FlashAttentionChoice::automatic &&
        s.engine == FitEngine::llama_cpp) {
        const auto fa = engine->features.find("flash_attention");
        if (fa == engine->features.end() || !fa->second.value_or(false)) {
            s.flash_attention = FlashAttention::off;
        }
    }

    // KV cache type.
    s.kv_type = request.kv_type;
    if (s.kv_type.empty()) {
        s.kv_type = s.engine == FitEngine::vllm ? "auto" : "f16";
    }
    if (Status ok = check_kv_type(s, *engine, catalog); !ok) {
        return ok.error();
    }
    return s;
}

} // namespace edgeplan
