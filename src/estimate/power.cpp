// Sustained speed and energy per token. A device that cannot hold its peak clocks (passive
// cooling, a small power budget) settles at sustained_fraction of its peak throughput; the
// energy of a token is the power drawn over the time it takes.
#include <edgeplan/estimate/speed.hpp>

namespace edgeplan {

namespace {

// Assumed sustained fractions when the profile gives none. Passive (fanless phones,
// tablets, MacBook Air): 0.6, the middle of the 50-70% long-run throttling reported for
// phone SoCs in sustained benchmark loops; an assumption, flagged in the result. Actively
// cooled devices: 1.0 (they are specified to hold their TDP).
constexpr double passive_sustained_fraction = 0.6;
constexpr double active_sustained_fraction = 1.0;

} // namespace

Result<PowerEstimate> estimate_power(const PowerInputs& inputs) {
    if (!(inputs.peak_tokens_per_s > 0)) {
        return make_error(ExitCode::internal, "power", "peak tokens/s must be positive");
    }
    if (inputs.sustained_fraction &&
        !(*inputs.sustained_fraction > 0 && *inputs.sustained_fraction <= 1)) {
        return make_error(ExitCode::internal, "power", "sustained_fraction must be in (0, 1]");
    }
    PowerEstimate estimate;
    if (inputs.sustained_fraction) {
        estimate.sustained_fraction = *inputs.sustained_fraction;
    } else {
        estimate.sustained_fraction = inputs.cooling == Cooling::passive
                                          ? passive_sustained_fraction
                                          : active_sustained_fraction;
        estimate.sustained_fraction_assumed = true;
    }
    estimate.sustained_tokens_per_s = inputs.peak_tokens_per_s * estimate.sustained_fraction;
    if (inputs.tdp_watts && *inputs.tdp_watts > 0) {
        // TDP as the draw: memory-bound decode rarely reaches it, so J/token is an upper
        // bound. Throttled, the device runs at its budget but slower: more J per token.
        estimate.joules_per_token_peak = *inputs.tdp_watts / inputs.peak_tokens_per_s;
        estimate.joules_per_token_sustained = *inputs.tdp_watts / estimate.sustained_tokens_per_s;
    }
    return estimate;
}

} // namespace edgeplan
