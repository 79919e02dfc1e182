// E1 with the engines modelled through the engine table: Ollama/llamafile/LM Studio only
// when pinned, TensorRT-LLM at high load on FP8-capable NVIDIA GPUs with a published
// checkpoint, and the telemetry risk's detail.
#include <edgeplan/catalog/catalog.hpp>
#include <edgeplan/planner/planner.hpp>
#include <edgeplan/report/plan_report.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

using namespace edgeplan;

namespace {

const Catalog& catalog() {
    static const Catalog loaded = *load_catalog(CatalogSource::embedded());
    return loaded;
}

const HardwareProfile& target(const std::string& id) {
    return catalog().find_target(id)->profile;
}

const RuleFiring* firing(const Plan& plan, const std::string& rule, const std::string& subject) {
    const auto it = std::find_if(plan.trace.begin(), plan.trace.end(), [&](const RuleFiring& f) {
        return f.rule_id == rule && f.subject == subject;
    });
    return it == plan.trace.end() ? nullptr : &*it;
}

} // namespace

TEST_CASE("E1: Ollama, llamafile and LM Studio are planned only when pinned", "[planner]") {
    PlanRequest r;
    auto plan = plan_deployment(r, target("desktop-rtx-4090"), catalog());
    REQUIRE(plan);
    REQUIRE(plan->chosen);
    CHECK(plan->chosen->engine_id == "llama.cpp");
    const RuleFiring* wrappers = firing(*plan, "E1-engine", "ollama, llamafile, lm-studio");
    REQUIRE(wrappers != nullptr);
    CHECK(wrappers->outcome == "rejected");

    for (const std::string engine : {"ollama", "llamafile", "lm-studio"}) {
        r.engine = engine;
        auto pinned = plan_deployment(r, target("desktop-rtx-4090"), catalog());
        REQUIRE(pinned);
        REQUIRE(pinned->chosen);
        CHECK(pinned->chosen->engine_id == engine);
        CHECK(pinned->chosen->settings.weights_format == "gguf");
        CHECK(pinned->chosen->fits);
    }
}

TEST_CASE("E1: TensorRT-LLM serves a published FP8 checkpoint at 32 streams on an H100",
          "[planner]") {
    PlanRequest r;
    r.model = "llama-3.1-8b-instruct";
    r.concurrency = 32;
    auto plan = plan_deployment(r, target("server-dgx-h100-8x"), catalog());
    REQUIRE(plan);
    REQUIRE(plan->chosen);
    CHECK(plan->chosen->engine_id == "tensorrt-llm");
    CHECK(plan->chosen->settings.artifact_repository ==
          std::optional<std::string>("nvidia/Llama-3.1-8B-Instruct-FP8"));
    REQUIRE(plan->chosen->settings.gpu_memory_utilization);
    CHECK(*plan->chosen->settings.gpu_memory_utilization == Approx(0.9));
    const RuleFiring* vllm = firing(*plan, "E1-engine", "vllm");
    REQUIRE(vllm != nullptr); // the last vllm firing: displaced by TensorRT-LLM
    const bool displaced = std::any_of(plan->trace.begin(), plan->trace.end(), [](const auto& f) {
        return f.rule_id == "E1-engine" && f.subject == "vllm" && f.outcome == "rejected";
    });
    CHECK(displaced);

    // One stream: decode is bandwidth-bound, TensorRT-LLM is not planned.
    r.concurrency = 1;
    auto single = plan_deployment(r, target("server-dgx-h100-8x"), catalog());
    REQUIRE(single);
    REQUIRE(single->chosen);
    CHECK(single->chosen->engine_id != "tensorrt-llm");
    const RuleFiring* trt = firing(*single, "E1-engine", "tensorrt-llm");
    REQUIRE(trt != nullptr);
    CHECK(trt->outcome == "rejected");
}

TEST_CASE("E1: a pinned TensorRT-LLM on a Mac is refused, not planned", "[planner]") {
    PlanRequest r;
    r.engine = "tensorrt-llm";
    auto plan = plan_deployment(r, target("apple-m4-max-40gpu"), catalog());
    REQUIRE(plan);
    CHECK_FALSE(plan->chosen);
    CHECK_FALSE(plan->approved);
}

TEST_CASE("R11: an opt-out engine's risk keeps its evidence in the detail", "[planner]") {
    PlanRequest r;
    r.model = "llama-3.1-8b-instruct";
    r.concurrency = 32;
    auto plan = plan_deployment(r, target("server-dgx-h100-8x"), catalog());
    REQUIRE(plan);
    const auto risk = std::find_if(plan->risks.begin(), plan->risks.end(),
                                   [](const Risk& k) { return k.id == "R11-telemetry"; });
    REQUIRE(risk != plan->risks.end());
    CHECK(risk->title.find("TRTLLM_NO_USAGE_STATS") == std::string::npos);
    CHECK(risk->detail.find("TRTLLM_NO_USAGE_STATS=1") != std::string::npos);
    const auto json = render_plan_json(*plan, catalog());
    const std::string text = json.dump();
    CHECK(text.find("\"detail\":\"catalogue telemetry: opt-out; switch TRTLLM_NO_USAGE_STATS=1")
          != std::string::npos);
}
