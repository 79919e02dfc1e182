// Tensor-parallel physics: the ring all-reduce cost and a decode step whose ranks read
// their slices at the same time (include/edgeplan/estimate/tensor_parallel.hpp).
#include <edgeplan/estimate/speed.hpp>
#include <edgeplan/estimate/tensor_parallel.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace edgeplan;

namespace {

HardwareProfile gpus_linked_at(int count, std::optional<double> link_gbps) {
    HardwareProfile p;
    for (int i = 0; i < count; ++i) {
        GpuDevice g;
        g.id = "gpu" + std::to_string(i);
        if (link_gbps) {
            g.peer_link_gbps.set(*link_gbps, Source::preset);
        }
        p.gpus.push_back(g);
    }
    return p;
}

// Llama 3.1 8B in BF16 (15.0 GB streamed per token, 32 layers, hidden 4096) on H100 SXMs,
// split `tp` ways over `link_gbps`; tp 1 is the single-GPU baseline.
std::vector<DeviceShare> llama8b_on_h100(int tp, double link_gbps) {
    TensorParallelGroup group;
    group.ranks = tp;
    group.link = gpu_link(gpus_linked_at(tp, link_gbps), tp);
    group.hidden_size = 4096;
    group.layers = 32;
    std::vector<DeviceShare> ranks;
    for (int r = 0; r < tp; ++r) {
        DeviceShare d;
        d.device_id = "gpu" + std::to_string(r);
        d.backend = BackendClass::cuda_discrete;
        d.bandwidth_gbps = 3350;
        d.compute_tflops = 989.4;
        d.weight_bytes = 15.0e9 / tp;
        d.active_parameters = 7.5e9 / tp;
        d.kv_bytes_per_context_token = 131072.0 / tp;
        d.attention_flops_per_context_token = 4.0 * 32 * 32 * 128 / tp;
        d.layers = 32;
        if (tp > 1) {
            d.tensor_parallel = group;
        }
        ranks.push_back(d);
    }
    return ranks;
}

} // namespace

TEST_CASE("all-reduce: one rank costs nothing", "[estimate][tensor-parallel]") {
    const GpuLink link = gpu_link(gpus_linked_at(2, 450.0), 2);
    CHECK(allreduce_time_s(1e6, 1, link) == 0);
}

TEST_CASE("all-reduce: a decode-sized message costs the link's latency",
          "[estimate][tensor-parallel]") {
    // One token of an 8192-wide BF16 activation: 16 KiB, 36 ns of NVLink transfer.
    const GpuLink nvlink = gpu_link(gpus_linked_at(2, 450.0), 2);
    CHECK(nvlink.nvlink);
    CHECK(allreduce_time_s(16384, 2, nvlink) == Approx(6e-6 + 16384 / 450e9).epsilon(1e-9));
    const GpuLink pcie = gpu_link(gpus_linked_at(2, 25.0), 2);
    CHECK_FALSE(pcie.nvlink);
    CHECK(allreduce_time_s(16384, 2, pcie) > 40e-6); // PCIe latency, not bandwidth, dominates
}

TEST_CASE("all-reduce: a large message moves 2 (n - 1) / n of it over the link",
          "[estimate][tensor-parallel]") {
    // Ring all-reduce: each GPU sends and receives 2 (n - 1) / n of the buffer.
    const GpuLink link = gpu_link(gpus_linked_at(8, 450.0), 8);
    const double bytes = 1e9;
    const double size_term = allreduce_time_s(bytes, 8, link) - link.allreduce_latency_s;
    CHECK(size_term == Approx(2.0 * 7 / 8 * bytes / 450e9));
    CHECK(allreduce_time_s(bytes, 8, link) > allreduce_time_s(bytes, 2, link));
}

TEST_CASE("all-reduce: an unknown link is PCIe 4.0 x16, flagged as assumed",
          "[estimate][tensor-parallel]") {
    const GpuLink link = gpu_link(gpus_linked_at(4, std::nullopt), 4);
    CHECK(link.assumed);
    CHECK_FALSE(link.nvlink);
    CHECK(link.bandwidth_gbps == 25);
    // One GPU without a figure makes the whole group's link unknown.
    HardwareProfile mixed = gpus_linked_at(2, 450.0);
    mixed.gpus.push_back(GpuDevice{});
    CHECK(gpu_link(mixed, 3).assumed);
    CHECK_FALSE(gpu_link(mixed, 2).assumed);
}

TEST_CASE("tensor parallel: two NVLinked H100s decode an 8B faster than one",
          "[estimate][tensor-parallel]") {
    // Each rank streams half the weights at the same time (7.5 GB less per rank, ~2.5 ms
    // at 0.9 x 3.35 TB/s) and pays 2 x 32 all-reduces of ~6 us (~0.4 ms): a net gain,
    // below 2x because the per-layer launch cost is paid by every rank.
    auto one = decode_step(llama8b_on_h100(1, 450), 512);
    auto two = decode_step(llama8b_on_h100(2, 450), 512);
    REQUIRE(one.ok());
    REQUIRE(two.ok());
    CHECK(two->total_s() < one->total_s());
    CHECK(one->total_s() / two->total_s() < 2.0);
    CHECK(two->weights_s == Approx(one->weights_s / 2));
    CHECK(two->overhead_s - one->overhead_s == Approx(64 * (6e-6 + 8192 / 450e9)));
}

TEST_CASE("tensor parallel: the same split over PCIe gains less than over NVLink",
          "[estimate][tensor-parallel]") {
    auto nvlink = decode_step(llama8b_on_h100(2, 450), 512);
    auto pcie = decode_step(llama8b_on_h100(2, 25), 512);
    REQUIRE(nvlink.ok());
    REQUIRE(pcie.ok());
    CHECK(pcie->total_s() > nvlink->total_s());
    CHECK(pcie->weights_s == Approx(nvlink->weights_s));
}

TEST_CASE("tensor parallel: a layer split of the same bytes is not sped up",
          "[estimate][tensor-parallel]") {
    // llama.cpp's -sm layer reads each device's layers in turn: the shares add.
    std::vector<DeviceShare> split = llama8b_on_h100(2, 450);
    for (auto& d : split) {
        d.tensor_parallel.reset();
        d.layers = 16;
    }
    auto layered = decode_step(split, 512);
    auto one = decode_step(llama8b_on_h100(1, 450), 512);
    REQUIRE(layered.ok());
    REQUIRE(one.ok());
    CHECK(layered->weights_s == Approx(one->weights_s));
    CHECK(layered->total_s() > one->total_s()); // plus one device hop
}

TEST_CASE("tensor parallel: prefill all-reduces grow with the micro-batch",
          "[estimate][tensor-parallel]") {
    // A 512-token micro-batch all-reduces 4 MiB per call: over PCIe the size term
    // (~84 us per call at 25 GB/s) makes prompt processing slower than over NVLink.
    PrefillInputs in;
    in.prompt_tokens = 2048;
    in.devices = llama8b_on_h100(2, 450);
    auto nvlink = estimate_prefill(in);
    in.devices = llama8b_on_h100(2, 25);
    auto pcie = estimate_prefill(in);
    REQUIRE(nvlink.ok());
    REQUIRE(pcie.ok());
    CHECK(pcie->prompt_s > nvlink->prompt_s);
    CHECK(nvlink->pipeline_speedup == Approx(1.0)); // no pipeline across TP ranks
}

TEST_CASE("tensor parallel: the batched step charges the all-reduce of every token",
          "[estimate][tensor-parallel]") {
    const auto ranks = llama8b_on_h100(2, 25);
    auto one = batched_step_s(ranks, BatchingEngine::vllm, 512, 1, 1);
    auto many = batched_step_s(ranks, BatchingEngine::vllm, 512, 1, 256);
    REQUIRE(one.ok());
    REQUIRE(many.ok());
    const GpuLink link = ranks.front().tensor_parallel->link;
    const double sync_gap = 64 * (allreduce_time_s(256 * 4096 * 2.0, 2, link) -
                                  allreduce_time_s(4096 * 2.0, 2, link));
    CHECK(*many - *one >= sync_gap);
}
