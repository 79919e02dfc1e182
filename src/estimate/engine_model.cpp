// The engine table: each modelled engine's memory physics, defaults and speed basis, with
// the source of every default beside it. docs/estimation.md ("Engines") explains them.
#include <edgeplan/estimate/engine_model.hpp>

#include <array>

namespace edgeplan {

namespace {

constexpr std::uint64_t mib = 1024ull * 1024ull;

std::array<EngineModel, 7> make_table() {
    std::array<EngineModel, 7> t{};

    EngineModel& llama = t[0];
    llama.engine = FitEngine::llama_cpp;
    llama.id = "llama.cpp";
    llama.name = "llama.cpp";
    llama.gguf_physics = MemoryPhysics::ggml;
    llama.default_quantization = "Q4_K_M";
    llama.default_kv_type = "f16";
    llama.flash_attention_switch = true; // -fa auto: on wherever the backend has kernels
    llama.ssd_streaming = true;
    llama.speed_basis = "llama.cpp's own measured constants";

    EngineModel& vllm = t[1];
    vllm.engine = FitEngine::vllm;
    vllm.id = "vllm";
    vllm.name = "vLLM";
    vllm.format_physics = MemoryPhysics::paged_gpu;
    vllm.default_quantization = "bf16";
    vllm.default_kv_type = "auto";
    // --gpu-memory-utilization 0.9 of the total, --block-size 16 (vllm/config/cache.py).
    vllm.kv_pool_fraction = 0.9;
    vllm.kv_block_tokens = 16;
    vllm.needs_rocm_or_cuda = true;
    vllm.speed_basis = "the llama.cpp efficiency constants of the same backend";

    EngineModel& mlx = t[2];
    mlx.engine = FitEngine::mlx_lm;
    mlx.id = "mlx-lm";
    mlx.name = "mlx-lm";
    mlx.format_physics = MemoryPhysics::mlx;
    mlx.default_quantization = "mlx-4bit";
    mlx.default_kv_type = "f16";
    mlx.speed_basis = "the llama.cpp efficiency constants of the same backend";

    // Ollama runs GGUF through its bundled ggml runner: llama.cpp's memory physics, with
    // its own placement. llm/memory.go (EstimateGPULayers) keeps one block's weights + KV
    // free on each GPU as a buffer plus MinimumMemory (discover: 457 MiB CUDA/ROCm,
    // 512 MiB Metal); the server's default context is 4096 (docs/faq.mdx,
    // OLLAMA_CONTEXT_LENGTH) and num_ctx x OLLAMA_NUM_PARALLEL is one cache
    // (server/sched.go); OLLAMA_FLASH_ATTENTION defaults to off (envconfig) and
    // OLLAMA_KV_CACHE_TYPE is only honoured with it on.
    EngineModel& ollama = t[3];
    ollama.engine = FitEngine::ollama;
    ollama.id = "ollama";
    ollama.name = "Ollama";
    ollama.gguf_physics = MemoryPhysics::ggml;
    ollama.default_quantization = "Q4_K_M";
    ollama.default_kv_type = "f16";
    ollama.default_context_tokens = 4096;
    ollama.flash_attention_switch = true;
    ollama.flash_attention_default = false;
    ollama.gpu_reserve_bytes = 457 * mib;
    ollama.gpu_reserve_metal_bytes = 512 * mib;
    ollama.reserves_one_layer = true;
    ollama.speed_basis = "llama.cpp's constants of the same backend (Ollama runs the same ggml "
                         "kernels)";

    // llamafile = llama-server of a pinned llama.cpp version in one executable.
    EngineModel& llamafile = t[4];
    llamafile.engine = FitEngine::llamafile;
    llamafile.id = "llamafile";
    llamafile.name = "llamafile";
    llamafile.gguf_physics = MemoryPhysics::ggml;
    llamafile.default_quantization = "Q4_K_M";
    llamafile.default_kv_type = "f16";
    llamafile.flash_attention_switch = true;
    llamafile.ssd_streaming = true;
    llamafile.speed_basis = "llama.cpp's constants of the same backend (its bundled llama.cpp; "
                            "upstream's newer kernels may be faster)";

    // LM Studio loads GGUF with its llama.cpp runtime and MLX artifacts with its MLX
    // runtime; `lms load --context-length` sets the context (no KV-type or flash-attention
    // switch among the verified lms flags).
    EngineModel& lms = t[5];
    lms.engine = FitEngine::lm_studio;
    lms.id = "lm-studio";
    lms.name = "LM Studio";
    lms.gguf_physics = MemoryPhysics::ggml;
    lms.format_physics = MemoryPhysics::mlx;
    lms.default_quantization = "Q4_K_M";
    lms.default_kv_type = "f16";
    lms.speed_basis = "llama.cpp's constants of the same backend, for GGUF and MLX alike";

    // TensorRT-LLM: the KV pool takes free_gpu_memory_fraction (0.9) of the memory left
    // after weights and activations (KvCacheConfig, docs/source/features/kvcache.md and
    // kvcacheconfig.md; trtllm-serve --kv_cache_free_gpu_memory_fraction default 0.9 in
    // tensorrt_llm/commands/serve.py); tokens_per_block 32 (KvCacheConfig); trtllm-serve
    // passes --max_num_tokens (documented default 8192) as the activation budget.
    EngineModel& trt = t[6];
    trt.engine = FitEngine::tensorrt_llm;
    trt.id = "tensorrt-llm";
    trt.name = "TensorRT-LLM";
    trt.format_physics = MemoryPhysics::paged_gpu;
    trt.default_quantization = "fp8";
    trt.default_kv_type = "auto";
    trt.kv_pool_fraction = 0.9;
    trt.kv_pool_of_free_memory = true;
    trt.kv_block_tokens = 32;
    trt.max_batched_tokens = 8192;
    trt.needs_cuda = true;
    trt.speed_basis = "llama.cpp's CUDA constants and vLLM's batched-decode curve (its fused "
                      "FP8 kernels are likely faster)";
    return t;
}

const std::array<EngineModel, 7>& table() {
    static const std::array<EngineModel, 7> t = make_table();
    return t;
}

} // namespace

std::span<const EngineModel> engine_models() {
    return {table().data(), table().size()};
}

const EngineModel& engine_model(FitEngine engine) {
    for (const auto& m : table()) {
        if (m.engine == engine) {
            return m;
        }
    }
    return table()[0];
}

std::string_view fit_engine_id(FitEngine engine) {
    return engine_model(engine).id;
}

std::optional<FitEngine> parse_fit_engine(std::string_view id) {
    for (const auto& m : table()) {
        if (m.id == id) {
            return m.engine;
        }
    }
    if (id == "mlx") {
        return FitEngine::mlx_lm;
    }
    if (id == "trtllm") {
        return FitEngine::tensorrt_llm;
    }
    if (id == "lmstudio") {
        return FitEngine::lm_studio;
    }
    return std::nullopt;
}

std::string modelled_engine_list() {
    std::string text;
    const auto& t = table();
    for (std::size_t i = 0; i < t.size(); ++i) {
        text += (i == 0 ? "" : i + 1 == t.size() ? " and " : ", ") + std::string(t[i].id);
    }
    return text;
}

MemoryPhysics memory_physics(FitEngine engine, bool gguf) {
    const EngineModel& m = engine_model(engine);
    if (gguf && m.gguf_physics) {
        return *m.gguf_physics;
    }
    if (!gguf && m.format_physics) {
        return *m.format_physics;
    }
    return m.gguf_physics.value_or(m.format_physics.value_or(MemoryPhysics::ggml));
}

} // namespace edgeplan
