#include "plan_sections.hpp"

#include "format.hpp"
#include "plan_format.hpp"
#include "plan_embedding.hpp"
#include "plan_speech.hpp"
#include "plan_tts.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace edgeplan::report_detail {

std::string verdict_label(const Plan& plan) {
    return plan.approved ? "APPROVED" : "NOT APPROVED";
}

std::string verdict_line(const Plan& plan) {
    std::string reason = plan.verdict;
    if (reason.empty()) {
        reason = plan.approved ? "fits with headroom and meets the request's rules"
                               : "nothing fits the request on this hardware";
    }
    return verdict_label(plan) + ": " + reason;
}

std::string privacy_name(Privacy privacy) {
    switch (privacy) {
    case Privacy::strict:
        return "strict";
    case Privacy::airgap:
        return "airgap";
    case Privacy::standard:
        break;
    }
    return "standard";
}

std::string power_name(PowerMode power) {
    switch (power) {
    case PowerMode::ac:
        return "ac";
    case PowerMode::battery:
        return "battery";
    case PowerMode::automatic:
        break;
    }
    return "auto";
}

std::string preference_name(Preference prefer) {
    switch (prefer) {
    case Preference::quality:
        return "quality";
    case Preference::speed:
        return "speed";
    case Preference::balanced:
        break;
    }
    return "balanced";
}

bool forbids_download(const PlanRequest& request) {
    return request.offline || request.privacy == Privacy::airgap;
}

std::string request_summary(const PlanRequest& r, bool speech) {
    std::vector<std::string> parts = {"task " + r.task};
    parts.push_back(r.offline ? "offline" : "online");
    parts.push_back("privacy " + privacy_name(r.privacy));
    parts.push_back(r.context_tokens ? fmt::format("context {} tokens", *r.context_tokens)
                                     : std::string("context chosen by the planner"));
    // An embedder decodes nothing: its request is the input alone.
    parts.push_back(speech                     ? std::string("speech in 30 s audio windows")
                    : r.task == "embedding" ? fmt::format("inputs of {} tokens", r.prompt_tokens)
                                            : fmt::format("typical request {} prompt + {} output tokens",
                                                          r.prompt_tokens, r.output_tokens));
    parts.push_back(fmt::format("concurrency {}", r.concurrency));
    if (r.min_tokens_per_s) {
        parts.push_back("min " + rate(*r.min_tokens_per_s) +
                        (r.task == "embedding" ? " embedded" : " per stream"));
    }
    if (r.max_ttft_ms) {
        parts.push_back((speech                  ? "max time to first transcript token "
                         : r.task == "embedding" ? "max time per input "
                                                 : "max TTFT ") +
                        millis(*r.max_ttft_ms));
    }
    parts.push_back("power " + power_name(r.power));
    parts.push_back("prefer " + preference_name(r.prefer));
    return join(parts);
}

std::string artifact_text(const DeploymentSettings& s) {
    std::vector<std::string> parts;
    if (s.engine_id == "sherpa-onnx" && s.artifact_repository) { // GitHub release archives
        parts.push_back("GitHub release `tts-models` of `" + *s.artifact_repository +
                        "`, archive `" + s.artifact_file.value_or("") + "`");
    } else if (s.artifact_repository) {
        std::string text = "Hugging Face repository `" + *s.artifact_repository + "`";
        if (s.artifact_file) {
            text += ", file `" + *s.artifact_file + "`";
        }
        parts.push_back(text);
    } else if (s.artifact_file) {
        parts.push_back("file `" + *s.artifact_file + "`");
    }
    if (s.ollama_tag) {
        parts.push_back("Ollama tag `" + *s.ollama_tag + "`");
    }
    return parts.empty() ? std::string("unknown (no artifact in the catalogue)")
                         : join(parts, "; ");
}

const LoadPoint* load_at(const Candidate& c, int streams) {
    const LoadPoint* best = nullptr;
    for (const auto& point : c.load) {
        if (point.streams <= streams && (best == nullptr || point.streams > best->streams)) {
            best = &point;
        }
    }
    return best;
}

std::string parameter_count(std::uint64_t parameters) {
    if (parameters == 0) {
        return "";
    }
    if (parameters < 95'000'000) { // "0.0B" / "0.1B" would hide a voice's or a toy's size
        return fmt::format("{:.1f}M", static_cast<double>(parameters) / 1e6);
    }
    return fmt::format("{:.1f}B", static_cast<double>(parameters) / 1e9);
}

namespace {

std::string met(bool ok) {
    return ok ? "met" : "MISSED";
}

std::string memory_sentence(const Candidate& c) {
    std::vector<std::string> parts;
    for (const auto& d : c.memory) {
        parts.push_back(fmt::format("{} {} of {} usable (margin {}{})", d.device,
                                    gib(d.total_bytes), gib(d.usable_bytes),
                                    gib_signed(d.margin_bytes), d.fits ? "" : ", DOES NOT FIT"));
    }
    return parts.empty() ? "no memory breakdown in the plan" : join(parts, "; ");
}

std::string decode_sentence(const Plan& plan, const Candidate& c) {
    const auto& sp = c.speed;
    std::string text;
    if (sp.decode_tokens_per_s_short) {
        text = fmt::format("{} single stream at {} tokens of context",
                           rate(*sp.decode_tokens_per_s_short), sp.short_context_tokens);
        if (sp.decode_tokens_per_s_full) {
            text += fmt::format(", {} at the full {}", rate(*sp.decode_tokens_per_s_full),
                                c.settings.context_tokens);
        }
    } else {
        text = "decode " + unknown_because(sp.unknown_reason);
    }
    const int streams = plan.request.concurrency;
    const LoadPoint* point = load_at(c, streams);
    std::optional<double> per_stream = sp.decode_tokens_per_s_short;
    if (streams > 1 && point != nullptr) {
        text += fmt::format("; {} per stream with {} concurrent",
                            rate(point->per_stream_tokens_per_s), point->streams);
        per_stream = point->per_stream_tokens_per_s;
    }
    if (plan.request.min_tokens_per_s) {
        text += "; target >= " + rate(*plan.request.min_tokens_per_s) + " per stream: " +
                (per_stream ? met(*per_stream >= *plan.request.min_tokens_per_s) : "unknown");
    } else {
        text += "; no speed target set";
    }
    return text;
}

std::string prefill_sentence(const Plan& plan, const Candidate& c) {
    const auto& sp = c.speed;
    std::string text = sp.prefill_tokens_per_s ? rate(*sp.prefill_tokens_per_s)
                                               : unknown_because(sp.unknown_reason);
    const std::optional<double> ttft = sp.ttft_ms; // one request: what S1 checks
    if (ttft) {
        text += fmt::format("; TTFT {} for a {}-token prompt", millis(*ttft),
                            plan.request.prompt_tokens);
    }
    if (const LoadPoint* point = load_at(c, plan.request.concurrency);
        ttft && plan.request.concurrency > 1 && point != nullptr && point->ttft_ms) {
        text += fmt::format(", {} for the last of {} arriving at once", millis(*point->ttft_ms),
                            point->streams);
    }
    if (plan.request.max_ttft_ms) {
        text += "; target <= " + millis(*plan.request.max_ttft_ms) + ": " +
                (ttft ? met(*ttft <= *plan.request.max_ttft_ms) : "unknown");
    }
    return text;
}

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    return text;
}

} // namespace

std::vector<Justification> justification(const Plan& plan, const Candidate& c) {
    std::vector<Justification> out;
    out.push_back({"Quality", c.quality
                                  ? fmt::format("{:.1f}/100 ({})", *c.quality, c.quality_basis)
                                  : "unknown (" +
                                        (c.quality_basis.empty()
                                             ? std::string("no published score for this task")
                                             : c.quality_basis) +
                                        ")"});
    out.push_back({"Memory", memory_sentence(c)});
    if (is_tts(c)) {
        for (auto& line : tts_justification(plan, c)) {
            out.push_back(std::move(line));
        }
    } else if (is_speech(c)) {
        for (auto& line : speech_justification(plan, c)) {
            out.push_back(std::move(line));
        }
    } else if (is_embedding(plan)) {
        for (auto& line : embedding_justification(plan, c)) {
            out.push_back(std::move(line));
        }
    } else {
        out.push_back({"Decode", decode_sentence(plan, c)});
        out.push_back({"Prefill", prefill_sentence(plan, c)});
    }
    std::string score = fmt::format("planner score {:.2f}", c.score);
    if (!plan.runner_ups.empty()) {
        score += fmt::format(" (best runner-up {:.2f})", plan.runner_ups.front().score);
    }
    out.push_back({"Score", score});
    return out;
}

NotePlacement note_placement(const Plan& plan, const PlanNote& note) {
    const std::string title = lower(note.title);
    const bool hybrid =
        title.find("hybrid") != std::string::npos || title.find("cloud") != std::string::npos;
    if (!hybrid) {
        return NotePlacement::deployment_config;
    }
    // Promise P1: a request that keeps data local shows no cloud route anywhere, even if a
    // note about one reached the plan.
    return plan.request.keeps_data_local() ? NotePlacement::withheld
                                           : NotePlacement::stack_architecture;
}

std::vector<const PlanNote*> notes_in(const Plan& plan, NotePlacement placement) {
    std::vector<const PlanNote*> out;
    for (const auto& note : plan.notes) {
        if (note_placement(plan, note) == placement) {
            out.push_back(&note);
        }
    }
    return out;
}

std::string engine_name(const Catalog& catalog, const std::string& engine_id) {
    const Engine* engine = catalog.find_engine(engine_id);
    return engine != nullptr ? engine->name : engine_id;
}

std::string engine_version(const Engine& engine) {
    const auto cut = engine.version_checked.find(" (");
    return cut == std::string::npos ? engine.version_checked
                                    : engine.version_checked.substr(0, cut);
}

std::string interface_name(const std::string& interface) {
    if (interface == "openai-compatible-http") {
        return "OpenAI-compatible HTTP";
    }
    if (interface == "native-http") {
        return "native HTTP";
    }
    if (interface == "library") {
        return "in-process library (no server)";
    }
    return interface.empty() ? std::string("unknown") : interface;
}

} // namespace edgeplan::report_detail
