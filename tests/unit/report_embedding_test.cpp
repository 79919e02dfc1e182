// The plan report for an embedding model speaks embedding: inputs embedded per second, the time
// to embed one input and, for a BERT-style encoder, no KV cache. An embedder decodes nothing, so
// no decode row, no "0 B" KV cache and no TTFT wording appear (Markdown and JSON alike).
#include "planner_run_fixtures.hpp"

#include <edgeplan/core/embedding_serving.hpp>
#include <edgeplan/report/plan_report.hpp>

#include <algorithm>
#include <string>

using namespace edgeplan;
using plan_fixtures::catalog;
using plan_fixtures::contains;

namespace {

/// The embedding plan of the vm-cpu e2e case: nomic-embed-text (an encoder) on a small CPU.
Plan encoder_plan() {
    PlanRequest request;
    request.task = "embedding";
    request.offline = true;
    Plan plan = plan_fixtures::plan_on("raspberry-pi-5-8gb", request);
    REQUIRE(plan.chosen);
    return plan;
}

} // namespace

TEST_CASE("embedding report: an encoder plan shows no decode and no KV cache",
          "[report][embedding]") {
    const Plan plan = encoder_plan();
    const Candidate& c = *plan.chosen;
    INFO(c.model_id);
    REQUIRE(c.speed.prefill_tokens_per_s);
    const std::string md = render_plan_markdown(plan, catalog());
    CHECK_FALSE(contains(md, "| Decode, 1 stream"));
    CHECK_FALSE(contains(md, "**Decode**"));
    CHECK_FALSE(contains(md, "| Decode tok/s |"));
    CHECK_FALSE(contains(md, "-token prompt"));
    CHECK_FALSE(contains(md, "output tokens"));
    CHECK(contains(md, "**Embedding**"));
    CHECK(contains(md, "| Input tokens embedded per second (prefill, S1) |"));
    CHECK(contains(md, "| Time to embed one 512-token input |"));
    CHECK(contains(md, "| Inputs embedded per second, 512 tokens each |"));
    CHECK(contains(md, "| Embedded tok/s (prefill) |"));
    CHECK_FALSE(contains(md, "TTFT"));
    CHECK(contains(md, "time per input "));
    if (c.memory.front().kv_cache_bytes == 0) {
        // The encoder route (embedding_route.cpp) holds no KV cache.
        CHECK(contains(md, "| none (encoder) |"));
        CHECK(contains(md, "no KV cache (encoder)"));
        CHECK_FALSE(contains(md, "0 B KV cache"));
        CHECK_FALSE(contains(md, " 0.0 GiB KV "));
        CHECK_FALSE(contains(md, "KV 0 B"));
        CHECK(contains(md, "for weights and buffers;"));
        CHECK_FALSE(contains(md, "quantized V cache"));
    }
}

TEST_CASE("embedding report: JSON carries the embedding figures", "[report][embedding]") {
    const Plan plan = encoder_plan();
    const auto doc = render_plan_json(plan, catalog());
    const auto& sections = doc.at("sections");
    const auto performance = std::find_if(sections.begin(), sections.end(), [](const auto& s) {
        return s.at("number") == 5;
    });
    REQUIRE(performance != sections.end());
    REQUIRE(performance->contains("embedding"));
    const auto& e = performance->at("embedding");
    const double rate = *plan.chosen->speed.prefill_tokens_per_s;
    CHECK(e.at("input_tokens_per_s").get<double>() == Approx(rate));
    CHECK(e.at("request_tokens").get<int>() == 512);
    CHECK(e.at("inputs_per_s").get<double>() == Approx(rate / 512.0));
    CHECK(e.at("kv_cache").get<bool>() == (plan.chosen->memory.front().kv_cache_bytes != 0));

    // A chat plan has no embedding block.
    PlanRequest chat;
    chat.task = "chat";
    const auto llm = render_plan_json(plan_fixtures::plan_on("raspberry-pi-5-8gb", chat),
                                      catalog());
    for (const auto& s : llm.at("sections")) {
        CHECK_FALSE(s.contains("embedding"));
    }
}

TEST_CASE("embedding: pooling comes from the catalogue field, not the model id",
          "[embedding][catalog]") {
    const Model* nomic = catalog().find_model("nomic-embed-text-v1.5");
    REQUIRE(nomic != nullptr);
    Model renamed = *nomic; // a fine-tune under another id keeps its card's pooling
    renamed.id = "my-domain-embedder";
    CHECK(llama_cpp_pooling(renamed) == std::optional<std::string>("mean"));
    Model mislabelled = *nomic; // an id prefix says nothing about the pooling
    mislabelled.id = "qwen3-embedding-distilled";
    CHECK(llama_cpp_pooling(mislabelled) == std::optional<std::string>("mean"));
    for (const Model& m : catalog().models) {
        const bool embeds =
            std::find(m.tasks.begin(), m.tasks.end(), "embedding") != m.tasks.end();
        INFO(m.id);
        CHECK(embeds == m.architecture.pooling.has_value());
    }
}
