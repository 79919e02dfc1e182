// Speculative decoding (Leviathan et al. 2023, arXiv 2211.17192): a draft proposes g
// tokens, the target verifies them in one pass and keeps the accepted prefix plus one.
// The verify pass is priced by the batched model rather than assumed equal to a decode
// step, which states the rule of estimation-facts.md 4.4: gains shrink for MoE (g+1 tokens
// route to more experts, so the verify pass reads more weights) and at high concurrency
// (the batch is already near the compute knee, so g+1 tokens per stream cost ~g+1 times).
#include <edgeplan/estimate/speed.hpp>

#include <algorithm>
#include <cmath>

namespace edgeplan {

double moe_expert_coverage(int experts, int top_k, double tokens) {
    if (experts <= 0 || top_k <= 0 || tokens <= 0) {
        return 0;
    }
    const double p = std::min(1.0, static_cast<double>(top_k) / experts);
    return 1.0 - std::pow(1.0 - p, tokens);
}

Result<SpeculativeEstimate> estimate_speculative(const SpeculativeInputs& inputs) {
    if (!(inputs.acceptance >= 0 && inputs.acceptance < 1)) {
        return make_error(ExitCode::internal, "speculative", "acceptance must be in [0, 1)");
    }
    if (inputs.draft_tokens < 1 || !(inputs.target_step_s > 0) || !(inputs.draft_step_s >= 0) ||
        !(inputs.target_verify_s > 0)) {
        return make_error(ExitCode::internal, "speculative",
                          "draft length and step times must be positive");
    }
    const double a = inputs.acceptance;
    const double g = inputs.draft_tokens;
    SpeculativeEstimate estimate;
    estimate.tokens_per_target_pass = (1.0 - std::pow(a, g + 1)) / (1.0 - a);
    estimate.cost_ratio = inputs.draft_step_s / inputs.target_step_s;
    // Time for one round: g draft steps + one verify pass; baseline: one target step per
    // token. With verify == step this is the paper's E / (g c + 1).
    const double round_s = g * inputs.draft_step_s + inputs.target_verify_s;
    estimate.speedup = estimate.tokens_per_target_pass * inputs.target_step_s / round_s;
    return estimate;
}

} // namespace edgeplan
