// The planner's rules one at a time: Q1 normalisation and retention, Q2 fidelity, P1
// privacy, P4 over capacity, W1 battery, request checks, and the trace's rule ids.
#include <edgeplan/catalog/catalog.hpp>
#include <edgeplan/planner/planner.hpp>

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

bool fired(const Plan& plan, const std::string& rule, const std::string& outcome) {
    return std::any_of(plan.trace.begin(), plan.trace.end(), [&](const RuleFiring& f) {
        return f.rule_id == rule && f.outcome == outcome;
    });
}

} // namespace

TEST_CASE("Q1: retention follows the measured perplexity increase", "[planner]") {
    const QuantRetention q4 = quantization_retention("Q4_K_M", catalog());
    REQUIRE(q4.ppl_delta);
    CHECK(q4.retention == Approx(1.0 - 0.08 * *q4.ppl_delta));
    CHECK(q4.weight_bits == 4);
    CHECK(quantization_retention("BF16", catalog()).retention == 1.0);
    // A lower-bit preset keeps less; an MLX format borrows a measured preset.
    CHECK(quantization_retention("IQ2_M", catalog()).retention < q4.retention);
    const QuantRetention mlx = quantization_retention("mlx-4bit", catalog());
    CHECK(mlx.ppl_delta.has_value());
    CHECK(mlx.basis.find("borrows Q4_1") != std::string::npos);
}

TEST_CASE("Q1: published scores are normalised per benchmark; others are estimated", "[planner]") {
    const TaskQuality llama =
        task_quality(*catalog().find_model("llama-3.1-8b-instruct"), "chat", catalog());
    CHECK_FALSE(llama.estimated);
    // MMLU 69.4 on 25..90, MMLU-Pro 48.3 on 10..85, IFEval 80.4 on 20..95.
    const double expected =
        (100 * (69.4 - 25) / 65 + 100 * (48.3 - 10) / 75 + 100 * (80.4 - 20) / 75) / 3;
    CHECK(llama.score == Approx(expected));
    // Granite 3.1 publishes no code score in the catalogue: estimated from parameters.
    const TaskQuality small =
        task_quality(*catalog().find_model("granite-3.1-2b-instruct"), "code", catalog());
    CHECK(small.estimated);
    CHECK(small.basis.find("estimated") == 0);
    // A bigger sibling of an unscored model is estimated higher.
    const TaskQuality big =
        task_quality(*catalog().find_model("granite-3.1-8b-instruct"), "code", catalog());
    CHECK(big.estimated);
    CHECK(big.score > small.score);
}

TEST_CASE("Q2: code never gets a sub-4-bit or high-loss quantization", "[planner]") {
    PlanRequest r;
    r.task = "code";
    r.offline = true;
    auto plan = plan_deployment(r, target("laptop-rtx-4060"), catalog());
    REQUIRE(plan);
    REQUIRE(plan->chosen);
    const QuantRetention q = quantization_retention(plan->chosen->quantization, catalog());
    CHECK(q.weight_bits >= 4);
    CHECK(q.ppl_delta.value_or(0) <= high_fidelity_max_ppl_delta);
    CHECK(fired(*plan, "Q2-fidelity", "rejected"));
    for (const auto& ru : plan->runner_ups) {
        CHECK(quantization_retention(ru.quantization, catalog()).weight_bits >= 4);
    }
}

TEST_CASE("P1: offline plans drop engines that may phone home without a switch", "[planner]") {
    // A catalogue where mlx-lm's telemetry is unknown and has no switch.
    Catalog unknown = catalog();
    for (auto& e : unknown.engines) {
        if (e.id == "mlx-lm") {
            e.telemetry = "unknown";
            e.telemetry_switch.reset();
        }
    }
    PlanRequest r;
    r.offline = true;
    auto plan = plan_deployment(r, unknown.find_target("apple-m4-max-40gpu")->profile, unknown);
    REQUIRE(plan);
    REQUIRE(plan->chosen);
    CHECK(plan->chosen->engine_id != "mlx-lm");
    CHECK(fired(*plan, "P1-offline", "rejected"));
    r.offline = false;
    auto online = plan_deployment(r, unknown.find_target("apple-m4-max-40gpu")->profile, unknown);
    REQUIRE(online);
    CHECK_FALSE(fired(*online, "P1-offline", "rejected"));
}

TEST_CASE("P1: offline Apple plans evaluate mlx-lm, which has no telemetry", "[planner]") {
    PlanRequest r;
    r.offline = true;
    auto plan = plan_deployment(r, target("apple-m4-max-40gpu"), catalog());
    REQUIRE(plan);
    CHECK_FALSE(fired(*plan, "P1-offline", "rejected"));
    const bool evaluated = std::any_of(plan->trace.begin(), plan->trace.end(), [](const auto& f) {
        return f.rule_id == "E1-engine" && f.subject == "mlx-lm" && f.outcome == "noted";
    });
    CHECK(evaluated);
}

TEST_CASE("P4: a 70B on a Raspberry Pi is flagged with concrete alternatives", "[planner]") {
    PlanRequest r;
    r.model = "llama-3.3-70b-instruct";
    auto plan = plan_deployment(r, target("raspberry-pi-5-8gb"), catalog());
    REQUIRE(plan);
    CHECK_FALSE(plan->approved);
    CHECK_FALSE(plan->chosen);
    CHECK(fired(*plan, "P4-over-capacity", "flagged"));
    REQUIRE_FALSE(plan->alternatives.empty());
    for (const auto& a : plan->alternatives) {
        CHECK(a.change.has_value());
        CHECK_FALSE(a.memory.empty());
    }
}

TEST_CASE("W1: on battery no 16-bit weights and capped threads", "[planner]") {
    PlanRequest r;
    r.power = PowerMode::battery;
    auto plan = plan_deployment(r, target("raspberry-pi-5-8gb"), catalog());
    REQUIRE(plan);
    REQUIRE(plan->chosen);
    CHECK(quantization_retention(plan->chosen->quantization, catalog()).weight_bits < 16);
    CHECK(plan->chosen->settings.batch_tokens == 512);
    CHECK(plan->chosen->settings.threads <= 2); // half of the Pi 5's 4 cores
    CHECK(fired(*plan, "W1-power", "adjusted"));
}

TEST_CASE("S1: a required speed nobody reaches is not approved", "[planner]") {
    PlanRequest r;
    r.min_tokens_per_s = 5000;
    auto plan = plan_deployment(r, target("raspberry-pi-5-8gb"), catalog());
    REQUIRE(plan);
    CHECK_FALSE(plan->approved);
    REQUIRE(plan->chosen);
    CHECK(plan->verdict.find("--min-tps") != std::string::npos);
}

TEST_CASE("request checks name the flag at fault", "[planner]") {
    PlanRequest r;
    r.task = "chatt";
    auto bad_task = plan_deployment(r, target("raspberry-pi-5-8gb"), catalog());
    REQUIRE_FALSE(bad_task);
    CHECK(bad_task.error().where == "--task");
    r.task = "agent"; // alias of tool-use
    CHECK(check_plan_request(r, catalog()));
    r.engine = "sglang"; // in the catalogue, not modelled
    auto sglang = check_plan_request(r, catalog());
    REQUIRE_FALSE(sglang);
    CHECK(sglang.error().where == "--engine");
    r.engine = "ollama"; // modelled: runs llama.cpp's ggml runner
    CHECK(check_plan_request(r, catalog()));
    r.engine = "tensorrt-llm";
    CHECK(check_plan_request(r, catalog()));
    r.engine.reset();
    r.concurrency = 0;
    CHECK_FALSE(check_plan_request(r, catalog()));
}

TEST_CASE("defaults: task contexts and targets are documented numbers", "[planner]") {
    CHECK(default_task_context("chat") == 8192);
    CHECK(default_task_context("code") == 32768);
    CHECK(default_task_context("embedding") == 8192);
    CHECK(default_task_targets("chat").tokens_per_s == 10);
    const ScoreWeights w = score_weights(Preference::balanced);
    CHECK(w.quality + w.speed + w.engine + w.headroom + w.power == Approx(1.0));
    CHECK(score_weights(Preference::quality).quality > w.quality);
    CHECK(score_weights(Preference::speed).speed > w.speed);
}
