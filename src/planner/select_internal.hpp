#pragma once

// Internal to the planner's selection: the facts about a platform the rules read, one
// option (model x engine x quantization) before and after evaluation, and the trace
// helper. The public API is edgeplan/planner/planner.hpp.

#include <edgeplan/core/catalog.hpp>
#include <edgeplan/core/hardware_profile.hpp>
#include <edgeplan/core/plan.hpp>
#include <edgeplan/core/request.hpp>
#include <edgeplan/estimate/fit.hpp>
#include <edgeplan/planner/planner.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace edgeplan::planner_detail {

enum class PlatformKind { apple_silicon, nvidia, amd_gpu, other_gpu, cpu_only };

/// What the rules need to know about the hardware, read once from the profile.
struct PlatformFacts {
    PlatformKind kind = PlatformKind::cpu_only;
    std::string backend = "cpu"; ///< llama.cpp backend: "metal", "cuda", "rocm", "vulkan", "cpu"
    std::string os;              ///< engine platform name: "linux", "macos", "windows"...
    bool unified_memory = false; ///< GPU shares system RAM (Apple, GB10, Strix Halo, Jetson)
    bool vllm_gpu = false;       ///< a discrete CUDA/ROCm GPU with known memory
    /// First budgeted CUDA GPU's compute capability (8.9 Ada, 9.0 Hopper, 10.0 Blackwell).
    std::optional<double> cuda_compute_capability;
    std::vector<std::string> gpus_unknown_vram; ///< GPUs the estimator cannot place bytes on
    std::uint64_t total_memory_bytes = 0;       ///< known VRAM + RAM (unified counted once)
    /// What the estimator may fill: usable VRAM + usable RAM (after reserves and margins).
    std::uint64_t usable_memory_bytes = 0;
    bool battery = false;    ///< W1: planning for battery power
    std::string power_basis; ///< why battery / AC
    bool passive_cooling = false;
    std::optional<double> sustained_fraction; ///< profile's sustained / peak
    std::optional<std::string> hot_zone;      ///< "x86_pkg_temp at 91 C, trip 100 C"
    int performance_cores = 0;                ///< for the battery thread cap
    std::string isa_path; ///< CPU path llama.cpp takes: "AVX-512", "AVX2", "NEON+dotprod"...
    /// Fastest memory's peak bandwidth, GB/s (0: unknown): bounds decode for pruning.
    double peak_bandwidth_gbps = 0;
    const Catalog* catalog = nullptr;
};

PlatformFacts platform_facts(const PlanRequest& request, const HardwareProfile& profile,
                             const Catalog& catalog);

/// One model x engine x quantization the rules let through to the estimator.
struct Option {
    const Model* model = nullptr;
    const Engine* engine = nullptr; ///< the catalogue entry of fit_engine
    FitEngine fit_engine = FitEngine::llama_cpp;
    std::string quantization;           ///< canonical id
    std::string weights_format;         ///< "gguf", "mlx", "safetensors", "awq", "gptq"
    const Artifact* artifact = nullptr; ///< a published artifact in that format, if any
    bool artifact_has_quant = false;    ///< the artifact lists this quantization
    int context_tokens = 0;
    double quality = 0; ///< Q1: task score x retention
    std::string quality_basis;
    bool quality_estimated = false;
    QuantRetention retention;
    /// NPU route (E1-npu): the compiled artifact; nullptr on the GPU/CPU routes.
    const Artifact* npu_artifact = nullptr;
};

/// An option after evaluation: the candidate as the report shows it plus the score parts.
struct Scored {
    Option option;
    Candidate candidate;
    FitEvaluation evaluation;
    double per_stream_tokens_per_s = 0; ///< what S1 compares (sustained when W1 says so)
    bool speed_known = false;
    double speed_score = 0;
    double engine_score = 0;
    double headroom_score = 0;
    double power_score = 0;
    std::string engine_reason;
    bool meets_user_targets = true;  ///< --min-tps / --max-ttft-ms, when given
    std::vector<std::string> misses; ///< S1 texts for the targets it misses
};

/// Whether the option runs on a paged GPU KV pool (vLLM, TensorRT-LLM).
inline bool uses_paged_kv(const Option& option) {
    return memory_physics(option.fit_engine, option.weights_format == "gguf") ==
           MemoryPhysics::paged_gpu;
}

/// Appends one rule firing.
void fire(Plan& plan, std::string rule, std::string outcome, std::string subject,
          std::string detail);

/// Nominal bits per weight of a quantization, for pruning and W1 (GGUF: the reference-model
/// figure; other formats: bits_per_weight). nullopt when the catalogue has none.
std::optional<double> quantization_bits(const std::string& quantization, const Catalog& catalog);

/// Effective parameter count for quality fallbacks and pruning (MoE: sqrt(total x active)).
std::optional<double> effective_parameters(const Model& model);

/// The options the request allows, with the filters' firings in the trace. Options whose
/// weights alone exceed the usable memory go to `oversized` (P4 searches alternatives from
/// them when nothing else fits).
std::vector<Option> enumerate_options(const PlanRequest& request, const PlatformFacts& facts,
                                      const HardwareProfile& profile, const Catalog& catalog,
                                      Plan& plan, std::vector<Option>& oversized);

/// Evaluates an option with the estimator (M1 KV quantization retried when memory is tight or
/// the context long). nullopt with `why` when the estimator cannot model it.
struct Evaluated {
    std::optional<Scored> scored;     ///< fits with headroom on every device
    std::optional<FitRequest> failed; ///< did not fit: the request to search alternatives for
    std::string why;                  ///< F1 / P2 reason when it is not a candidate
};
Evaluated evaluate_option(const Option& option, const PlanRequest& request,
                          const PlatformFacts& facts, const HardwareProfile& profile,
                          const Catalog& catalog);

/// Paged engines: when the fewest GPUs that hold the model miss the user's --min-tps or
/// --max-ttft-ms and more GPUs are free, the first larger tensor-parallel size whose
/// estimate meets them (each GPU reads a smaller slice); else `chosen` unchanged.
FitEvaluation faster_tensor_parallel(FitEvaluation chosen, const PlanRequest& request,
                                     const HardwareProfile& profile, const Catalog& catalog);

/// The candidate for a FitEvaluation of `option` (memory, speed, load, settings).
Candidate candidate_from(const Option& option, const FitEvaluation& evaluation,
                         const PlanRequest& request, const PlatformFacts& facts,
                         const HardwareProfile& profile, const Catalog& catalog);

/// E1 points of an option (and why it is below 100 when `reason` is given).
double engine_points(const Option& option, const PlanRequest& request, const PlatformFacts& facts,
                     std::string* reason);
/// W1 points of an option.
double power_points(const Option& option, const PlatformFacts& facts);
/// The highest score an option can reach (speed and headroom at 100): options are evaluated
/// in this order and skipped once the bound is below the score they would have to beat.
double score_upper_bound(const Option& option, const PlanRequest& request,
                         const PlatformFacts& facts);

/// E1-npu: NPU runtime candidates (vendor artifacts compiled for this machine's NPU), scored;
/// the trace says which artifacts were evaluated or rejected and why. npu_route.cpp.
std::vector<Scored> npu_candidates(const PlanRequest& request, const PlatformFacts& facts,
                                   const HardwareProfile& profile, const Catalog& catalog,
                                   Plan& plan);
/// Whether some catalogue artifact is compiled for `engine_id` (an NPU runtime the planner
/// can evaluate and --engine can pin).
bool npu_runtime_has_artifacts(const Catalog& catalog, const std::string& engine_id);
/// W1/E1-npu after scoring: on battery the GPU/CPU routes' power points are scaled by the
/// measured decode power of an NPU relative to them (when an NPU route fits), and the trace
/// says why the best NPU route won or lost.
void settle_npu_routes(std::vector<Scored>& scored, const PlanRequest& request,
                       const PlatformFacts& facts, Plan& plan);

/// M1/W1 for a chosen NPU route: the compiled graph fixes KV, kernels and batch, so the
/// trace says so instead of applying engine flags.
void npu_features(Scored& chosen, const PlanRequest& request, const PlatformFacts& facts,
                  Plan& plan);

/// S1/E1/F1/W1 parts and the total score.
void score(Scored& s, const PlanRequest& request, const PlatformFacts& facts);

/// Why `loser` ranks below `winner`: rule ids with the numbers.
std::vector<std::string> lost_because(const Scored& loser, const Scored& winner,
                                      const PlanRequest& request);

/// M1 and W1 settings for the chosen candidate (prefix caching, chunked prefill, sliding
/// window, speculative decoding, battery caps, telemetry switch), with their firings.
void apply_features(Scored& chosen, const PlanRequest& request, const PlatformFacts& facts,
                    const HardwareProfile& profile, const Catalog& catalog, Plan& plan);

/// The S1 targets in force: the request's, else the task's defaults.
struct Targets {
    double tokens_per_s = 10;
    double ttft_ms = 2000;
    bool tokens_from_user = false;
    bool ttft_from_user = false;
};
Targets targets_for(const PlanRequest& request);

/// "full GPU", "partial offload 28/33 layers", "CPU only"...
std::string placement_text(const FitEvaluation& evaluation);

} // namespace edgeplan::planner_detail
