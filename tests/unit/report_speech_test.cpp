// The plan report for Whisper on whisper.cpp speaks speech: encoder window, minute of speech,
// real-time factor and the transcript rate S1 scores; no prompt-token TTFT. An LLM plan on the
// same renderer keeps its prompt-token figures (so the checks below can fail).
#include "cli/target_profile.hpp"

#include <edgeplan/catalog/catalog.hpp>
#include <edgeplan/planner/planner.hpp>
#include <edgeplan/report/plan_report.hpp>

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <string>

using namespace edgeplan;

namespace {

const Catalog& catalog() {
    static const Catalog loaded = *load_catalog(CatalogSource::embedded());
    return loaded;
}

HardwareProfile target(const std::string& id) {
    cli::TargetOverrides overrides;
    std::string hint;
    auto profile = cli::target_profile(catalog(), id, overrides, hint);
    REQUIRE(profile);
    return *profile;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

/// The rate as the runner-up table prints it (plan_format.cpp rate_number).
std::string table_number(double tokens_per_s) {
    return tokens_per_s >= 100.0 ? fmt::format("{:.0f}", tokens_per_s)
                                 : fmt::format("{:.1f}", tokens_per_s);
}

} // namespace

TEST_CASE("speech report: a Whisper plan has no prompt-token TTFT", "[report][speech]") {
    PlanRequest request;
    request.task = "speech-to-text";
    request.offline = true;
    auto plan = plan_deployment(request, target("raspberry-pi-5-8gb"), catalog());
    REQUIRE(plan);
    REQUIRE(plan->chosen);
    REQUIRE(plan->chosen->engine_id == "whisper.cpp");
    const std::string md = render_plan_markdown(*plan, catalog());
    CHECK_FALSE(contains(md, "512-token prompt"));
    CHECK_FALSE(contains(md, "-token prompt"));
    CHECK_FALSE(contains(md, "**Prefill**"));
    CHECK(contains(md, "per 30 s audio window"));
    CHECK(contains(md, "per minute of speech (real-time factor"));
    CHECK(contains(md, "with the encoder included (the rate S1 scores)"));
    CHECK(contains(md, "| First transcript segment (one encoder window + its ~90 tokens) |"));

    // The runner-up column is the rate S1 compares, not the decoder alone.
    REQUIRE_FALSE(plan->runner_ups.empty());
    CHECK(contains(md, "| Transcript tok/s (encoder included) |"));
    for (const auto& r : plan->runner_ups) {
        REQUIRE(r.speed.transcript_tokens_per_s);
        INFO(r.model_id);
        CHECK(contains(md, "| " + table_number(*r.speed.transcript_tokens_per_s) + " |"));
    }

    // First segment: one window encoded and its tokens decoded (docs/estimation.md).
    const auto& sp = plan->chosen->speed;
    REQUIRE(sp.first_segment_ms);
    REQUIRE(sp.audio_encode_ms);
    REQUIRE(sp.tpot_ms);
    CHECK(*sp.first_segment_ms == Approx(*sp.audio_encode_ms + 90.0 * *sp.tpot_ms));
}

TEST_CASE("speech report: concurrent streams share whisper-server", "[report][speech]") {
    PlanRequest request;
    request.task = "speech-to-text";
    request.offline = true;
    request.concurrency = 2;
    request.min_tokens_per_s = 5.0;
    auto plan = plan_deployment(request, target("raspberry-pi-5-8gb"), catalog());
    REQUIRE(plan);
    REQUIRE(plan->chosen);
    REQUIRE(plan->chosen->speed.transcript_tokens_per_s);
    const std::string md = render_plan_markdown(*plan, catalog());
    CHECK_FALSE(contains(md, "-token prompt"));
    CHECK(contains(md, "per stream with 2 concurrent (one request at a time)"));
    CHECK(contains(md, "| Transcript tokens per second per stream, 2 concurrent |"));
}

TEST_CASE("speech report: an LLM plan keeps its prompt-token figures", "[report][speech]") {
    PlanRequest request;
    request.task = "chat";
    auto plan = plan_deployment(request, target("raspberry-pi-5-8gb"), catalog());
    REQUIRE(plan);
    REQUIRE(plan->chosen);
    REQUIRE_FALSE(plan->chosen->speed.transcript_tokens_per_s);
    const std::string md = render_plan_markdown(*plan, catalog());
    CHECK(contains(md, "512-token prompt"));
    CHECK(contains(md, "| Decode tok/s |"));
}
