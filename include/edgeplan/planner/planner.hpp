#pragma once

// The rules engine behind `edgeplan recommend`: from a request, a hardware profile and the
// catalogue, build candidates (model x weight format x quantization x engine x placement),
// drop those a rule forbids, evaluate the rest with the estimator (fit.hpp), score them with
// documented weights and pick one. Every decision is a RuleFiring in Plan::trace. Pure and
// deterministic: no I/O, no clock; ties are broken by model id, quantization, engine.
// Rules, weights and constants: docs/planner.md.

#include <edgeplan/core/catalog.hpp>
#include <edgeplan/core/hardware_profile.hpp>
#include <edgeplan/core/plan.hpp>
#include <edgeplan/core/request.hpp>
#include <edgeplan/core/result.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace edgeplan {

/// The plan for `request` on `profile`. Fails (ExitCode::usage, `where` = the flag) only for
/// a request the catalogue cannot mean: an unknown task, pinned model, engine or
/// quantization, or a pinned engine the estimator does not model. A request that nothing
/// satisfies is still a plan: approved = false, with the verdict and the alternatives.
Result<Plan> plan_deployment(const PlanRequest& request, const HardwareProfile& profile,
                             const Catalog& catalog);

/// The request checks plan_deployment starts with (task, pinned ids, ranges), on their own so
/// the command line can refuse a bad request before a live audit.
Status check_plan_request(const PlanRequest& request, const Catalog& catalog);

/// Weights of the total score for one --prefer value (docs/planner.md). They sum to 1.
struct ScoreWeights {
    double quality = 0;  ///< Q1: task score x quantization retention, 0..100
    double speed = 0;    ///< S1: per-stream decode against the target, 0..100
    double engine = 0;   ///< E1: how well the engine suits the platform and load, 0..100
    double headroom = 0; ///< F1: tightest device margin, 0..100 (20 % of usable or more = 100)
    double power = 0;    ///< W1: bit width against the power source, 0..100
};

/// The weights --prefer selects.
ScoreWeights score_weights(Preference prefer);

/// The planner's speed and latency targets for a task when the request gives none (S1).
struct TaskTargets {
    double tokens_per_s = 10; ///< per stream, decode (prefill for embedding)
    double ttft_ms = 2000;    ///< time to first token for the request's prompt
    const char* reason = "";  ///< why these numbers, one sentence
};

/// S1 default targets by task (chat: 10 tok/s per stream, faster than reading speed).
TaskTargets default_task_targets(std::string_view task);

/// Context per sequence when the request gives none, before clamping to the model's maximum:
/// chat 8192, code 32768, reasoning 32768, tool-use 32768, summarization 32768, vision 8192,
/// embedding 8192, speech-to-text and text-to-speech 4096.
int default_task_context(std::string_view task);

/// The tasks the planner accepts: every task a catalogue model lists, plus "agent" (an alias
/// of "tool-use"), sorted.
std::vector<std::string> plannable_tasks(const Catalog& catalog);

/// Q1: a model's quality for a task, 0..100, before quantization.
struct TaskQuality {
    double score = 0;
    bool estimated = false; ///< no published score for the task: from parameters (fallback)
    std::string basis;      ///< "MMLU-Pro 48.3 -> 51.1, IFEval 80.4 -> 80.5; mean 65.8"
};

/// Published scores for `task` normalised per benchmark to 0..100 between a floor (chance or
/// a weak baseline) and a ceiling (the frontier), then averaged; without any, the parameter
/// fallback (log-linear in effective parameters, anchored on a scored model of the same
/// family when there is one, discounted by 10 %). docs/planner.md lists the table.
TaskQuality task_quality(const Model& model, std::string_view task, const Catalog& catalog);

/// Q1: fraction of quality a quantization keeps, from its measured perplexity increase on
/// Llama-3-8B: retention = 1 - 0.08 x ppl_delta, clamped to [0.3, 1]. Formats without a
/// measurement borrow the GGUF preset docs/planner.md names for them.
struct QuantRetention {
    double retention = 1;
    std::optional<double> ppl_delta; ///< measured or borrowed; nullopt: 16/32-bit float
    int weight_bits = 16;            ///< nominal bits of the bulk of the weights
    std::string basis;               ///< "Q4_K_M: +0.1755 ppl (Llama-3-8B)"
};
QuantRetention quantization_retention(std::string_view quantization, const Catalog& catalog);

/// Q2: the largest perplexity increase (Llama-3-8B, wikitext-2) a high-fidelity task accepts.
inline constexpr double high_fidelity_max_ppl_delta = 0.5;

} // namespace edgeplan
