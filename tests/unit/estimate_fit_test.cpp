// `fit` orchestration: defaults, verdicts, the memory -> speed adapter, alternatives and
// request checks, on catalogue models and target presets.
#include <edgeplan/catalog/catalog.hpp>
#include <edgeplan/catalog/model_spec.hpp>
#include <edgeplan/estimate/fit.hpp>

#include <catch2/catch.hpp>

using namespace edgeplan;

namespace {

const Catalog& catalog() {
    static const Catalog loaded = *load_catalog(CatalogSource::embedded());
    return loaded;
}

const HardwareProfile& target(const std::string& id) {
    return catalog().find_target(id)->profile;
}

FitRequest request_for(const std::string& model) {
    FitRequest r;
    r.model = catalog().find_model(model);
    REQUIRE(r.model != nullptr);
    return r;
}

} // namespace

TEST_CASE("fit: Llama 3.1 8B Q4_K_M fits an RTX 4090 and decodes like llama-bench", "[estimate]") {
    FitRequest r = request_for("llama-3.1-8b-instruct");
    r.quantization = "Q4_K_M";
    auto report = fit_model(r, target("desktop-rtx-4090"), catalog());
    REQUIRE(report);
    const FitEvaluation& e = report->result;
    CHECK(e.verdict == FitVerdict::fits);
    CHECK(e.memory.plan.strategy == PlacementStrategy::gpu_full);
    CHECK(e.settings.context_tokens == 8192);
    CHECK(report->alternatives.empty());
    // XiongjieDai/GPU-Benchmarks-on-LLM-Inference, 4090 Llama 3 8B Q4_K_M tg512 130.58 t/s
    // (shared/reference/measurements/cuda_llamacpp_calibration.csv); fit's figure at a
    // 512-token context must stay within the speed model's validated error.
    REQUIRE(e.speed.decode_short_tokens_per_s.value);
    CHECK(*e.speed.decode_short_tokens_per_s.value == Approx(130.58).epsilon(0.10));
    // The same code as the speed model: the adapter's shares give the same figure.
    auto step = decode_step(e.speed.devices, 512);
    REQUIRE(step);
    CHECK(*e.speed.decode_short_tokens_per_s.value == Approx(step->tokens_per_s()));
    CHECK(e.memory.command.front() == "llama-server");
}

TEST_CASE("fit: the adapter streams only the active experts and no input embedding",
          "[estimate]") {
    FitRequest r = request_for("qwen3-30b-a3b");
    auto report = fit_model(r, target("laptop-rtx-4060"), catalog());
    REQUIRE(report);
    const FitEvaluation& e = report->result;
    CHECK(e.verdict == FitVerdict::fits_with_offload);
    CHECK(e.memory.plan.strategy == PlacementStrategy::moe_experts_on_cpu);
    double streamed = 0;
    for (const auto& d : e.speed.devices) {
        streamed += d.weight_bytes;
    }
    // 8 of 128 experts per token: far less than the weights, more than the 3.3B active
    // parameters' non-embedding share alone would not be.
    CHECK(streamed < 0.2 * static_cast<double>(e.memory.weight_bytes));
    // The laptop preset has no system memory bandwidth: decode is unknown, with a reason.
    CHECK_FALSE(e.speed.decode_short_tokens_per_s.value);
    CHECK_THAT(e.speed.decode_short_tokens_per_s.unknown_reason,
               Catch::Contains("system memory bandwidth is unknown"));
}

TEST_CASE("fit: a 70B on a 24 GB M4 Pro does not fit and offers alternatives", "[estimate]") {
    FitRequest r = request_for("llama-3.3-70b-instruct");
    auto report = fit_model(r, target("apple-m4-pro-20gpu"), catalog());
    REQUIRE(report);
    CHECK(report->result.verdict == FitVerdict::does_not_fit);
    REQUIRE_FALSE(report->result.shortfall.empty());
    CHECK(report->result.shortfall.front().missing_bytes() > (20ull << 30));
    REQUIRE_FALSE(report->alternatives.empty());
    bool smaller_model = false;
    for (const auto& alt : report->alternatives) {
        if (alt.kind != "ssd-streaming") {
            CHECK(alt.evaluation.verdict != FitVerdict::does_not_fit);
            CHECK(alt.evaluation.memory.plan.fits);
        }
        smaller_model = smaller_model || alt.kind == "model";
    }
    CHECK(smaller_model);
    CHECK(report->alternatives.back().kind == "ssd-streaming");
}

TEST_CASE("fit: a shorter context is offered when the KV cache is what does not fit",
          "[estimate]") {
    FitRequest r = request_for("llama-3.1-8b-instruct");
    r.quantization = "Q8_0";
    r.context_tokens = 131072;
    auto report = fit_model(r, target("desktop-rtx-4060-ti-16gb"), catalog());
    REQUIRE(report);
    bool context = false;
    for (const auto& alt : report->alternatives) {
        if (alt.kind == "context") {
            context = true;
            CHECK(alt.evaluation.settings.context_tokens < 131072);
        }
    }
    CHECK((report->result.verdict != FitVerdict::does_not_fit || context));
}

TEST_CASE("fit: vLLM takes its KV budget from the utilization cap", "[estimate]") {
    FitRequest r = request_for("llama-3.1-8b-instruct");
    r.engine = FitEngine::vllm;
    r.quantization = "awq-int4";
    r.context_tokens = 4096;
    r.concurrency = 16;
    auto report = fit_model(r, target("desktop-rtx-4090"), catalog());
    REQUIRE(report);
    const FitEvaluation& e = report->result;
    CHECK(e.verdict == FitVerdict::fits);
    REQUIRE(e.memory.vllm);
    CHECK(e.memory.max_sequences == e.memory.vllm->max_concurrent_sequences);
    CHECK(e.memory.max_sequences >= 16);
    CHECK(e.speed.concurrency.back().aggregate_tokens_per_s >
          4 * e.speed.concurrency.front().aggregate_tokens_per_s);
}

TEST_CASE("fit: request checks are usage errors naming the flag", "[estimate]") {
    const HardwareProfile& rtx = target("desktop-rtx-4090");
    FitRequest r = request_for("qwen3-4b");
    r.context_tokens = 65536;
    auto above = resolve_fit_settings(r, rtx, catalog());
    REQUIRE_FALSE(above);
    CHECK(above.error().code == ExitCode::usage);
    CHECK(above.error().where == "--context");
    CHECK_THAT(above.error().message, Catch::Contains("40960"));

    r = request_for("qwen3-4b");
    r.quantization = "awq-int4";
    auto wrong_engine = resolve_fit_settings(r, rtx, catalog());
    REQUIRE_FALSE(wrong_engine);
    CHECK(wrong_engine.error().where == "--quant");

    r = request_for("qwen3-4b");
    r.engine = FitEngine::mlx_lm;
    auto no_apple = resolve_fit_settings(r, rtx, catalog());
    REQUIRE_FALSE(no_apple);
    CHECK(no_apple.error().where == "--engine");

    r = request_for("qwen3-4b");
    r.kv_type = "q4_0";
    r.flash_attention = FlashAttentionChoice::off;
    CHECK_FALSE(resolve_fit_settings(r, rtx, catalog()));
}

TEST_CASE("fit: a model spec is read by the catalogue's model reader", "[estimate]") {
    const std::string entry = R"({"id": "x-1b", "name": "X", "family": "x", "publisher": "p",
        "open_weights": true, "modalities": {"input": ["text"], "output": ["text"]},
        "tasks": ["chat"], "parameters": {"total": 1000000000},
        "architecture": {"layers": 16, "hidden_size": 2048, "attention_heads": 32,
        "kv_heads": 8, "head_dim": 64, "ffn_size": 8192, "vocab_size": 32000,
        "tied_embeddings": true, "max_context_tokens": 8192}})";
    auto bare = read_model_spec(entry, "x.json");
    REQUIRE(bare);
    CHECK(bare->id == "x-1b");
    auto wrapped = read_model_spec(R"({"models": [)" + entry + "]}", "x.json");
    REQUIRE(wrapped);
    auto bad = read_model_spec(R"({"id": "x", "architecture": {"layers": 0}})", "x.json");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == ExitCode::bad_input);
    CHECK_THAT(bad.error().where, Catch::StartsWith("x.json: /"));
    CHECK_THAT(bad.error().where, !Catch::Contains("/models/0"));
}
