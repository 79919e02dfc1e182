// The plan report for Whisper on whisper.cpp speaks speech: encoder window, minute of speech,
// real-time factor and the transcript rate S1 scores; no prompt-token TTFT. An LLM plan on the
// same renderer keeps its prompt-token figures (so the checks below can fail).
#include "planner_run_fixtures.hpp"

#include <edgeplan/report/plan_report.hpp>

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <string>

using namespace edgeplan;
using plan_fixtures::catalog;
using plan_fixtures::contains;
using plan_fixtures::target;

namespace {

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

TEST_CASE("speech wording: S1 misses name the transcript rate and the first transcript token",
          "[report][speech][planner]") {
    // Targets no Whisper on a Pi 5 can meet, set by the user, so every runner-up misses both.
    PlanRequest request;
    request.task = "speech-to-text";
    request.offline = true;
    request.min_tokens_per_s = 10000.0;
    request.max_ttft_ms = 1.0;
    auto plan = plan_deployment(request, target("raspberry-pi-5-8gb"), catalog());
    REQUIRE(plan);
    REQUIRE(plan->chosen);
    REQUIRE_FALSE(plan->runner_ups.empty());
    for (const auto& r : plan->runner_ups) {
        INFO(r.model_id);
        std::string why;
        for (const auto& line : r.lost_because) {
            why += line + "\n";
        }
        INFO(why);
        CHECK_FALSE(contains(why, "TTFT"));
        CHECK_FALSE(contains(why, "decode"));
        CHECK(contains(why, "S1: first transcript token (one 30 s window encoded) after "));
        CHECK(contains(why, " > --max-ttft-ms 1"));
        CHECK(contains(why, "S1: transcript "));
    }
}

TEST_CASE("speech wording: R1 thermal states the transcript rate, not decode",
          "[report][speech][planner]") {
    PlanRequest request;
    request.task = "speech-to-text";
    request.offline = true;
    auto plan = plan_deployment(request, target("raspberry-pi-5-8gb"), catalog());
    REQUIRE(plan);
    REQUIRE(plan->chosen);
    REQUIRE(plan->chosen->speed.transcript_tokens_per_s);
    const auto risk = std::find_if(plan->risks.begin(), plan->risks.end(),
                                   [](const Risk& r) { return r.id == "R1-thermal"; });
    REQUIRE(risk != plan->risks.end());
    INFO(risk->title);
    CHECK(contains(risk->title, "transcript (encoder included) "));
    CHECK(contains(risk->title, " tok/s at peak"));
    CHECK_FALSE(contains(risk->title, "decode"));

    // Sections 4-6 speak of audio and transcripts, not prompts, answers or a longer context.
    const std::string md = render_plan_markdown(*plan, catalog());
    CHECK(contains(md, "Never leaves the device: audio, transcripts, KV caches"));
    CHECK_FALSE(contains(md, "prompts, answers"));
    CHECK(contains(md, "| Sustained transcript rate (power/thermal budget) |"));
    CHECK_FALSE(contains(md, "| Sustained decode"));
    CHECK_FALSE(contains(md, "R3-memory-context"));
    CHECK(contains(md, "first transcript token 2,000 ms (task default)"));

    // A chat plan on the same board keeps the decode rate.
    PlanRequest chat;
    chat.task = "chat";
    auto llm = plan_deployment(chat, target("raspberry-pi-5-8gb"), catalog());
    REQUIRE(llm);
    const auto llm_risk = std::find_if(llm->risks.begin(), llm->risks.end(),
                                       [](const Risk& r) { return r.id == "R1-thermal"; });
    REQUIRE(llm_risk != llm->risks.end());
    CHECK(contains(llm_risk->title, "decode "));
}
