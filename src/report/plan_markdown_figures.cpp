// Sections 5 (performance projection), 6 (risk register) and 7 (verification steps) of the
// Markdown plan. Every figure is the plan's own; unknown ones say why.

#include "plan_markdown.hpp"

#include "format.hpp"
#include "plan_format.hpp"
#include "plan_sections.hpp"
#include "plan_embedding.hpp"
#include "plan_speech.hpp"
#include "plan_tts.hpp"

#include <fmt/format.h>

namespace edgeplan::report_detail {

namespace {

std::string rate_or_unknown(const std::optional<double>& value, const SpeedProjection& speed) {
    return value ? rate(*value) : unknown_because(speed.unknown_reason);
}

std::string ms_or_unknown(const std::optional<double>& value, const SpeedProjection& speed) {
    return value ? millis(*value) : unknown_because(speed.unknown_reason);
}

/// Decode, prefill and TTFT for a request of prompt tokens (LLMs).
std::string llm_speed_rows(const Plan& plan, const Candidate& c) {
    const auto& sp = c.speed;
    const auto& r = plan.request;
    // The speed target is per stream at the requested concurrency: it sits on the single-stream
    // row only when that is the request; otherwise the load table states it.
    const std::string min_tps =
        r.min_tokens_per_s && r.concurrency <= 1 ? ">= " + rate(*r.min_tokens_per_s) : "";
    std::string out;
    out +=
        fmt::format("| Decode, 1 stream, {}-token context | {} | {} |\n", sp.short_context_tokens,
                    rate_or_unknown(sp.decode_tokens_per_s_short, sp), min_tps);
    out += fmt::format("| Decode, 1 stream, full {}-token context | {} | |\n",
                       c.settings.context_tokens, rate_or_unknown(sp.decode_tokens_per_s_full, sp));
    out += fmt::format("| Prefill | {} | |\n", rate_or_unknown(sp.prefill_tokens_per_s, sp));
    out += fmt::format("| TTFT, {}-token prompt | {} | {} |\n", r.prompt_tokens,
                       ms_or_unknown(sp.ttft_ms, sp),
                       r.max_ttft_ms ? "<= " + millis(*r.max_ttft_ms) : "");
    out += fmt::format("| TPOT | {} | |\n", ms_or_unknown(sp.tpot_ms, sp));
    return out;
}

std::string speed_table(const Plan& plan, const Candidate& c) {
    const auto& sp = c.speed;
    std::string out = "| Metric | Projected | Target |\n|---|---|---|\n";
    if (is_tts(c)) {
        return out + tts_speed_rows(plan, c); // no decode, sustained-decode or J/token rows
    }
    const bool embedding = is_embedding(plan);
    if (is_speech(c)) {
        out += speech_speed_rows(plan, c);
    } else if (embedding) {
        out += embedding_speed_rows(plan, c);
    } else {
        out += llm_speed_rows(plan, c);
    }
    std::string sustained = rate_or_unknown(sp.sustained_tokens_per_s, sp);
    if (sp.sustained_tokens_per_s && sp.decode_tokens_per_s_short &&
        *sp.decode_tokens_per_s_short > 0) {
        sustained += fmt::format(" ({:.0f}% of peak)", 100.0 * *sp.sustained_tokens_per_s /
                                                           *sp.decode_tokens_per_s_short);
    }
    // The profile's sustained fraction is a decode figure; an embedder decodes nothing, and
    // for Whisper the rate that throttles is the transcript rate (the same fraction of it).
    if (is_speech(c)) {
        std::string transcript = unknown_because(sp.unknown_reason);
        if (sp.sustained_tokens_per_s && sp.decode_tokens_per_s_short &&
            *sp.decode_tokens_per_s_short > 0) {
            const double fraction = *sp.sustained_tokens_per_s / *sp.decode_tokens_per_s_short;
            transcript = fmt::format("{} ({:.0f}% of peak)",
                                     rate(*sp.transcript_tokens_per_s * fraction),
                                     100.0 * fraction);
        }
        out += "| Sustained transcript rate (power/thermal budget) | " + transcript + " | |\n";
    } else if (!embedding) {
        out += "| Sustained decode (power/thermal budget) | " + sustained + " | |\n";
    }
    out += "| Energy | " +
           (sp.joules_per_token ? fmt::format("{:.2f} J/token", *sp.joules_per_token)
                                : unknown_because(sp.unknown_reason)) +
           " | |\n";
    return out;
}

std::string memory_table(const Candidate& c) {
    if (is_tts(c)) {
        return tts_memory_table(c);
    }
    // A BERT-style encoder keeps no KV cache: "none (encoder)", not a 0 that reads like a
    // cache too small to print.
    const bool no_kv = has_no_kv_cache(c);
    const auto kv = [no_kv](const DeviceMemory& d) {
        return no_kv ? std::string("none (encoder)") : gib(d.kv_cache_bytes);
    };
    std::string out =
        "| Device | Weights | KV cache | Compute | Overhead | Total | Usable | Margin | Fits |\n"
        "|---|---|---|---|---|---|---|---|---|\n";
    for (const auto& d : c.memory) {
        out += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
                           table_cell(d.device + ": " + d.description), gib(d.weights_bytes),
                           kv(d), gib(d.compute_bytes), gib(d.overhead_bytes),
                           gib(d.total_bytes), gib(d.usable_bytes), gib_signed(d.margin_bytes),
                           d.fits ? "yes" : "NO");
    }
    out += "\n";
    for (const auto& d : c.memory) {
        // Weights + KV + compute + overhead, the table's columns in order (no KV for an encoder).
        const std::string kv_term = no_kv ? "" : gib(d.kv_cache_bytes) + " + ";
        out += fmt::format("- {}: {} + {}{} + {} = {} against {} usable, margin {}.\n", d.device,
                           gib(d.weights_bytes), kv_term, gib(d.compute_bytes),
                           gib(d.overhead_bytes), gib(d.total_bytes), gib(d.usable_bytes),
                           gib_signed(d.margin_bytes));
    }
    for (const auto& d : c.memory) {
        if (d.counted_in_system) {
            out += fmt::format("- {} shares system memory: its bytes are also in the system row, "
                               "so the process uses {} in all, not the sum of the rows.\n",
                               d.device, gib(c.resident_bytes()));
        }
    }
    return out;
}

std::string load_table(const Plan& plan, const Candidate& c) {
    if (is_embedding(plan)) {
        // The load points are decode streams (aggregate tok/s, TPOT): nothing an embedder does.
        std::string out = "No load table: the load model projects decode streams, and an "
                          "embedder decodes nothing; inputs are embedded at the rate above.\n";
        if (c.max_concurrent_sequences > 0) {
            out += fmt::format("\nThe KV cache holds at most {} inputs of {} tokens at once.\n",
                               c.max_concurrent_sequences, c.settings.context_tokens);
        }
        return out;
    }
    if (c.load.empty()) {
        return "No load projection in the plan.\n";
    }
    std::string out = "| Concurrent requests | Aggregate tok/s | Per-stream tok/s | TPOT | "
                      "TTFT, all arriving at once |\n"
                      "|---|---|---|---|---|\n";
    for (const auto& p : c.load) {
        out += fmt::format("| {} | {} | {} | {} | {} |\n", p.streams,
                           rate_number(p.aggregate_tokens_per_s),
                           rate_number(p.per_stream_tokens_per_s), millis(p.tpot_ms),
                           p.ttft_ms ? millis(*p.ttft_ms) : std::string("unknown"));
    }
    const auto& r = plan.request;
    if (const LoadPoint* point = load_at(c, r.concurrency);
        r.min_tokens_per_s && r.concurrency > 1) {
        out += fmt::format("\nTarget: >= {} per stream with {} concurrent: {}.\n",
                           rate(*r.min_tokens_per_s), r.concurrency,
                           point == nullptr ? std::string("unknown (no load point)")
                           : point->per_stream_tokens_per_s >= *r.min_tokens_per_s
                               ? fmt::format("met ({} at {})", rate(point->per_stream_tokens_per_s),
                                             point->streams)
                               : fmt::format("MISSED ({} at {})",
                                             rate(point->per_stream_tokens_per_s), point->streams));
    }
    if (c.max_concurrent_sequences > 0) {
        out += fmt::format("\nThe KV cache holds at most {} sequences of {} tokens at once.\n",
                           c.max_concurrent_sequences, c.settings.context_tokens);
    }
    return out;
}

} // namespace

std::string markdown_performance(const Plan& plan) {
    std::string out = section_heading(5);
    if (!plan.chosen) {
        return out + (plan.task_unserved
                          ? "No projection: no modelled engine serves the task (section 2).\n"
                          : "No projection: nothing fits. The alternatives' figures are in "
                            "section 2.\n");
    }
    const Candidate& c = *plan.chosen;
    out += speed_table(plan, c);
    out += "\n### 5.1 Memory per device\n\n" + memory_table(c);
    out += "\n### 5.2 Under load\n\n" + load_table(plan, c);
    return out;
}

std::string markdown_risks(const Plan& plan) {
    std::string out = section_heading(6);
    if (plan.risks.empty()) {
        return out + "No risks recorded.\n";
    }
    out += "| Id | Risk | Likelihood | Impact | Mitigation |\n|---|---|---|---|---|\n";
    for (const auto& r : plan.risks) {
        out +=
            fmt::format("| {} | {} | {} | {} | {} |\n", table_cell(r.id),
                        table_cell(r.detail.empty() ? r.title : r.title + " (" + r.detail + ")"),
                        table_cell(r.likelihood), table_cell(r.impact), table_cell(r.mitigation));
    }
    return out;
}

std::string markdown_verification(const Plan& plan) {
    std::string out = section_heading(7);
    if (plan.verification.empty()) {
        return out + "No verification steps recorded.\n";
    }
    int number = 1;
    for (const auto& step : plan.verification) {
        // Indent every line of a multi-line command so it stays inside the list item.
        std::string command;
        for (char ch : step.command) {
            command += ch == '\n' ? std::string("\n   ") : std::string(1, ch);
        }
        out += fmt::format("{}. {}\n\n   ```sh\n   {}\n   ```\n\n   Expect: {}\n\n", number++,
                           step.purpose, command, step.expect);
    }
    return out;
}

} // namespace edgeplan::report_detail
