// Embedding plans on llama.cpp: the deployment files and the verification steps start
// llama-server with /v1/embeddings on, the model card's pooling and a micro-batch that holds a
// whole input, and section 7 checks /v1/embeddings rather than chat.

#include "report_plan_fixtures.hpp"

#include <edgeplan/core/embedding_serving.hpp>
#include <edgeplan/estimate/fit.hpp>
#include <edgeplan/planner/sections.hpp>
#include <edgeplan/report/config_files.hpp>

#include <algorithm>

using namespace edgeplan;
using namespace report_fixtures;

namespace {

/// gpu_llama_plan (context 8192 per slot, 2 slots, -ub 512) turned into an embedding plan.
Plan embedding_plan(const std::string& model_id) {
    Plan plan = gpu_llama_plan();
    plan.request.task = "embedding";
    plan.chosen->model_id = model_id;
    plan.chosen->settings.lora_adapters.clear();
    plan.chosen->settings.draft_model_id.reset();
    return plan;
}

Plan on_engine(Plan plan, const std::string& engine) {
    plan.chosen->engine_id = engine;
    plan.chosen->settings.engine_id = engine;
    return plan;
}

bool contains(const std::string& text, const std::string& needle) {
    return text.find(needle) != std::string::npos;
}

} // namespace

TEST_CASE("embedding: pooling follows each catalogue embedder's model card", "[embedding]") {
    const auto pooling = [](const char* id) {
        const Model* model = catalog().find_model(id);
        REQUIRE(model != nullptr);
        return llama_cpp_pooling(*model);
    };
    CHECK(pooling("qwen3-embedding-0.6b") == std::optional<std::string>("last"));
    CHECK(pooling("qwen3-embedding-8b") == std::optional<std::string>("last"));
    CHECK(pooling("nomic-embed-text-v1.5") == std::optional<std::string>("mean"));
    CHECK(pooling("bge-m3") == std::optional<std::string>("cls"));
    CHECK_FALSE(pooling("llama-3.1-8b-instruct")); // no rule: the GGUF's own pooling_type
    // One ubatch holds the longest input; a larger configured ubatch is kept.
    CHECK(llama_cpp_embedding_batch(8192, 512) == 8192);
    CHECK(llama_cpp_embedding_batch(256, 512) == 512);
}

TEST_CASE("embedding: llama-server script and unit serve /v1/embeddings", "[embedding][config]") {
    const DeploymentConfig config =
        deployment_config(embedding_plan("qwen3-embedding-0.6b"), catalog());
    REQUIRE(config.files.size() >= 2);
    for (const auto& file : {config.files.at(0), config.files.at(1)}) {
        INFO(file.name << "\n" << file.content);
        CHECK(contains(file.content, "--embeddings"));
        CHECK(contains(file.content, "--pooling last"));
        CHECK(contains(file.content, "-ub 8192"));
        CHECK(contains(file.content, "-b 8192"));
        CHECK_FALSE(contains(file.content, "-ub 512"));
    }
    const DeploymentConfig nomic =
        deployment_config(embedding_plan("nomic-embed-text-v1.5"), catalog());
    CHECK(contains(nomic.files.at(0).content, "--pooling mean"));

    // Every embedding switch is one the catalogue verified for llama-server.
    const Engine* engine = catalog().find_engine("llama.cpp");
    REQUIRE(engine != nullptr);
    const auto& verified = engine->flags.at("llama-server");
    for (const char* flag : {"--embeddings", "--pooling", "-b", "-ub"}) {
        INFO(flag);
        CHECK(std::find(verified.begin(), verified.end(), flag) != verified.end());
    }

    // A chat plan keeps its batch settings and serves no embeddings.
    const std::string chat = deployment_config(gpu_llama_plan(), catalog()).files.at(0).content;
    CHECK_FALSE(contains(chat, "--embeddings"));
    CHECK_FALSE(contains(chat, "--pooling"));
    CHECK(contains(chat, "-ub 512"));
}

TEST_CASE("embedding: verification starts the embedding server and calls /v1/embeddings",
          "[embedding][planner]") {
    const Plan plan = embedding_plan("qwen3-embedding-0.6b");
    const std::vector<VerificationStep> steps =
        plan_verification(plan.request, plan.hardware, *plan.chosen, catalog());
    const auto step_with = [&](const std::string& needle) {
        return std::find_if(steps.begin(), steps.end(),
                            [&](const VerificationStep& s) { return contains(s.command, needle); });
    };
    const auto server = step_with("llama-server");
    REQUIRE(server != steps.end());
    CHECK(contains(server->command, "--embeddings"));
    CHECK(contains(server->command, "--pooling last"));
    CHECK(contains(server->command, "-ub 8192"));
    const auto request = step_with("/v1/embeddings");
    REQUIRE(request != steps.end());
    CHECK(contains(request->expect, "data[0].embedding, a vector of 1024 numbers"));
    CHECK(step_with("/v1/chat/completions") == steps.end());
    const auto bench = step_with("llama-bench");
    REQUIRE(bench != steps.end());
    CHECK(contains(bench->command, "-n 0"));
    CHECK_FALSE(contains(bench->expect, "tg"));
}

TEST_CASE("embedding: Ollama checks /api/embed without silent truncation", "[embedding][config]") {
    Plan plan = on_engine(embedding_plan("nomic-embed-text-v1.5"), "ollama");
    const DeploymentConfig config = deployment_config(plan, catalog());
    const auto check = std::find_if(config.check.begin(), config.check.end(),
                                    [](const auto& c) { return contains(c, "/api/embed"); });
    REQUIRE(check != config.check.end());
    CHECK(contains(*check, "\"truncate\":false"));
    const std::vector<VerificationStep> steps =
        plan_verification(plan.request, plan.hardware, *plan.chosen, catalog());
    CHECK(std::any_of(steps.begin(), steps.end(),
                      [](const auto& s) { return contains(s.command, "/api/embed"); }));
    CHECK(std::none_of(steps.begin(), steps.end(),
                       [](const auto& s) { return contains(s.command, "ollama run"); }));
}

TEST_CASE("embedding: an input-sized micro-batch grows llama.cpp's compute buffer",
          "[embedding][fit]") {
    // The lm_head stays in llama.cpp's embedding graph (issue #24713), so the reserved logits
    // (4 bytes x vocab x ubatch) grow with -ub: 16x the default 512 for an 8192-token input.
    const Model* model = catalog().find_model("qwen3-embedding-0.6b");
    REQUIRE(model != nullptr);
    const HardwareProfile profile = target("desktop-rtx-4090");
    FitRequest request;
    request.model = model;
    request.quantization = "Q8_0";
    request.context_tokens = 8192;
    const auto total = [&](std::optional<int> ubatch) {
        FitRequest r = request;
        r.ubatch_tokens = ubatch;
        auto settings = resolve_fit_settings(r, profile, catalog());
        REQUIRE(settings);
        CHECK(settings->ubatch_tokens == ubatch.value_or(512));
        auto fit = evaluate_fit(*settings, profile, catalog());
        REQUIRE(fit);
        return static_cast<double>(fit->memory.total_bytes);
    };
    const double grown = total(8192) - total(std::nullopt);
    const double logits = 4.0 * static_cast<double>(*model->architecture.vocab_size) * (8192 - 512);
    CHECK(grown >= 0.9 * logits);
    CHECK(grown <= 1.2 * logits);
    FitRequest bad = request;
    bad.ubatch_tokens = 0;
    CHECK_FALSE(resolve_fit_settings(bad, profile, catalog()));
}
