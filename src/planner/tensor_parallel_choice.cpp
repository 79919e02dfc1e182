// Tensor-parallel size for speed targets. The estimator shards a paged engine over the
// fewest GPUs that hold the model (one GPU per replica is the most aggregate throughput);
// a larger size lowers TPOT and TTFT on a fast link because every GPU reads a smaller
// slice at the same time (docs/estimation.md, "Tensor-parallel size"). When the user's
// --min-tps or --max-ttft-ms is missed and GPUs are left, the larger sizes are tried.
#include "select_internal.hpp"

#include <edgeplan/estimate/fit.hpp>

#include <string>

namespace edgeplan::planner_detail {

namespace {

// Per-stream decode at the requested concurrency (the table row for it), else single-stream.
std::optional<double> per_stream_rate(const FitEvaluation& e, int concurrency) {
    for (const auto& row : e.speed.concurrency) {
        if (row.streams == concurrency) {
            return row.per_stream_tokens_per_s;
        }
    }
    return concurrency <= 1 ? e.speed.decode_short_tokens_per_s.value : std::nullopt;
}

// Whether the estimate misses a target the user set (defaults do not force more GPUs).
bool misses_user_targets(const FitEvaluation& e, const PlanRequest& request) {
    const Targets t = targets_for(request);
    if (t.tokens_from_user) {
        const auto rate = per_stream_rate(e, request.concurrency);
        if (!rate || *rate < t.tokens_per_s) {
            return true;
        }
    }
    if (t.ttft_from_user) {
        const auto& ttft = e.speed.ttft_s.value;
        if (!ttft || *ttft * 1000.0 > t.ttft_ms) {
            return true;
        }
    }
    return false;
}

} // namespace

FitEvaluation faster_tensor_parallel(FitEvaluation chosen, const PlanRequest& request,
                                     const HardwareProfile& profile, const Catalog& catalog) {
    const int smallest = chosen.memory.tensor_parallel;
    if (smallest < 1 || chosen.verdict == FitVerdict::does_not_fit ||
        !misses_user_targets(chosen, request)) {
        return chosen;
    }
    FitSettings settings = chosen.settings;
    for (int tp = smallest * 2; tp <= chosen.memory.gpus_available; tp *= 2) {
        settings.min_tensor_parallel = tp;
        auto larger = evaluate_fit(settings, profile, catalog);
        if (!larger || larger->verdict == FitVerdict::does_not_fit ||
            larger->memory.tensor_parallel != tp) {
            continue; // heads do not divide by tp, or it does not fit
        }
        if (!misses_user_targets(*larger, request)) {
            larger->notes.push_back("tensor parallel " + std::to_string(tp) + " instead of " +
                                    std::to_string(smallest) +
                                    " (the fewest GPUs that hold the model): the smaller size "
                                    "misses the speed target");
            return std::move(*larger);
        }
    }
    return chosen;
}

} // namespace edgeplan::planner_detail
