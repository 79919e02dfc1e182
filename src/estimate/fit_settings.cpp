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

/// A GPU TensorRT-LLM runs on: an NVIDIA CUDA device with known memory.
bool has_cuda_gpu(const HardwareProfile& profile) {
    return std::any_of(profile.gpus.begin(), profile.gpus.end(), [](const GpuDevice& gpu) {
        return contains(gpu.apis, "cuda") && gpu.memory_total_bytes.known();
    });
}

/// Whether `engine` runs the quantization `ref` names: GGUF presets for engines with a
/// ggml runner, other weight formats for the rest (LM Studio: both).
bool engine_runs(const Engine& engine, FitEngine kind, const QuantizationRef& ref) {
    const EngineModel& model = engine_model(kind);
    if (ref.preset != nullptr) {
        return model.gguf_physics && contains(engine.quantizations, ref.preset->id);
    }
    if (ref.format == nullptr || !model.format_physics) {
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
        if (!engine_model(kind).format_physics && artifact.format != "gguf") {
            continue; // a GGUF-only engine counts only GGUF artifacts
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
    const EngineModel& model = engine_model(s.engine);
    const MemoryPhysics physics = memory_physics(s.engine, s.preset != nullptr);
    const std::string name(model.name);
    if (physics == MemoryPhysics::ggml) {
        // The engine's default (unquantized) cache is always there, even where the
        // catalogue lists no KV types for it (LM Studio exposes none).
        const bool listed = contains(engine.kv_cache_types, s.kv_type) ||
                            s.kv_type == model.default_kv_type;
        if (!listed || catalog.find_ggml_type(s.kv_type) == nullptr) {
            return make_error(ExitCode::usage, "--kv-type",
                              name + " has no KV cache type '" + s.kv_type + "'");
        }
        // llama.cpp refuses a quantized V cache without flash attention (llama-context.cpp:
        // "V cache quantization requires flash_attn"); Ollama ignores OLLAMA_KV_CACHE_TYPE
        // unless OLLAMA_FLASH_ATTENTION is on (llm/memory.go).
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
    if (physics == MemoryPhysics::paged_gpu) {
        if (s.kv_type != model.default_kv_type && !contains(engine.kv_cache_types, s.kv_type)) {
            return make_error(ExitCode::usage, "--kv-type",
                              name + " KV cache dtype '" + s.kv_type +
                                  "' is not among the verified ones (auto: the model dtype)");
        }
        return Done{};
    }
    if (s.kv_type != "f16" && !contains(engine.kv_cache_types, s.kv_type)) {
        return make_error(ExitCode::usage, "--kv-type",
                          s.engine == FitEngine::mlx_lm
                              ? "mlx-lm takes --kv-bits 4 or 8 (or f16, unquantized), not '" +
                                    s.kv_type + "'"
                              : name + " exposes no KV cache quantization (f16 only), not '" +
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

Result<FitSettings> resolve_fit_settings(const FitRequest& request, const HardwareProfile& profile,
                                         const Catalog& catalog) {
    if (request.model == nullptr) {
        return make_error(ExitCode::internal, "fit", "no model");
    }
    FitSettings s;
    s.model = request.model;
    const Model& model = *request.model;
    s.engine = request.engine.value_or(FitEngine::llama_cpp);
    const EngineModel& em = engine_model(s.engine);
    const Engine* engine = catalog.find_engine(fit_engine_id(s.engine));
    if (engine == nullptr) {
        return make_error(ExitCode::bad_catalog, "--engine",
                          "the catalogue has no engine '" + std::string(fit_engine_id(s.engine)) + "'");
    }
    if (!request.engine) {
        s.defaults.push_back(std::string("engine: llama.cpp") +
                             (has_apple_gpu(profile) ? " (Metal)" : "") +
                             " (other engines only when asked)");
    }
    if (em.needs_rocm_or_cuda && !has_vllm_gpu(profile)) {
        return make_error(ExitCode::usage, "--engine",
                          "vLLM needs a discrete CUDA or ROCm GPU with known memory; this "
                          "hardware has none");
    }
    if (em.needs_cuda && !has_cuda_gpu(profile)) {
        return make_error(ExitCode::usage, "--engine",
                          std::string(em.name) +
                              " runs on NVIDIA CUDA GPUs only (GPU-only, Linux); this hardware "
                              "has no CUDA GPU with known memory");
    }
    if (s.engine == FitEngine::mlx_lm && !has_apple_gpu(profile)) {
        return make_error(ExitCode::usage, "--engine",
                          "fit plans mlx-lm on Apple Silicon (Metal) only; this hardware has no "
                          "Apple GPU");
    }

    // Quantization.
    std::string quant = request.quantization;
    if (quant.empty()) {
        const std::string fallback(em.default_quantization);
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
                              (!em.format_physics ? " (it runs GGUF presets)" : ""));
    }
    if (ref.format != nullptr && !ref.format->bits_per_weight) {
        return make_error(ExitCode::usage, "--quant",
                          "'" + quant + "' has a per-model bit width; fit cannot size it");
    }
    s.preset = ref.preset;
    s.format = ref.preset ? nullptr : ref.format;
    s.quantization = ref.preset ? ref.preset->id : ref.format->id;
    const MemoryPhysics physics = memory_physics(s.engine, s.preset != nullptr);
    if (physics == MemoryPhysics::mlx && !has_apple_gpu(profile)) {
        return make_error(ExitCode::usage, "--quant",
                          std::string(em.name) + " runs '" + s.quantization +
                              "' with MLX, which needs Apple Silicon; this hardware has no "
                              "Apple GPU");
    }
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
    } else if (em.default_context_tokens) {
        s.context_tokens = std::min(max_context.value_or(*em.default_context_tokens),
                                    *em.default_context_tokens);
        s.defaults.push_back("context: " + std::to_string(s.context_tokens) + " tokens (" +
                             std::string(em.name) + "'s own default, capped at the model's "
                                                    "maximum)");
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
    if (request.ubatch_tokens) {
        if (*request.ubatch_tokens < 1 || *request.ubatch_tokens > fit_context_limit) {
            return make_error(ExitCode::usage, "ubatch", "must be between 1 and the context limit");
        }
        s.ubatch_tokens = *request.ubatch_tokens;
    }

    // Flash attention: llama.cpp -fa auto enables it wherever the backend has the kernels,
    // which every backend fit models does; vLLM, TensorRT-LLM and MLX always use fused
    // attention; Ollama's OLLAMA_FLASH_ATTENTION is off unless set, and edgeplan sets it
    // whenever the KV cache is quantized (Ollama ignores the KV type without it).
    const bool ggml = physics == MemoryPhysics::ggml;
    s.flash_attention = request.flash_attention == FlashAttentionChoice::off ? FlashAttention::off
                                                                              : FlashAttention::on;
    if (request.flash_attention != FlashAttentionChoice::automatic && !em.flash_attention_switch) {
        return make_error(ExitCode::usage, "--flash-attn",
                          "only llama.cpp, llamafile and Ollama have a flash-attention switch; " +
                              std::string(em.name) + " sets attention itself");
    }
    if (request.flash_attention == FlashAttentionChoice::automatic && ggml) {
        const auto fa = engine->features.find("flash_attention");
        const bool supported = fa != engine->features.end() && fa->second.value_or(false);
        const bool quantized_kv = !request.kv_type.empty() && request.kv_type != "f16" &&
                                  request.kv_type != "f32" && request.kv_type != "bf16";
        if (!supported || (!em.flash_attention_default && !quantized_kv)) {
            s.flash_attention = FlashAttention::off;
        }
    }

    // KV cache type.
    s.kv_type = request.kv_type;
    if (s.kv_type.empty()) {
        s.kv_type = physics == MemoryPhysics::paged_gpu ? std::string(em.default_kv_type) : "f16";
    }
    if (Status ok = check_kv_type(s, *engine, catalog); !ok) {
        return ok.error();
    }
    return s;
}

} // namespace edgeplan
