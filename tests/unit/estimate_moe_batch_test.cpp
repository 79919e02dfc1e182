// MoE under batching: a step of b tokens reads the union of their experts, so the weight
// bytes per step grow with the batch instead of staying at one token's active experts.
#include "estimate/speed_internal.hpp"

#include <edgeplan/estimate/speed.hpp>

#include <catch2/catch.hpp>

#include <cmath>

using namespace edgeplan;

namespace {

// Qwen3-30B-A3B-shaped share on an RTX 4090: 128 experts, 8 per token; 1.0 GB of dense
// weights and 0.9 GB of the active experts (8 of 128) per token, all on the GPU.
DeviceShare moe_share() {
    DeviceShare d;
    d.device_id = "gpu0";
    d.backend = BackendClass::cuda_discrete;
    d.bandwidth_gbps = 1008;
    d.compute_tflops = 165.2;
    d.weight_bytes = 1.9e9;
    d.routed_expert_bytes = 0.9e9;
    d.experts = 128;
    d.experts_per_token = 8;
    d.active_parameters = 3.3e9;
    d.kv_bytes_per_context_token = 98304;
    d.layers = 48;
    return d;
}

} // namespace

TEST_CASE("a dense share reads the same weights whatever the batch", "[estimate][speed][moe]") {
    DeviceShare dense = moe_share();
    dense.routed_expert_bytes = 0;
    dense.experts = 0;
    for (double tokens : {1.0, 4.0, 64.0}) {
        CHECK(detail::step_weight_bytes(dense, tokens) == dense.weight_bytes);
    }
}

TEST_CASE("a batch reads the expected union of its tokens' experts", "[estimate][speed][moe]") {
    const DeviceShare d = moe_share();
    CHECK(detail::step_weight_bytes(d, 1.0) == d.weight_bytes);
    // 16 tokens: 128 x (1 - (120/128)^16) = 82.4 distinct experts per layer, not 8.
    const double union16 = 128.0 * (1.0 - std::pow(120.0 / 128.0, 16.0));
    CHECK(union16 == Approx(82.4).margin(0.1));
    CHECK(detail::step_weight_bytes(d, 16.0) == Approx(1.0e9 + 0.9e9 * union16 / 8.0));
    // A large batch touches every expert: all 16x the active expert bytes.
    CHECK(detail::step_weight_bytes(d, 4096.0) == Approx(1.0e9 + 0.9e9 * 16.0).epsilon(1e-6));
}

TEST_CASE("MoE throughput under load grows less than a dense model of the same active bytes",
          "[estimate][speed][moe]") {
    ConcurrencyInputs moe;
    moe.devices = {moe_share()};
    moe.context_tokens = 1024;
    moe.max_streams = 16;
    ConcurrencyInputs dense = moe;
    dense.devices[0].routed_expert_bytes = 0;
    dense.devices[0].experts = 0;
    auto m = estimate_concurrency(moe);
    auto d = estimate_concurrency(dense);
    REQUIRE(m.ok());
    REQUIRE(d.ok());
    // One stream: identical. Sixteen: the MoE step reads ~10x the expert bytes.
    CHECK(m->points.front().per_stream_tokens_per_s ==
          Approx(d->points.front().per_stream_tokens_per_s));
    CHECK(m->points.back().per_stream_tokens_per_s <
          0.6 * d->points.back().per_stream_tokens_per_s);
}
