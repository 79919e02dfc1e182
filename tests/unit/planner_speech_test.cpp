// Speech and text-to-speech plans end to end: the planner routes speech-to-text to Whisper on
// whisper.cpp, sized by the hardware and the real-time requirement; the whisper-server
// script carries the plan's settings with catalogue-listed flags only; a text-to-speech model
// with no memory model (Qwen3-TTS) is refused for the right reason (no modelled engine), not
// for a memory shortfall. Planned text-to-speech: tts_test.cpp.
#include "planner_run_fixtures.hpp"

#include <edgeplan/report/config_files.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <sstream>
#include <string>

using namespace edgeplan;
using plan_fixtures::catalog;
using plan_fixtures::target;

namespace {

PlanRequest speech(const std::string& task = "speech-to-text") {
    PlanRequest r;
    r.task = task;
    r.offline = true;
    return r;
}

bool fired(const Plan& plan, const std::string& rule, const std::string& outcome) {
    return std::any_of(plan.trace.begin(), plan.trace.end(), [&](const RuleFiring& f) {
        return f.rule_id == rule && f.outcome == outcome;
    });
}

} // namespace

TEST_CASE("speech: an RTX 4090 transcribes with large-v3-turbo on the GPU", "[planner][speech]") {
    auto plan = plan_deployment(speech(), target("desktop-rtx-4090"), catalog());
    REQUIRE(plan);
    REQUIRE(plan->approved);
    const Candidate& c = *plan->chosen;
    CHECK(c.model_id == "whisper-large-v3-turbo");
    CHECK(c.engine_id == "whisper.cpp");
    CHECK(c.placement == "full GPU");
    CHECK(c.settings.backend == "cuda");
    REQUIRE(c.speed.real_time_factor);
    CHECK(*c.speed.real_time_factor < 0.05);
    // Every byte of the breakdown is on a device and fits it.
    for (const auto& d : c.memory) {
        CHECK(d.fits);
        CHECK(d.total_bytes == d.weights_bytes + d.kv_cache_bytes + d.compute_bytes +
                                   d.overhead_bytes);
    }
}

TEST_CASE("speech: a Raspberry Pi 5 gets a small Whisper that keeps up with real time",
          "[planner][speech]") {
    auto plan = plan_deployment(speech(), target("raspberry-pi-5-8gb"), catalog());
    REQUIRE(plan);
    REQUIRE(plan->approved);
    const Candidate& c = *plan->chosen;
    CHECK(c.engine_id == "whisper.cpp");
    CHECK(c.placement == "CPU only");
    CHECK(c.parameters < 300'000'000ull);
    REQUIRE(c.speed.real_time_factor);
    CHECK(*c.speed.real_time_factor < 1.0);
    // The turbo model is slower than real time there: pinned, it is not approved, and why.
    auto turbo_only = speech();
    turbo_only.model = "whisper-large-v3-turbo";
    auto turbo = plan_deployment(turbo_only, target("raspberry-pi-5-8gb"), catalog());
    REQUIRE(turbo);
    CHECK_FALSE(turbo->approved); // a requirement, so exit 10
    CHECK(turbo->verdict.find("slower than real time") != std::string::npos);
}

TEST_CASE("speech: audio decoders stay candidates on llama.cpp", "[planner][speech]") {
    auto pinned = speech();
    pinned.model = "gemma-4-e4b-it";
    auto plan = plan_deployment(pinned, target("desktop-rtx-4090"), catalog());
    REQUIRE(plan);
    REQUIRE(plan->chosen);
    CHECK(plan->chosen->engine_id == "llama.cpp");
}

TEST_CASE("speech: --engine whisper.cpp is accepted and plans only whisper.cpp",
          "[planner][speech]") {
    auto r = speech();
    r.engine = "whisper.cpp";
    REQUIRE(check_plan_request(r, catalog()));
    auto plan = plan_deployment(r, target("apple-m4-pro-20gpu"), catalog());
    REQUIRE(plan);
    REQUIRE(plan->chosen);
    CHECK(plan->chosen->engine_id == "whisper.cpp");
    CHECK(plan->chosen->settings.backend == "metal");
    for (const auto& ru : plan->runner_ups) {
        CHECK(ru.engine_id == "whisper.cpp");
    }
}

TEST_CASE("speech: the whisper-server script uses catalogue flags and the plan's settings",
          "[planner][speech][config]") {
    const Engine* engine = catalog().find_engine("whisper.cpp");
    REQUIRE(engine != nullptr);
    const auto& listed = engine->flags.at("whisper-server");
    for (const std::string id : {"desktop-rtx-4090", "raspberry-pi-5-8gb"}) {
        auto plan = plan_deployment(speech(), target(id), catalog());
        REQUIRE(plan);
        REQUIRE(plan->chosen);
        const DeploymentConfig config = deployment_config(*plan, catalog());
        REQUIRE(config.files.size() == 1);
        const std::string& sh = config.files[0].content;
        INFO(sh);
        std::istringstream words(sh);
        std::string w;
        while (words >> w) {
            const bool flag = w.size() > 1 && w[0] == '-' &&
                              (w[1] == '-' || std::isalpha(static_cast<unsigned char>(w[1])));
            if (flag) {
                CHECK(std::find(listed.begin(), listed.end(), w) != listed.end());
            }
        }
        CHECK(sh.find("--model models/" + *plan->chosen->settings.artifact_file) !=
              std::string::npos);
        CHECK(sh.find("--port 8080") != std::string::npos);
        CHECK((sh.find("--no-gpu") != std::string::npos) ==
              (plan->chosen->placement == "CPU only"));
        CHECK(sh.find("http") == sh.find("http://127.0.0.1")); // nothing fetched at start
    }
}

TEST_CASE("text-to-speech: a pinned model no engine models is refused as unserved",
          "[planner][speech]") {
    PlanRequest r = speech("text-to-speech");
    r.model = "qwen3-tts-12hz-0.6b";
    auto plan = plan_deployment(r, target("desktop-rtx-4090"), catalog());
    REQUIRE(plan);
    CHECK_FALSE(plan->approved);
    CHECK(plan->task_unserved);
    CHECK(plan->verdict.find("not a memory shortfall") != std::string::npos);
    CHECK(plan->verdict.find("qwen3-tts-12hz-0.6b") != std::string::npos);
    CHECK(plan->alternatives.empty());
    CHECK_FALSE(fired(*plan, "P4-over-capacity", "flagged"));
    CHECK(fired(*plan, "P2-memory-breakdown", "flagged"));
    // A task whose models are modelled but excluded by the rules keeps the old wording.
    PlanRequest chat;
    chat.task = "chat";
    chat.engine = "vllm";
    auto cpu = plan_deployment(chat, target("raspberry-pi-5-8gb"), catalog());
    REQUIRE(cpu);
    CHECK_FALSE(cpu->task_unserved);
}

TEST_CASE("embedding: BERT-style encoders get a memory breakdown with no KV cache",
          "[planner][speech][embedding]") {
    PlanRequest r;
    r.task = "embedding";
    r.offline = true;
    r.model = "nomic-embed-text-v1.5";
    auto plan = plan_deployment(r, target("raspberry-pi-5-8gb"), catalog());
    REQUIRE(plan);
    REQUIRE(plan->approved);
    const Candidate& c = *plan->chosen;
    CHECK(c.engine_id == "llama.cpp");
    CHECK(c.placement == "CPU only");
    REQUIRE(c.memory.size() == 1);
    CHECK(c.memory[0].kv_cache_bytes == 0);
    CHECK(c.memory[0].compute_bytes > 0);
    // 137M parameters at the F16 preset's 16.0005 bits (its Llama-3-8B file figure).
    CHECK(std::abs(static_cast<double>(c.memory[0].weights_bytes) / 274e6 - 1.0) < 0.001);
    REQUIRE(c.speed.prefill_tokens_per_s);
    CHECK(*c.speed.prefill_tokens_per_s > 0);
    // Unpinned, the encoders compete with the Qwen3 embedding decoders.
    r.model.reset();
    auto open = plan_deployment(r, target("desktop-rtx-4090"), catalog());
    REQUIRE(open);
    REQUIRE(open->chosen);
    bool encoder_listed = open->chosen->model_id == "nomic-embed-text-v1.5";
    for (const auto& ru : open->runner_ups) {
        encoder_listed = encoder_listed || ru.model_id == "nomic-embed-text-v1.5";
    }
    CHECK(encoder_listed);
}
