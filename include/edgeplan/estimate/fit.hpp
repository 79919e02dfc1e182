#pragma once

// `edgeplan fit`: one model x quantization x engine x settings on one machine. Resolves the
// request's defaults, places the bytes (memory.hpp), turns the placement into per-device
// speed inputs (speed.hpp), gives a verdict, and when the request does not fit, searches
// concrete alternatives that do. Pure: no I/O; every figure comes from the memory and speed
// models, so `fit` and their validation tests run the same code.

#include <edgeplan/core/catalog.hpp>
#include <edgeplan/core/hardware_profile.hpp>
#include <edgeplan/core/result.hpp>
#include <edgeplan/estimate/engine_model.hpp>
#include <edgeplan/estimate/memory.hpp>
#include <edgeplan/estimate/speed.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace edgeplan {

// FitEngine, fit_engine_id and parse_fit_engine live in engine_model.hpp with the table of
// what each engine is to the estimator.

/// --flash-attn: auto turns it on where the engine supports it (llama.cpp -fa auto).
enum class FlashAttentionChoice { automatic, on, off };

/// What the user asked. Empty strings and nullopt mean "the default" (see FitSettings).
struct FitRequest {
    const Model* model = nullptr;     ///< catalogue entry or --model-spec; must outlive the fit
    std::string quantization;         ///< GGUF preset or weight-format id (or alias)
    std::optional<FitEngine> engine;  ///< nullopt: llama.cpp
    std::optional<int> context_tokens; ///< per sequence; nullopt: min(model max, 8192)
    std::string kv_type;              ///< engine spelling ("q8_0", "fp8", "8"); "": default
    int concurrency = 1;              ///< sequences decoding together
    int prompt_tokens = 512;          ///< prompt length for prefill and TTFT
    /// llama.cpp -ub, which sizes the compute buffer; nullopt: the default 512. Embedding
    /// plans raise it to the context (one input per micro-batch, core/embedding_serving.hpp).
    std::optional<int> ubatch_tokens;
    FlashAttentionChoice flash_attention = FlashAttentionChoice::automatic;
};

/// The request with every default resolved and checked against the catalogue.
struct FitSettings {
    const Model* model = nullptr;
    std::string quantization;              ///< canonical preset / format id
    const GgufPreset* preset = nullptr;    ///< set for a GGUF preset (llama.cpp)
    const WeightFormat* format = nullptr;  ///< set for another weight format (vLLM, MLX)
    /// The model's GGUF file (Model::gguf_file) when llama.cpp runs it as it is: its tensors
    /// are the weights and its path the -m argument. Null when the quantization differs.
    const GgufFileWeights* file = nullptr;
    FitEngine engine = FitEngine::llama_cpp;
    int context_tokens = 0;                ///< per sequence
    std::string kv_type;                   ///< as the engine spells it
    int concurrency = 1;
    int prompt_tokens = 512;
    int ubatch_tokens = 512; ///< llama.cpp -ub: the compute buffer's micro-batch
    /// Paged engines: the smallest tensor-parallel size tried (1: the fewest GPUs that hold
    /// the model). The planner raises it when a speed target needs more GPUs per replica.
    int min_tensor_parallel = 1;
    FlashAttention flash_attention = FlashAttention::on;
    /// One line per default that was applied ("quantization: Q4_K_M (...)").
    std::vector<std::string> defaults;
};

/// Largest context `--context` accepts at all, tokens.
inline constexpr int fit_context_limit = 10'000'000;
/// Largest `--concurrency`.
inline constexpr int fit_concurrency_limit = 4096;

/// Fills the defaults and checks the request. Errors are ExitCode::usage with `where` set to
/// the flag at fault ("--quant", "--kv-type", "--context", "--engine"), so the command line
/// can add "did you mean" hints; a model whose architecture lacks the fields the estimate
/// needs fails with bad_input.
Result<FitSettings> resolve_fit_settings(const FitRequest& request, const HardwareProfile& profile,
                                         const Catalog& catalog);

/// Whether and how the model fits.
enum class FitVerdict {
    fits,              ///< everything on the GPU(s), or in RAM on a machine without one
    fits_with_offload, ///< part of the weights in system RAM (-ngl N, --n-cpu-moe N)
    does_not_fit,      ///< not in memory (SSD streaming is offered as an alternative)
};

std::string_view to_string(FitVerdict verdict);

/// A device that is short of memory, and by how much.
struct FitShortfall {
    std::string device;
    std::uint64_t needed_bytes = 0;
    std::uint64_t usable_bytes = 0;
    [[nodiscard]] std::uint64_t missing_bytes() const {
        return needed_bytes > usable_bytes ? needed_bytes - usable_bytes : 0;
    }
};

/// A figure that may be unknown; `unknown_reason` says why when `value` is absent.
struct FitFigure {
    std::optional<double> value;
    std::string unknown_reason;
};

/// Memory side of one evaluation.
struct FitMemory {
    MemoryPlan plan;                    ///< the placement shown (per device totals, layers)
    std::vector<MemoryDevice> devices;  ///< the budgets it was placed on
    std::uint64_t weight_bytes = 0;     ///< all weight tensors (the file's tensor data)
    std::uint64_t weight_parameters = 0; ///< elements of those tensors
    std::uint64_t kv_bytes = 0;         ///< KV cache + recurrent state, all sequences
    KvCacheEstimate kv;                 ///< per-layer KV (llama.cpp cell layout; others scaled)
    std::uint64_t kv_bytes_per_token = 0; ///< per token of context of one sequence
    /// Physical bytes used (unified GPU memory counted once).
    std::uint64_t total_bytes = 0;
    /// Most sequences of context_tokens the memory holds (0 when it does not fit).
    int max_sequences = 0;
    /// vLLM only: the KV blocks it would preallocate with the default utilization.
    std::optional<VllmKvPlan> vllm;
    /// Paged engines (vLLM, TensorRT-LLM): the tensor-parallel size chosen, the fewest GPUs
    /// (a power of two dividing the heads) that hold weights + KV; 0 for other engines.
    int tensor_parallel = 0;
    /// Paged engines: the GPUs the engine could use; those beyond tensor_parallel stay free.
    int gpus_available = 0;
    /// Command line that realises the placement, flags as the engine spells them.
    std::vector<std::string> command;
};

/// One row of the concurrency table.
struct FitConcurrencyRow {
    int streams = 0;
    double aggregate_tokens_per_s = 0;
    double per_stream_tokens_per_s = 0;
    double tpot_s = 0;
    bool compute_bound = false;
};

/// Speed side of one evaluation. Absent figures carry the reason.
struct FitSpeed {
    std::vector<DeviceShare> devices; ///< the per-device inputs of the speed model
    double short_context_tokens = 0;
    double full_context_tokens = 0;
    FitFigure decode_short_tokens_per_s; ///< single stream, at short_context_tokens
    FitFigure decode_full_tokens_per_s;  ///< single stream, at the full context
    FitFigure prefill_tokens_per_s;
    FitFigure ttft_s;
    /// Seconds per token spent reading weights streamed from disk (SSD streaming only).
    double disk_s = 0;
    std::vector<FitConcurrencyRow> concurrency; ///< empty when decode is unknown
    std::optional<int> knee_streams;
    std::string concurrency_note; ///< e.g. why the knee is unknown
};

/// One complete evaluation of settings on a machine.
struct FitEvaluation {
    FitSettings settings;
    FitVerdict verdict = FitVerdict::does_not_fit;
    std::vector<FitShortfall> shortfall; ///< devices short of memory (does_not_fit)
    FitMemory memory;
    FitSpeed speed;
    std::vector<std::string> notes;
};

/// Evaluates resolved settings.
Result<FitEvaluation> evaluate_fit(const FitSettings& settings, const HardwareProfile& profile,
                                   const Catalog& catalog);

/// A concrete change that fits.
struct FitAlternative {
    std::string kind;   ///< "quantization", "context", "kv-cache", "engine", "model", "ssd-streaming"
    std::string change; ///< what differs, in words ("Q3_K_M", "context 4096")
    FitEvaluation evaluation;
};

/// The request's evaluation and, when it does not fit, alternatives that do.
struct FitReport {
    FitEvaluation result;
    std::vector<FitAlternative> alternatives;
};

/// resolve + evaluate + (when it does not fit) the alternatives, best first per kind.
Result<FitReport> fit_model(const FitRequest& request, const HardwareProfile& profile,
                            const Catalog& catalog);

} // namespace edgeplan
