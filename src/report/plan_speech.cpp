// Speech-to-text figures in the plan report (Whisper on whisper.cpp). The planner scores the
// transcript rate with the encoder included (S1), so that is the rate every table shows for
// speech; the decoder-only rate is named as such. Formulas: docs/estimation.md, "Whisper".

#include "plan_speech.hpp"

#include "plan_format.hpp"
#include "plan_sections.hpp"
#include "plan_tts.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace edgeplan::report_detail {

namespace {

std::string met(bool ok) {
    return ok ? "met" : "MISSED";
}

/// whisper-server transcribes one request at a time: concurrent streams share its rate.
double per_stream_rate(const Plan& plan, const Candidate& c) {
    return *c.speed.transcript_tokens_per_s / std::max(1, plan.request.concurrency);
}

std::string seconds(double s) {
    // Two decimals below a second, so a fast GPU does not read "0.0 s".
    return s < 1.0 ? fmt::format("{:.2f} s", s) : fmt::format("{:.1f} s", s);
}

std::string first_text_sentence(const Candidate& c) {
    const auto& sp = c.speed;
    std::string text;
    if (sp.ttft_ms) {
        text += "first transcript token after " + millis(*sp.ttft_ms);
    }
    if (sp.first_segment_ms && sp.tokens_per_window) {
        text += fmt::format("{}first segment (the window's ~{:.0f} tokens decoded) after {}",
                            text.empty() ? "" : ", ", *sp.tokens_per_window,
                            millis(*sp.first_segment_ms));
    }
    return text;
}

} // namespace

bool is_speech(const Candidate& c) {
    return c.speed.transcript_tokens_per_s.has_value();
}

std::vector<Justification> speech_justification(const Plan& plan, const Candidate& c) {
    const auto& sp = c.speed;
    const auto& r = plan.request;
    std::string encoder = sp.audio_encode_ms
                              ? millis(*sp.audio_encode_ms) + " per 30 s audio window"
                              : "encoder " + unknown_because(sp.unknown_reason);
    if (const std::string first = first_text_sentence(c); !first.empty()) {
        encoder += "; " + first;
    }
    if (r.max_ttft_ms) {
        encoder += "; target <= " + millis(*r.max_ttft_ms) + " to the first token: " +
                   (sp.ttft_ms ? met(*sp.ttft_ms <= *r.max_ttft_ms) : "unknown");
    }

    std::string transcription;
    if (sp.seconds_per_audio_minute && sp.real_time_factor) {
        transcription = fmt::format("{} per minute of speech (real-time factor {:.3f}); ",
                                    seconds(*sp.seconds_per_audio_minute), *sp.real_time_factor);
    }
    transcription += "transcript " + rate(*sp.transcript_tokens_per_s) +
                     " with the encoder included (the rate S1 scores)";
    if (sp.decode_tokens_per_s_short) {
        transcription += fmt::format("; decoder alone {} at {} tokens of context",
                                     rate(*sp.decode_tokens_per_s_short), sp.short_context_tokens);
    }
    const double per_stream = per_stream_rate(plan, c);
    if (r.concurrency > 1) {
        transcription += fmt::format("; {} per stream with {} concurrent (one request at a time)",
                                     rate(per_stream), r.concurrency);
    }
    if (r.min_tokens_per_s) {
        transcription += "; target >= " + rate(*r.min_tokens_per_s) +
                         " per stream: " + met(per_stream >= *r.min_tokens_per_s);
    } else {
        transcription += "; no speed target set";
    }
    return {{"Encoder", encoder}, {"Transcription", transcription}};
}

std::string table_rate(const Candidate& c, bool embedding) {
    if (is_tts(c)) {
        return tts_table_rate(c);
    }
    if (is_speech(c)) {
        return rate_number(*c.speed.transcript_tokens_per_s);
    }
    if (embedding) {
        return c.speed.prefill_tokens_per_s ? rate_number(*c.speed.prefill_tokens_per_s)
                                            : std::string("unknown");
    }
    return c.speed.decode_tokens_per_s_short ? rate_number(*c.speed.decode_tokens_per_s_short)
                                             : std::string("unknown");
}

std::string table_rate_header(const std::vector<Candidate>& rows, bool embedding) {
    if (!rows.empty() && std::all_of(rows.begin(), rows.end(), is_tts)) {
        return "Speed (x real time)";
    }
    if (embedding) {
        return "Embedded tok/s (prefill)";
    }
    const auto speech = std::count_if(rows.begin(), rows.end(), is_speech);
    if (speech == 0) {
        return "Decode tok/s";
    }
    if (speech == static_cast<long>(rows.size())) {
        return "Transcript tok/s (encoder included)";
    }
    return "Decode tok/s (speech: transcript, encoder included)";
}

std::string speech_speed_rows(const Plan& plan, const Candidate& c) {
    const auto& sp = c.speed;
    const auto& r = plan.request;
    std::string out;
    if (sp.audio_encode_ms) {
        out += "| Encoder, one 30 s audio window | " + millis(*sp.audio_encode_ms) + " | |\n";
    }
    if (sp.ttft_ms) {
        out += "| First transcript token (one encoder window + first token) | " +
               millis(*sp.ttft_ms) + " | " + (r.max_ttft_ms ? "<= " + millis(*r.max_ttft_ms) : "") +
               " |\n";
    }
    if (sp.first_segment_ms && sp.tokens_per_window) {
        out += fmt::format("| First transcript segment (one encoder window + its ~{:.0f} tokens) | "
                           "{} | |\n",
                           *sp.tokens_per_window, millis(*sp.first_segment_ms));
    }
    if (sp.seconds_per_audio_minute && sp.real_time_factor) {
        out +=
            fmt::format("| Transcribe 60 s of speech | {} (real-time factor {:.3f}) | < 60 s |\n",
                        seconds(*sp.seconds_per_audio_minute), *sp.real_time_factor);
    }
    const std::string min_tps = r.min_tokens_per_s ? ">= " + rate(*r.min_tokens_per_s) : "";
    out += "| Transcript tokens per second, encoder included (S1) | " +
           rate(*sp.transcript_tokens_per_s) + " | " + (r.concurrency <= 1 ? min_tps : "") + " |\n";
    if (r.concurrency > 1) {
        out += fmt::format("| Transcript tokens per second per stream, {} concurrent | {} | {} |\n",
                           r.concurrency, rate(per_stream_rate(plan, c)), min_tps);
    }
    if (sp.decode_tokens_per_s_short) {
        out += fmt::format("| Decoder alone, {}-token context | {} | |\n", sp.short_context_tokens,
                           rate(*sp.decode_tokens_per_s_short));
    }
    if (sp.decode_tokens_per_s_full) {
        out += fmt::format("| Decoder alone, full {}-token context | {} | |\n",
                           c.settings.context_tokens, rate(*sp.decode_tokens_per_s_full));
    }
    if (sp.tpot_ms) {
        out += "| Decoder time per transcript token | " + millis(*sp.tpot_ms) + " | |\n";
    }
    return out;
}

} // namespace edgeplan::report_detail
