#pragma once

// The engines `fit` and the planner model, and what each one is to the estimator: which
// memory physics places its bytes (llama.cpp's ggml runner, a paged GPU KV pool, MLX),
// its own defaults (context, KV type, pool fraction, GPU reserve) and which published
// calibration its speeds borrow. One table (engine_model.cpp) instead of a branch per
// engine in every step: the steps ask the table. Facts and sources: docs/estimation.md
// ("Engines").

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace edgeplan {

/// The inference engines whose allocation rules `fit` models.
enum class FitEngine { llama_cpp, vllm, mlx_lm, ollama, llamafile, lm_studio, tensorrt_llm };

/// How an engine lays its bytes out (the memory model the estimator applies).
enum class MemoryPhysics {
    ggml,      ///< llama.cpp's runner: -ngl layer offload, MoE experts in RAM, mmap
    paged_gpu, ///< everything on the GPU, KV in a preallocated pool of fixed-size blocks
    mlx,       ///< MLX on Apple unified memory
};

/// What the estimator knows about one engine. Text fields are shown in reports and docs.
struct EngineModel {
    FitEngine engine = FitEngine::llama_cpp;
    std::string_view id;   ///< catalogue id ("ollama")
    std::string_view name; ///< for messages ("Ollama")
    /// Physics for GGUF presets; nullopt when the engine does not load GGUF.
    std::optional<MemoryPhysics> gguf_physics;
    /// Physics for other weight formats; nullopt when it loads only GGUF.
    std::optional<MemoryPhysics> format_physics;
    std::string_view default_quantization; ///< when the model lists no artifact it runs
    std::string_view default_kv_type;      ///< engine spelling ("f16", "auto")
    /// The engine's own default context per sequence; nullopt: fit's min(model max, 8192).
    std::optional<int> default_context_tokens;
    /// Has a flash-attention switch `--flash-attn` maps to (llama.cpp -fa, Ollama's env).
    bool flash_attention_switch = false;
    /// Default flash attention when not asked: true = on where the backend has kernels.
    bool flash_attention_default = true;
    /// Paged pool: fraction of GPU memory (vLLM, of the total) or of the memory left after
    /// weights and activations (TensorRT-LLM) that the KV pool takes by default.
    double kv_pool_fraction = 0;
    bool kv_pool_of_free_memory = false;
    int kv_block_tokens = 0;             ///< paged pool block size, tokens
    int max_batched_tokens = 0;          ///< paged engines: tokens per forward (activations)
    bool needs_cuda = false;             ///< GPU-only engine on NVIDIA CUDA (TensorRT-LLM)
    bool needs_rocm_or_cuda = false;     ///< GPU-only on a discrete CUDA or ROCm GPU (vLLM)
    /// Extra VRAM the engine's own placement keeps free on each GPU it uses, bytes
    /// (Ollama's MinimumMemory: CUDA/ROCm and Metal values); see also reserves_one_layer.
    std::uint64_t gpu_reserve_bytes = 0;
    std::uint64_t gpu_reserve_metal_bytes = 0;
    /// Ollama's estimator holds one more block (weights + its KV) free on every GPU.
    bool reserves_one_layer = false;
    /// Can stream weights from disk through mmap (llama.cpp, llamafile).
    bool ssd_streaming = false;
    /// Which measured engine's constants its speed model uses, in words.
    std::string_view speed_basis;
};

/// The table entry of an engine.
const EngineModel& engine_model(FitEngine engine);
/// Every modelled engine, in a stable order (llama.cpp first).
std::span<const EngineModel> engine_models();

/// Catalogue id of an engine: "llama.cpp", "vllm", "mlx-lm", "ollama"...
std::string_view fit_engine_id(FitEngine engine);
/// The engine an id (or "mlx", "trtllm", "lmstudio") names; nullopt when not modelled.
std::optional<FitEngine> parse_fit_engine(std::string_view id);

/// "llama.cpp, vllm, mlx-lm, ollama, llamafile, lm-studio and tensorrt-llm", for messages.
std::string modelled_engine_list();

/// The physics a run of `engine` uses for GGUF (`gguf` true) or another weight format.
/// Falls back to the engine's only physics when it loads just one kind.
MemoryPhysics memory_physics(FitEngine engine, bool gguf);

} // namespace edgeplan
