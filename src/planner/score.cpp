// Scoring: S1 speed against the targets, E1 engine suitability, F1 headroom, W1 power; the
// weighted total (score_weights) and why a runner-up lost. docs/planner.md ("Scoring").
#include "section_text.hpp"
#include "select_internal.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace edgeplan::planner_detail {

namespace {

/// F1: a margin of this fraction of usable memory (or more) earns the full headroom score (the
/// risk register calls a margin under 20 % a medium out-of-memory risk).
constexpr double full_headroom_fraction = 0.20;
/// S1: a figure the estimator cannot give scores below a met target: 40 points up to 5 GB of
/// weights streamed per token (an 8B model at 4-5 bits), less in proportion above, since
/// decode time grows with the bytes read on any memory.
constexpr double unknown_speed_score = 40.0;
constexpr double unknown_speed_reference_bytes = 5e9;

double tightest(const Candidate& c) {
    double t = 1.0;
    for (const auto& d : c.memory) {
        if (d.device == "disk" || d.usable_bytes == 0) {
            continue;
        }
        t = std::min(t, static_cast<double>(d.margin_bytes) / static_cast<double>(d.usable_bytes));
    }
    return t;
}

/// S1: 80 points for reaching the target (linear below it), up to 20 more for headroom above
/// it, saturating at 8x (log2 / 3): past "fast enough", speed buys little.
double speed_points(double ratio) {
    return 80.0 * std::min(ratio, 1.0) +
           20.0 * std::min(1.0, std::log2(std::max(ratio, 1.0)) / 3.0);
}

/// What S1 compares, in the task's own terms: Whisper's rate is transcript tokens with the
/// encoder included and its "TTFT" is the first transcript token after one 30 s window; an
/// embedder's rate is its prefill (input tokens embedded) and its "TTFT" the time to embed one
/// request. An LLM keeps decode and TTFT.
struct SpeedWords {
    std::string rate;    ///< "transcript", "embedding", "" (decode)
    std::string latency; ///< "first transcript token", "embedding one 512-token input", "TTFT"
    std::string unknown_rate; ///< the unknown-rate miss: "decode speed unknown"...
};

SpeedWords speed_words(const Candidate& c, const PlanRequest& request) {
    if (c.speed.transcript_tokens_per_s || request.task == "speech-to-text") {
        return {"transcript ", "first transcript token (one 30 s window encoded) after",
                "transcript rate unknown"};
    }
    if (request.task == "embedding") {
        return {"embedding ",
                "embedding one " + std::to_string(request.prompt_tokens) + "-token input takes",
                "embedding (prefill) speed unknown"};
    }
    return {"", "TTFT", "decode speed unknown"};
}

bool plans_sustained(const PlatformFacts& f) {
    return f.passive_cooling || f.sustained_fraction.has_value() || f.hot_zone.has_value();
}

} // namespace

double engine_points(const Option& option, const PlanRequest& request, const PlatformFacts& facts,
                     std::string* reason) {
    // E1: platform and load; stable engines before beta/experimental ones.
    double points = 100;
    std::string why;
    if (facts.kind == PlatformKind::nvidia && request.concurrency >= 4 &&
        option.fit_engine == FitEngine::llama_cpp) {
        points = 60;
        why = "concurrency " + std::to_string(request.concurrency) +
              " >= 4 favours vLLM's paged continuous batching";
    }
    const std::string& maturity = option.engine->maturity;
    if (maturity == "beta") {
        points -= 10;
        why += std::string(why.empty() ? "" : "; ") + "engine is beta";
    } else if (maturity == "experimental") {
        points -= 25;
        why += std::string(why.empty() ? "" : "; ") + "engine is experimental";
    }
    if (reason != nullptr) {
        *reason = why;
    }
    return points;
}

double power_points(const Option& option, const PlatformFacts& facts) {
    // W1: on battery 4- and 8-bit weights (the integer kernels every backend optimises).
    const int bits = option.retention.weight_bits;
    return !facts.battery             ? 100
           : (bits == 4 || bits == 8) ? 100
           : (bits == 5 || bits == 6) ? 60
           : bits < 4                 ? 50
                                      : 0;
}

double score_upper_bound(const Option& option, const PlanRequest& request,
                         const PlatformFacts& facts) {
    const ScoreWeights w = score_weights(request.prefer);
    // S1 bound: decode cannot beat streaming the active weights once per token at the
    // fastest memory's peak bandwidth; 1.25x covers preset bits that differ per model.
    double speed_bound = 100.0;
    const auto bits = quantization_bits(option.quantization, *facts.catalog);
    const auto active = option.model->parameters_active ? option.model->parameters_active
                                                        : option.model->parameters_total;
    if (request.task != "embedding" && facts.peak_bandwidth_gbps > 0 && bits && active) {
        const double bytes = static_cast<double>(*active) * *bits / 8.0;
        const double max_rate = 1.25 * facts.peak_bandwidth_gbps * 1e9 / bytes;
        speed_bound = std::max(unknown_speed_score,
                               speed_points(max_rate / targets_for(request).tokens_per_s));
    }
    return w.quality * option.quality + w.speed * speed_bound +
           w.engine * engine_points(option, request, facts, nullptr) + w.headroom * 100.0 +
           w.power * power_points(option, facts);
}

void score(Scored& s, const PlanRequest& request, const PlatformFacts& facts) {
    Candidate& c = s.candidate;
    const Targets t = targets_for(request);
    const bool embedding = request.task == "embedding";

    // S1: the per-stream rate at the requested concurrency (sustained when W1 says so).
    std::optional<double> rate;
    if (embedding) {
        rate = c.speed.prefill_tokens_per_s;
    } else if (request.concurrency > 1) {
        for (const auto& lp : c.load) {
            if (lp.streams == request.concurrency) {
                rate = lp.per_stream_tokens_per_s;
            }
        }
    } else {
        rate = c.speed.decode_tokens_per_s_short;
    }
    if (c.speed.transcript_tokens_per_s) {
        // Speech: the encoder's time counts as well; whisper-server transcribes one request at
        // a time (a mutex around whisper_full), so N streams share the rate.
        rate = *c.speed.transcript_tokens_per_s / std::max(1, request.concurrency);
    }
    if (c.speed.audio_speed_multiple) {
        // Text-to-speech: seconds of audio per second (tts_route.cpp); streams share the CPU.
        rate = *c.speed.audio_speed_multiple / std::max(1, request.concurrency);
    }
    if (rate && !embedding && plans_sustained(facts) && c.speed.sustained_tokens_per_s &&
        c.speed.decode_tokens_per_s_short && *c.speed.decode_tokens_per_s_short > 0) {
        *rate *= *c.speed.sustained_tokens_per_s / *c.speed.decode_tokens_per_s_short;
    }
    s.speed_known = rate.has_value();
    const SpeedWords words = speed_words(c, request);
    s.misses.clear();
    s.meets_user_targets = true;
    if (rate) {
        s.per_stream_tokens_per_s = *rate;
        s.speed_score = speed_points(*rate / t.tokens_per_s);
        if (*rate < t.tokens_per_s && t.tokens_from_user) {
            s.meets_user_targets = false;
            s.misses.push_back("S1: " + words.rate + rate_text(*rate) +
                               (embedding ? "" : " per stream") + " < --min-tps " +
                               number_text(t.tokens_per_s));
        }
    } else {
        const auto bits = quantization_bits(s.option.quantization, *facts.catalog);
        const auto active = s.option.model->parameters_active ? s.option.model->parameters_active
                                                              : s.option.model->parameters_total;
        const double bytes = bits && active ? static_cast<double>(*active) * *bits / 8.0 : 0.0;
        s.speed_score = unknown_speed_score *
                        (bytes > 0 ? std::min(1.0, unknown_speed_reference_bytes / bytes) : 1.0);
        if (t.tokens_from_user) {
            s.meets_user_targets = false;
            s.misses.push_back("S1: " + words.unknown_rate + ", --min-tps cannot be confirmed");
        }
    }
    // Text-to-speech has no prompt: its first-response time is the first sentence of audio.
    const std::optional<double> first =
        c.speed.first_audio_ms ? c.speed.first_audio_ms : c.speed.ttft_ms;
    const std::string first_name = c.speed.first_audio_ms ? "first audio" : "TTFT";
    if (first) {
        if (*first > t.ttft_ms) {
            s.speed_score *= 0.5 + 0.5 * t.ttft_ms / *first;
            if (t.ttft_from_user) {
                s.meets_user_targets = false;
                s.misses.push_back("S1: " + (c.speed.first_audio_ms ? first_name : words.latency) +
                                   " " + ms_text(*first) +
                                   " > --max-ttft-ms " + number_text(t.ttft_ms));
            }
        }
    } else if (t.ttft_from_user) {
        s.meets_user_targets = false;
        s.misses.push_back("S1: " + (c.speed.first_audio_ms ? first_name : words.latency) +
                           " unknown, --max-ttft-ms cannot be confirmed");
    }

    s.engine_score = engine_points(s.option, request, facts, &s.engine_reason);

    // F1: headroom on the tightest device.
    s.headroom_score = 100.0 * std::clamp(tightest(c) / full_headroom_fraction, 0.0, 1.0);

    s.power_score = power_points(s.option, facts);

    const ScoreWeights w = score_weights(request.prefer);
    c.score = w.quality * s.option.quality + w.speed * s.speed_score + w.engine * s.engine_score +
              w.headroom * s.headroom_score + w.power * s.power_score;
}

std::vector<std::string> lost_because(const Scored& loser, const Scored& winner,
                                      const PlanRequest& request) {
    std::vector<std::string> why;
    const Targets t = targets_for(request);
    why.insert(why.end(), loser.misses.begin(), loser.misses.end());
    why.push_back("R1: score " + number_text(loser.candidate.score) + " vs " +
                  number_text(winner.candidate.score));
    if (loser.candidate.score == winner.candidate.score && loser.speed_known &&
        winner.speed_known && loser.per_stream_tokens_per_s < winner.per_stream_tokens_per_s) {
        why.push_back("R1: equal score, the faster ranks first (" +
                      rate_text(loser.per_stream_tokens_per_s) + " vs " +
                      rate_text(winner.per_stream_tokens_per_s) + ")");
    }
    if (loser.option.quality + 0.05 < winner.option.quality) {
        why.push_back("Q1: quality " + number_text(loser.option.quality) + " vs " +
                      number_text(winner.option.quality));
    }
    const auto tts_rate = [](const Scored& s) {
        return number_text(s.candidate.speed.audio_speed_multiple.value_or(0)) + "x";
    };
    if (loser.speed_score + 0.05 < winner.speed_score &&
        loser.candidate.speed.audio_speed_multiple && winner.candidate.speed.audio_speed_multiple) {
        why.push_back("S1: " + tts_rate(loser) + " vs " + tts_rate(winner) + " real time (target " +
                      number_text(t.tokens_per_s) + "x)");
    } else if (loser.speed_score + 0.05 < winner.speed_score) {
        why.push_back(
            "S1: " + speed_words(loser.candidate, request).rate +
            (loser.speed_known ? rate_text(loser.per_stream_tokens_per_s) : "unknown") + " vs " +
            (winner.speed_known ? rate_text(winner.per_stream_tokens_per_s) : "unknown") +
            (request.task == "embedding" ? "" : " per stream") + " (target " +
            number_text(t.tokens_per_s) + ")");
    }
    if (loser.engine_score + 0.05 < winner.engine_score) {
        why.push_back("E1: " + loser.option.engine->id + " " + number_text(loser.engine_score) +
                      " vs " + number_text(winner.engine_score) +
                      (loser.engine_reason.empty() ? "" : " (" + loser.engine_reason + ")"));
    }
    if (loser.headroom_score + 0.05 < winner.headroom_score) {
        why.push_back("F1: tightest margin " + percent_text(tightest(loser.candidate)) + " vs " +
                      percent_text(tightest(winner.candidate)));
    }
    if (loser.power_score + 0.05 < winner.power_score) {
        why.push_back(winner.option.npu_artifact != nullptr && loser.option.npu_artifact == nullptr
                          ? "W1: power " + number_text(loser.power_score) + " vs " +
                                number_text(winner.power_score) +
                                " (the NPU route draws less on battery, E1-npu)"
                          : "W1: " + std::to_string(loser.option.retention.weight_bits) +
                                "-bit weights on battery");
    }
    return why;
}

} // namespace edgeplan::planner_detail
