// Embedding figures in the plan report. The planner scores an embedder on its prefill rate
// (input tokens embedded per second, S1); everything here is that rate and the request's
// size: time per request = the estimator's TTFT for the request's prompt, inputs per second =
// rate / tokens per input (docs/estimation.md, "Embedding encoders on llama.cpp").

#include "plan_embedding.hpp"

#include "plan_format.hpp"
#include "plan_sections.hpp"

#include <fmt/format.h>

namespace edgeplan::report_detail {

namespace {

std::string met(bool ok) {
    return ok ? "met" : "MISSED";
}

std::string per_second(double inputs) {
    return inputs >= 10 ? fmt::format("{:.0f}", inputs) : fmt::format("{:.2f}", inputs);
}

} // namespace

bool is_embedding(const Plan& plan) {
    return plan.request.task == "embedding";
}

bool has_no_kv_cache(const Candidate& c) {
    if (c.memory.empty()) {
        return false;
    }
    for (const auto& d : c.memory) {
        if (d.kv_cache_bytes != 0) {
            return false;
        }
    }
    return true;
}

EmbeddingFigures embedding_figures(const Plan& plan, const Candidate& c) {
    EmbeddingFigures f;
    f.request_tokens = plan.request.prompt_tokens;
    f.input_tokens_per_s = c.speed.prefill_tokens_per_s;
    f.request_ms = c.speed.ttft_ms;
    if (f.input_tokens_per_s && f.request_tokens > 0) {
        f.inputs_per_s = *f.input_tokens_per_s / f.request_tokens;
    }
    f.kv_cache = !has_no_kv_cache(c);
    return f;
}

std::vector<Justification> embedding_justification(const Plan& plan, const Candidate& c) {
    const EmbeddingFigures f = embedding_figures(plan, c);
    const auto& r = plan.request;
    std::string text;
    if (f.input_tokens_per_s) {
        text = rate(*f.input_tokens_per_s) + " of input embedded (prefill; an embedder returns one "
                                             "vector per input and decodes nothing)";
    } else {
        text = "embedding rate " + unknown_because(c.speed.unknown_reason);
    }
    if (f.request_ms) {
        text += fmt::format("; a {}-token input takes {}", f.request_tokens, millis(*f.request_ms));
    }
    if (f.inputs_per_s) {
        text += fmt::format(", {} inputs/s", per_second(*f.inputs_per_s));
    }
    if (r.min_tokens_per_s) {
        text += "; target >= " + rate(*r.min_tokens_per_s) + ": " +
                (f.input_tokens_per_s ? met(*f.input_tokens_per_s >= *r.min_tokens_per_s)
                                      : std::string("unknown"));
    }
    if (r.max_ttft_ms) {
        text += "; target <= " + millis(*r.max_ttft_ms) + " per input: " +
                (f.request_ms ? met(*f.request_ms <= *r.max_ttft_ms) : std::string("unknown"));
    }
    if (!r.min_tokens_per_s && !r.max_ttft_ms) {
        text += "; no speed target set";
    }
    return {{"Embedding", text}};
}

std::string embedding_speed_rows(const Plan& plan, const Candidate& c) {
    const EmbeddingFigures f = embedding_figures(plan, c);
    const auto& r = plan.request;
    const auto known_rate = [&](const std::optional<double>& v) {
        return v ? rate(*v) : unknown_because(c.speed.unknown_reason);
    };
    std::string out;
    out += fmt::format("| Input tokens embedded per second (prefill, S1) | {} | {} |\n",
                       known_rate(f.input_tokens_per_s),
                       r.min_tokens_per_s ? ">= " + rate(*r.min_tokens_per_s) : "");
    out += fmt::format("| Time to embed one {}-token input | {} | {} |\n", f.request_tokens,
                       f.request_ms ? millis(*f.request_ms)
                                    : unknown_because(c.speed.unknown_reason),
                       r.max_ttft_ms ? "<= " + millis(*r.max_ttft_ms) : "");
    out += fmt::format("| Inputs embedded per second, {} tokens each | {} | |\n", f.request_tokens,
                       f.inputs_per_s ? per_second(*f.inputs_per_s)
                                      : unknown_because(c.speed.unknown_reason));
    out += "| Decode | none: an embedder returns one vector per input | |\n";
    return out;
}

} // namespace edgeplan::report_detail
