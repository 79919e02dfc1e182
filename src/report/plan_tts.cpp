// Text-to-speech figures in the plan report (sherpa-onnx). S1 compares the speed multiple
// (seconds of audio per second, 1 / real-time factor) with the real-time target; every
// table shows that figure. Formulas: docs/estimation.md, "Text-to-speech on sherpa-onnx".

#include "plan_tts.hpp"

#include "format.hpp"
#include "plan_format.hpp"
#include "plan_sections.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace edgeplan::report_detail {

namespace {

int streams(const Plan& plan) {
    return std::max(1, plan.request.concurrency);
}

std::string seconds(double s) {
    return s < 1.0 ? fmt::format("{:.2f} s", s) : fmt::format("{:.1f} s", s);
}

std::string multiple(double x) {
    return x < 10 ? fmt::format("{:.2f}x", x) : fmt::format("{:.1f}x", x);
}

} // namespace

bool is_tts(const Candidate& c) {
    return c.engine_id == "sherpa-onnx";
}

std::vector<Justification> tts_justification(const Plan& plan, const Candidate& c) {
    const auto& sp = c.speed;
    const int n = streams(plan);
    if (!sp.audio_speed_multiple) {
        return {{"Synthesis", "real-time factor " + unknown_because(sp.unknown_reason) +
                                  "; real time is required, so the plan is not approved"},
                {"First audio", "unknown"}};
    }
    std::string synthesis = fmt::format(
        "{} real time (real-time factor {:.3f}): {} of compute per minute of audio on {} "
        "CPU thread{}",
        multiple(*sp.audio_speed_multiple), sp.real_time_factor.value_or(0),
        seconds(sp.seconds_per_audio_minute.value_or(0)), c.settings.threads,
        c.settings.threads == 1 ? "" : "s");
    if (n > 1) {
        synthesis += fmt::format("; {} per stream with {} concurrent (they share the CPU)",
                                 multiple(*sp.audio_speed_multiple / n), n);
    }
    const bool keeps_up = *sp.audio_speed_multiple / n >= 1.0;
    synthesis += std::string("; target: at least 2x real time (real-time factor <= 0.5), ") +
                 (*sp.audio_speed_multiple / n >= 2.0 ? "met"
                  : keeps_up                          ? "real time kept but without headroom"
                                                      : "MISSED: slower than real time");
    synthesis += "; --min-tps does not apply (no tokens are generated)";
    std::string first = "unknown";
    if (sp.first_audio_ms && sp.first_sentence_audio_s) {
        first = fmt::format("{} for the first sentence (~{:.0f} s of audio, 15 words); the "
                            "rest follows sentence by sentence while it plays",
                            millis(*sp.first_audio_ms), *sp.first_sentence_audio_s);
        const double target = plan.request.max_ttft_ms.value_or(1000);
        const bool met = *sp.first_audio_ms <= target;
        first += plan.request.max_ttft_ms
                     ? fmt::format("; target <= {}: {}", millis(target), met ? "met" : "MISSED")
                     : fmt::format("; task default <= {}: {}", millis(target),
                                   met ? "met"
                                       : "above it, so the speed score is reduced (a "
                                         "shorter first sentence sounds sooner)");
    }
    return {{"Synthesis", synthesis}, {"First audio", first}};
}

std::string tts_speed_rows(const Plan& plan, const Candidate& c) {
    const auto& sp = c.speed;
    const int n = streams(plan);
    std::string out;
    if (!sp.audio_speed_multiple) {
        return "| Real-time factor | " + unknown_because(sp.unknown_reason) + " | <= 0.5 |\n";
    }
    out += fmt::format("| Real-time factor (compute s per audio s), {} threads | {:.3f} | <= 0.5 "
                       "|\n",
                       c.settings.threads, sp.real_time_factor.value_or(0));
    out += fmt::format("| Speed, seconds of audio per second (S1) | {} | >= 2x |\n",
                       multiple(*sp.audio_speed_multiple));
    if (n > 1) {
        out += fmt::format("| Speed per stream, {} concurrent | {} | >= 1x |\n", n,
                           multiple(*sp.audio_speed_multiple / n));
    }
    out += fmt::format("| Synthesise 60 s of audio | {} | < 60 s |\n",
                       seconds(sp.seconds_per_audio_minute.value_or(0)));
    if (sp.first_audio_ms && sp.first_sentence_audio_s) {
        out += fmt::format("| First audio (first sentence, ~{:.0f} s of audio) | {} | <= {} |\n",
                           *sp.first_sentence_audio_s, millis(*sp.first_audio_ms),
                           millis(plan.request.max_ttft_ms.value_or(1000)));
    }
    return out;
}

std::string tts_memory_table(const Candidate& c) {
    std::string out = "| Device | Weights (ONNX + voices) | Activations (30 s sentence) | "
                      "Process | Total | Usable | Margin | Fits |\n"
                      "|---|---|---|---|---|---|---|---|\n";
    for (const auto& d : c.memory) {
        out += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} |\n",
                           table_cell(d.device + ": " + d.description), gib(d.weights_bytes),
                           gib(d.compute_bytes), gib(d.overhead_bytes), gib(d.total_bytes),
                           gib(d.usable_bytes), gib_signed(d.margin_bytes), d.fits ? "yes" : "NO");
    }
    out += "\n";
    for (const auto& d : c.memory) {
        out += fmt::format("- {}: {} + {} + {} = {} against {} usable, margin {}.\n", d.device,
                           gib(d.weights_bytes), gib(d.compute_bytes), gib(d.overhead_bytes),
                           gib(d.total_bytes), gib(d.usable_bytes), gib_signed(d.margin_bytes));
    }
    out += "\nNo KV cache: the voice is non-autoregressive (one pass per sentence). Activations "
           "grow with the longest sentence synthesised at once (sherpa-onnx takes one sentence "
           "per pass).\n";
    return out;
}

std::string tts_request_summary(const PlanRequest& r) {
    std::vector<std::string> parts = {"task " + r.task};
    parts.push_back(r.offline ? "offline" : "online");
    parts.push_back("privacy " + privacy_name(r.privacy));
    parts.push_back("text synthesised one sentence at a time");
    parts.push_back(fmt::format("concurrency {}", r.concurrency));
    if (r.max_ttft_ms) {
        parts.push_back("max time to first audio " + millis(*r.max_ttft_ms));
    }
    parts.push_back("power " + power_name(r.power));
    parts.push_back("prefer " + preference_name(r.prefer));
    return join(parts);
}

std::string tts_table_rate(const Candidate& c) {
    return c.speed.audio_speed_multiple ? multiple(*c.speed.audio_speed_multiple)
                                        : std::string("unknown");
}

} // namespace edgeplan::report_detail
