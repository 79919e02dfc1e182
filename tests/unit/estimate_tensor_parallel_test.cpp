// Paged engines (vLLM, TensorRT-LLM) on a multi-GPU host shard over the fewest GPUs that
// hold weights + KV for the requested sequences: a power of two the heads divide by.
#include <edgeplan/catalog/catalog.hpp>
#include <edgeplan/estimate/fit.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

using namespace edgeplan;

namespace {

const Catalog& catalog() {
    static const Catalog loaded = *load_catalog(CatalogSource::embedded());
    return loaded;
}

const HardwareProfile& dgx() {
    return catalog().find_target("server-dgx-h100-8x")->profile;
}

int gpus_in_plan(const FitEvaluation& e) {
    return static_cast<int>(
        std::count_if(e.memory.plan.devices.begin(), e.memory.plan.devices.end(),
                      [](const DeviceMemoryUse& u) { return u.kind == MemoryDeviceKind::gpu; }));
}

bool has_flag(const FitEvaluation& e, const std::string& flag) {
    return std::any_of(e.memory.command.begin(), e.memory.command.end(),
                       [&](const std::string& word) { return word.rfind(flag, 0) == 0; });
}

} // namespace

TEST_CASE("tensor parallel: an 8B at one stream runs on one of eight H100s",
          "[estimate][tensor-parallel]") {
    for (const FitEngine engine : {FitEngine::vllm, FitEngine::tensorrt_llm}) {
        FitRequest r;
        r.model = catalog().find_model("llama-3.1-8b-instruct");
        REQUIRE(r.model != nullptr);
        r.engine = engine;
        r.quantization = "bf16";
        auto report = fit_model(r, dgx(), catalog());
        REQUIRE(report);
        const FitEvaluation& e = report->result;
        CHECK(e.verdict != FitVerdict::does_not_fit);
        CHECK(e.memory.gpus_available == 8);
        CHECK(e.memory.tensor_parallel == 1);
        CHECK(gpus_in_plan(e) == 1);
        CHECK_FALSE(has_flag(e, "--tensor-parallel-size"));
        CHECK_FALSE(has_flag(e, "--tp_size"));
        const bool says_free = std::any_of(e.notes.begin(), e.notes.end(), [](const auto& n) {
            return n.find("7 others stay free") != std::string::npos;
        });
        CHECK(says_free);
        // The speed side reads only the GPU used: one device share, no hop.
        REQUIRE(e.speed.devices.size() == 1);
        CHECK(e.speed.devices.front().device_id == "gpu0");
    }
}

TEST_CASE("tensor parallel: a 70B in BF16 takes the fewest GPUs its weights need",
          "[estimate][tensor-parallel]") {
    FitRequest r;
    r.model = catalog().find_model("llama-3.1-70b-instruct");
    REQUIRE(r.model != nullptr);
    r.engine = FitEngine::vllm;
    r.quantization = "bf16";
    auto report = fit_model(r, dgx(), catalog());
    REQUIRE(report);
    const FitEvaluation& e = report->result;
    CHECK(e.verdict != FitVerdict::does_not_fit);
    const int tp = e.memory.tensor_parallel;
    CHECK((tp == 2 || tp == 4));
    CHECK(gpus_in_plan(e) == tp);
    CHECK(r.model->architecture.attention_heads.value_or(0) % tp == 0);
    // Minimal: half as many GPUs could not hold the weights alone.
    const auto gpu =
        std::find_if(e.memory.devices.begin(), e.memory.devices.end(),
                     [](const MemoryDevice& d) { return d.kind == MemoryDeviceKind::gpu; });
    REQUIRE(gpu != e.memory.devices.end());
    CHECK(e.memory.weight_bytes > gpu->usable_bytes() * static_cast<std::uint64_t>(tp / 2));
    CHECK(has_flag(e, "--tensor-parallel-size"));
}

TEST_CASE("tensor parallel: the speed side reads every layer's slice on each rank at once",
          "[estimate][tensor-parallel]") {
    FitRequest r;
    r.model = catalog().find_model("llama-3.1-70b-instruct");
    REQUIRE(r.model != nullptr);
    r.engine = FitEngine::vllm;
    r.quantization = "bf16";
    auto report = fit_model(r, dgx(), catalog());
    REQUIRE(report);
    const FitEvaluation& e = report->result;
    const int tp = e.memory.tensor_parallel;
    REQUIRE(tp > 1);
    REQUIRE(static_cast<int>(e.speed.devices.size()) == tp);
    for (const DeviceShare& rank : e.speed.devices) {
        REQUIRE(rank.tensor_parallel.has_value());
        CHECK(rank.layers == r.model->architecture.layers.value_or(0));
        CHECK(rank.weight_bytes == Approx(e.speed.devices.front().weight_bytes));
        CHECK(rank.tensor_parallel->link.nvlink); // the DGX preset's 450 GB/s NVLink
    }
    // One step streams one rank's share: tok/s is bounded by a single GPU reading 1/tp of
    // the weights, not by the sum over GPUs a layer split would read in turn.
    const double one_rank_s = e.speed.devices.front().weight_bytes / (3350e9 * 0.9);
    REQUIRE(e.speed.decode_short_tokens_per_s.value);
    CHECK(*e.speed.decode_short_tokens_per_s.value < 1.0 / one_rank_s);
    CHECK(*e.speed.decode_short_tokens_per_s.value > 1.0 / (tp * one_rank_s));
    const bool says_nvlink = std::any_of(e.notes.begin(), e.notes.end(), [](const auto& n) {
        return n.find("all-reduces over NVLink") != std::string::npos;
    });
    CHECK(says_nvlink);
}

TEST_CASE("tensor parallel: without a link figure PCIe is assumed and the plan says so",
          "[estimate][tensor-parallel]") {
    HardwareProfile profile = dgx();
    for (auto& gpu : profile.gpus) {
        gpu.peer_link_gbps = {};
    }
    FitRequest r;
    r.model = catalog().find_model("llama-3.1-70b-instruct");
    REQUIRE(r.model != nullptr);
    r.engine = FitEngine::vllm;
    r.quantization = "bf16";
    auto pcie = fit_model(r, profile, catalog());
    auto nvlink = fit_model(r, dgx(), catalog());
    REQUIRE(pcie);
    REQUIRE(nvlink);
    const auto& notes = pcie->result.notes;
    const bool says_assumed = std::any_of(notes.begin(), notes.end(), [](const auto& n) {
        return n.find("PCIe 4.0 x16 is assumed") != std::string::npos;
    });
    CHECK(says_assumed);
    REQUIRE(pcie->result.speed.decode_short_tokens_per_s.value);
    CHECK(*pcie->result.speed.decode_short_tokens_per_s.value <
          *nvlink->result.speed.decode_short_tokens_per_s.value);
}

TEST_CASE("tensor parallel: a larger size asked for reads a smaller slice per GPU",
          "[estimate][tensor-parallel]") {
    // The planner raises min_tensor_parallel when the fewest GPUs miss a speed target.
    FitRequest r;
    r.model = catalog().find_model("llama-3.1-70b-instruct");
    REQUIRE(r.model != nullptr);
    r.engine = FitEngine::vllm;
    r.quantization = "bf16";
    auto settings = resolve_fit_settings(r, dgx(), catalog());
    REQUIRE(settings);
    auto smallest = evaluate_fit(*settings, dgx(), catalog());
    REQUIRE(smallest);
    settings->min_tensor_parallel = 2 * smallest->memory.tensor_parallel;
    auto larger = evaluate_fit(*settings, dgx(), catalog());
    REQUIRE(larger);
    CHECK(larger->memory.tensor_parallel == 2 * smallest->memory.tensor_parallel);
    CHECK(larger->verdict != FitVerdict::does_not_fit);
    CHECK(*larger->speed.decode_short_tokens_per_s.value >
          *smallest->speed.decode_short_tokens_per_s.value);
    CHECK(*larger->speed.ttft_s.value < *smallest->speed.ttft_s.value);
}
