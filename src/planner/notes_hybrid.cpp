// Hybrid cloud-edge note: what stays on the device and when a request may go to a remote
// endpoint. Written only when the user allowed a fallback and asked for no data locality:
// for offline, strict or airgap requests there is no route off the device at all.
#include "kv_headroom.hpp"
#include "section_text.hpp"

#include <fmt/format.h>

namespace edgeplan {

namespace {

using namespace planner_detail;

// Past half the single-stream decode rate each user waits twice as long per token; edgeplan
// takes that as the knee when the request sets no --min-tps.
constexpr double knee_fraction_of_single = 0.5;

struct Knee {
    const LoadPoint* point = nullptr; ///< last load point still above the threshold
    const LoadPoint* next = nullptr;  ///< first one below it; nullptr: the table ends first
    double threshold = 0;
    bool from_request = false;
};

std::optional<Knee> load_knee(const PlanRequest& request, const Candidate& chosen) {
    if (chosen.load.empty()) {
        return std::nullopt;
    }
    Knee knee;
    knee.from_request = request.min_tokens_per_s.has_value();
    knee.threshold = request.min_tokens_per_s.value_or(knee_fraction_of_single *
                                                       chosen.load.front().per_stream_tokens_per_s);
    for (const LoadPoint& p : chosen.load) {
        if (p.per_stream_tokens_per_s >= knee.threshold) {
            knee.point = &p;
        } else {
            knee.next = &p;
            break;
        }
    }
    if (knee.point == nullptr) {
        return std::nullopt;
    }
    return knee;
}

std::string queue_rule(const PlanRequest& request, const Candidate& chosen) {
    const std::optional<Knee> knee = load_knee(request, chosen);
    if (!knee) {
        return "(a) the queue: the load table is unknown, so measure the knee with the "
               "verification benchmark before setting a queue-depth trigger";
    }
    const std::string basis =
        knee->from_request ? fmt::format("your --min-tps {}", rate_text(knee->threshold))
                           : fmt::format("half the single-stream {}",
                                         rate_text(chosen.load.front().per_stream_tokens_per_s));
    if (knee->next == nullptr) {
        return fmt::format("(a) the queue: per-stream decode stays above {} ({}) up to the "
                           "table's last row, {} streams at {} each, so fall back only past {} "
                           "requests in flight",
                           rate_text(knee->threshold), basis, knee->point->streams,
                           rate_text(knee->point->per_stream_tokens_per_s), knee->point->streams);
    }
    return fmt::format("(a) more than {} requests in flight: the knee of the load table, where "
                       "per-stream decode falls from {} at {} streams to {} at {} (threshold "
                       "{}: {})",
                       knee->point->streams, rate_text(knee->point->per_stream_tokens_per_s),
                       knee->point->streams, rate_text(knee->next->per_stream_tokens_per_s),
                       knee->next->streams, rate_text(knee->threshold), basis);
}

std::string memory_rule(const Candidate& chosen) {
    const std::optional<KvHeadroom> h = kv_headroom(chosen);
    if (!h) {
        return "(b) memory: the KV cache size is unknown, so no context trigger is computed";
    }
    return fmt::format("(b) a prompt needing more than {} tokens of context: past it the KV "
                       "cache ({} per 1,000 tokens) exhausts the {} margin on {}",
                       count_text(h->max_context_tokens),
                       bytes_text(static_cast<std::uint64_t>(h->bytes_per_1k_tokens())),
                       signed_bytes_text(h->device->margin_bytes), h->device->device);
}

} // namespace

std::optional<PlanNote> plan_hybrid_note(const PlanRequest& request,
                                         const HardwareProfile& /*profile*/,
                                         const Candidate& chosen, const Catalog& /*catalog*/) {
    if (!request.allow_cloud_fallback || request.keeps_data_local()) {
        return std::nullopt;
    }
    const SpeedProjection& s = chosen.speed;
    PlanNote note;
    note.title = "Hybrid cloud-edge";
    note.lines.push_back(
        fmt::format("Stays on the device: every request that carries personal data (PII) and all "
                    "real-time interaction; the local {} {} answers them at {} with TTFT {} for a "
                    "{}-token prompt.",
                    chosen.model_name.empty() ? chosen.model_id : chosen.model_name,
                    chosen.quantization, figure_text("decode", s.decode_tokens_per_s_short, s),
                    s.ttft_ms ? ms_text(*s.ttft_ms) : std::string("unknown"),
                    count_text(request.prompt_tokens)));
    note.lines.push_back("May fall back to a cloud endpoint (an OpenAI-compatible HTTPS API "
                         "you choose), only when: " +
                         queue_rule(request, chosen) + "; " + memory_rule(chosen) + ".");
    note.lines.push_back(
        "Routing rule: classify PII before routing; a PII request never falls back, even past "
        "the queue trigger; it waits, or runs with a shorter context.");
    note.lines.push_back(fmt::format(
        "Latency trade-off: a fallback adds one network round trip per request (RTT unknown "
        "from here: measure it with curl's %{{time_connect}} against your endpoint) on top of "
        "the remote TTFT; locally, TTFT is {} and decode {}.",
        s.ttft_ms ? ms_text(*s.ttft_ms) : std::string("unknown"),
        s.decode_tokens_per_s_short ? rate_text(*s.decode_tokens_per_s_short)
                                    : std::string("unknown")));
    note.lines.push_back(fmt::format(
        "Quality trade-off: the local candidate scores {} ({}); the remote model's score is "
        "not in the catalogue, so compare both on your own prompts before routing.",
        chosen.quality ? fmt::format("{:.1f}", *chosen.quality) : std::string("unknown"),
        chosen.quality_basis.empty() ? std::string("no basis recorded") : chosen.quality_basis));
    return note;
}

} // namespace edgeplan
