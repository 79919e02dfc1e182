// estimate_npu: NPU artifact memory (published size or params x bits, KV at the compiled
// context, overhead) and speed (published figures, else unknown with a bandwidth bound).
#include <edgeplan/estimate/npu_runtime.hpp>

#include <catch2/catch.hpp>

using namespace edgeplan;

namespace {

/// Llama 3.2 3B (28 layers, 8 KV heads of 128) as Qualcomm's Genie export on X Elite.
NpuInputs llama_3b_genie() {
    NpuInputs in;
    in.parameters = 3212749824ULL;
    in.bits_per_weight = 4;
    in.layers = 28;
    in.kv_heads = 8;
    in.head_dim = 128;
    in.context_tokens = 4096;
    in.overhead_bytes = 100ULL << 20;
    in.usable_bytes = 12ULL << 30;
    in.published_decode_tokens_per_s = 18.4176;
    in.published_ttft_ms_min = 125.936;
    in.prompt_chunk_tokens = 128;
    in.prompt_tokens = 4096;
    in.bandwidth_gbps = 135;
    return in;
}

} // namespace

TEST_CASE("npu: weights from parameters x bits, KV at the compiled context", "[npu]") {
    const auto e = estimate_npu(llama_3b_genie());
    REQUIRE(e);
    CHECK(e->weights_bytes == 1606374912ULL);         // 3.21e9 x 4 / 8
    CHECK(e->kv_bytes == 2ULL * 28 * 8 * 128 * 4096 * 2); // 448 MiB, fixed by the graph
    CHECK(e->total_bytes() == e->weights_bytes + e->kv_bytes + (100ULL << 20));
    CHECK(e->fits());
}

TEST_CASE("npu: a published size replaces parameters x bits", "[npu]") {
    NpuInputs in = llama_3b_genie();
    in.artifact_size_bytes = 2620000000ULL;
    const auto e = estimate_npu(in);
    REQUIRE(e);
    CHECK(e->weights_bytes == 2620000000ULL);
    CHECK(e->weights_basis == "published size 2.62 GB");
}

TEST_CASE("npu: TTFT reproduces the published maximum from the per-pass minimum", "[npu]") {
    // Published: 125.936 ms for one 128-token pass, 4029.952 ms for the full 4096 context.
    const auto full = estimate_npu(llama_3b_genie());
    REQUIRE(full);
    REQUIRE(full->ttft_ms);
    CHECK(*full->ttft_ms == Approx(4029.952).epsilon(1e-4));
    NpuInputs in = llama_3b_genie();
    in.prompt_tokens = 129; // two passes
    CHECK(*estimate_npu(in)->ttft_ms == Approx(2 * 125.936));
    CHECK(*full->decode_tokens_per_s == Approx(18.4176));
}

TEST_CASE("npu: without a published figure the speed is unknown, with the bound said",
          "[npu]") {
    NpuInputs in = llama_3b_genie();
    in.published_decode_tokens_per_s.reset();
    in.published_ttft_ms_min.reset();
    const auto e = estimate_npu(in);
    REQUIRE(e);
    CHECK_FALSE(e->decode_tokens_per_s);
    CHECK_FALSE(e->ttft_ms);
    REQUIRE(e->decode_bound_tokens_per_s);
    // 135 GB/s over 1.61 GB of weights + 0.47 GB of KV: about 65 tok/s at most.
    CHECK(*e->decode_bound_tokens_per_s == Approx(135e9 / (1606374912.0 + 469762048.0)));
    CHECK(e->speed_basis.find("NPU efficiency unknown") != std::string::npos);
}

TEST_CASE("npu: does not fit when the shared RAM is too small", "[npu]") {
    NpuInputs in = llama_3b_genie();
    in.usable_bytes = 2ULL << 30;
    const auto e = estimate_npu(in);
    REQUIRE(e);
    CHECK_FALSE(e->fits());
    in.usable_bytes = 0; // unknown RAM never fits
    CHECK_FALSE(estimate_npu(in)->fits());
}

TEST_CASE("npu: nothing to estimate without weights or KV dimensions", "[npu]") {
    NpuInputs in = llama_3b_genie();
    in.parameters.reset();
    CHECK_FALSE(estimate_npu(in));
    in = llama_3b_genie();
    in.head_dim = 0;
    CHECK_FALSE(estimate_npu(in));
}
