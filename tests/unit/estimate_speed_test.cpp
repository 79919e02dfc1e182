// Behaviour of the speed model (decode, prefill, concurrency, speculative, power) on
// hand-built devices; the fit against measurements is estimate_speed_validation_test.cpp.
#include <edgeplan/estimate/speed.hpp>

#include <catch2/catch.hpp>

#include <cmath>

using namespace edgeplan;

namespace {

// An RTX 4090 (data/targets desktop-rtx-4090: 1008 GB/s, 165.2 TFLOPS) holding all of
// Llama 3 8B Q4_K_M: 4.58 GiB file minus the 282 MiB input embedding.
DeviceShare rtx4090_llama8b() {
    DeviceShare d;
    d.device_id = "gpu0";
    d.backend = BackendClass::cuda_discrete;
    d.bandwidth_gbps = 1008;
    d.compute_tflops = 165.2;
    d.weight_bytes = 4.58 * 1073741824.0 - 295.5e6;
    d.active_parameters = 7.5e9;
    d.kv_bytes_per_context_token = 131072;
    d.layers = 32;
    d.attention_flops_per_context_token = 4.0 * 32 * 32 * 128;
    return d;
}

} // namespace

TEST_CASE("decode of Llama 3 8B Q4_K_M on an RTX 4090 is near the measured 130 tok/s",
          "[estimate][speed]") {
    // XiongjieDai/GPU-Benchmarks-on-LLM-Inference, 4090 x1, tg512: 130.58 tok/s.
    Result<double> tps = decode_tokens_per_s_over_run({rtx4090_llama8b()}, 0, 512);
    REQUIRE(tps.ok());
    CHECK(*tps == Approx(130.58).epsilon(0.10));
}

TEST_CASE("decode slows with context and the full-context figure is reported",
          "[estimate][speed]") {
    DecodeInputs inputs;
    inputs.devices = {rtx4090_llama8b()};
    inputs.full_context_tokens = 32768;
    Result<DecodeEstimate> est = estimate_decode(inputs);
    REQUIRE(est.ok());
    CHECK(est->short_context.context_tokens == 512);
    CHECK(est->full_context.tokens_per_s() < 0.8 * est->short_context.tokens_per_s());
    CHECK(est->full_context.kv_s > est->short_context.kv_s);
    CHECK(est->short_context.overhead_s == Approx(32 * 85e-6));
}

TEST_CASE("a layer split sums device times and the CPU share runs at RAM bandwidth",
          "[estimate][speed]") {
    DeviceShare gpu = rtx4090_llama8b();
    DeviceShare cpu = gpu;
    cpu.device_id = "cpu";
    cpu.backend = BackendClass::cpu;
    cpu.bandwidth_gbps = 89.6; // DDR5-5600 dual channel
    gpu.weight_bytes /= 2;
    cpu.weight_bytes /= 2;
    gpu.layers = cpu.layers = 16;
    Result<DecodeStep> split = decode_step({gpu, cpu}, 0);
    Result<DecodeStep> all_gpu = decode_step({rtx4090_llama8b()}, 0);
    REQUIRE(split.ok());
    REQUIRE(all_gpu.ok());
    // Half the weights at 0.55 x 89.6 GB/s dominate: several times slower than all-GPU.
    CHECK(split->tokens_per_s() < all_gpu->tokens_per_s() / 4);
    CHECK(split->overhead_s > all_gpu->overhead_s);
}

TEST_CASE("decode without devices or bandwidth is an error, not a number",
          "[estimate][speed]") {
    CHECK_FALSE(decode_step({}, 0).ok());
    DeviceShare broken = rtx4090_llama8b();
    broken.bandwidth_gbps = 0;
    CHECK_FALSE(decode_step({broken}, 0).ok());
}

TEST_CASE("prefill falls with prompt length and rises with the micro-batch",
          "[estimate][speed]") {
    PrefillInputs inputs;
    inputs.devices = {rtx4090_llama8b()};
    inputs.prompt_tokens = 512;
    Result<PrefillEstimate> short_prompt = estimate_prefill(inputs);
    inputs.prompt_tokens = 8192;
    Result<PrefillEstimate> long_prompt = estimate_prefill(inputs);
    inputs.prompt_tokens = 512;
    inputs.ubatch_tokens = 16;
    Result<PrefillEstimate> small_ubatch = estimate_prefill(inputs);
    REQUIRE(short_prompt.ok());
    REQUIRE(long_prompt.ok());
    REQUIRE(small_ubatch.ok());
    CHECK(long_prompt->tokens_per_s < short_prompt->tokens_per_s);
    CHECK(small_ubatch->tokens_per_s < short_prompt->tokens_per_s / 2);
    CHECK(short_prompt->ttft_s > short_prompt->prompt_s);
}

TEST_CASE("prefill needs a compute peak", "[estimate][speed]") {
    DeviceShare unknown = rtx4090_llama8b();
    unknown.compute_tflops.reset();
    PrefillInputs inputs;
    inputs.devices = {unknown};
    CHECK_FALSE(estimate_prefill(inputs).ok());
}

TEST_CASE("a pipeline over two devices speeds up long prompts, not one micro-batch",
          "[estimate][speed]") {
    DeviceShare a = rtx4090_llama8b();
    a.weight_bytes /= 2;
    a.active_parameters /= 2;
    a.layers = 16;
    a.attention_flops_per_context_token /= 2;
    PrefillInputs inputs;
    inputs.devices = {a, a};
    inputs.prompt_tokens = 512;
    Result<PrefillEstimate> one_ubatch = estimate_prefill(inputs);
    inputs.prompt_tokens = 4096;
    Result<PrefillEstimate> four_ubatches = estimate_prefill(inputs);
    REQUIRE(one_ubatch.ok());
    REQUIRE(four_ubatches.ok());
    CHECK(one_ubatch->pipeline_speedup == Approx(1.0));
    CHECK(four_ubatches->pipeline_speedup == Approx(1.6)); // 4 x 2 / (4 + 2 - 1)
}

TEST_CASE("batching multiplies throughput until the compute knee, vLLM later than llama.cpp",
          "[estimate][speed]") {
    ConcurrencyInputs inputs;
    inputs.devices = {rtx4090_llama8b()};
    inputs.context_tokens = 1024;
    inputs.max_streams = 256;
    inputs.engine = BatchingEngine::vllm;
    Result<ConcurrencyEstimate> vllm = estimate_concurrency(inputs);
    inputs.engine = BatchingEngine::llama_cpp_server;
    Result<ConcurrencyEstimate> llama = estimate_concurrency(inputs);
    REQUIRE(vllm.ok());
    REQUIRE(llama.ok());
    const auto& p = vllm->points;
    CHECK(p[7].aggregate_tokens_per_s > 5 * p[0].aggregate_tokens_per_s);
    CHECK(p[7].per_stream_tokens_per_s < p[0].per_stream_tokens_per_s);
    REQUIRE(vllm->knee_streams.has_value());
    REQUIRE(llama->knee_streams.has_value());
    CHECK(*llama->knee_streams < *vllm->knee_streams);
}

TEST_CASE("speculative decoding follows Leviathan et al. and shrinks when verify costs more",
          "[estimate][speed]") {
    // llama.cpp issue #5877: 8B Q8_0 + 1B draft, 5 drafted, 72% accepted: 1.71x measured.
    SpeculativeInputs inputs;
    inputs.acceptance = 0.72;
    inputs.draft_tokens = 5;
    inputs.target_step_s = 1.0;
    inputs.target_verify_s = 1.0;
    inputs.draft_step_s = 0.15;
    Result<SpeculativeEstimate> dense = estimate_speculative(inputs);
    REQUIRE(dense.ok());
    CHECK(dense->tokens_per_target_pass == Approx((1 - std::pow(0.72, 6)) / 0.28));
    CHECK(dense->speedup == Approx(dense->tokens_per_target_pass / (5 * 0.15 + 1)));
    CHECK(dense->speedup > 1.5);
    inputs.target_verify_s = 2.5; // MoE: 6 tokens touch more experts; or a busy batch
    Result<SpeculativeEstimate> costly = estimate_speculative(inputs);
    REQUIRE(costly.ok());
    CHECK(costly->speedup < 1.0);
    CHECK(moe_expert_coverage(128, 8, 1) == Approx(8.0 / 128));
    CHECK(moe_expert_coverage(128, 8, 6) > 5 * 8.0 / 128);
}

TEST_CASE("passive cooling throttles and energy per token follows the power budget",
          "[estimate][speed]") {
    PowerInputs inputs;
    inputs.peak_tokens_per_s = 20;
    inputs.cooling = Cooling::passive;
    inputs.tdp_watts = 10;
    Result<PowerEstimate> phone = estimate_power(inputs);
    REQUIRE(phone.ok());
    CHECK(phone->sustained_fraction_assumed);
    CHECK(phone->sustained_tokens_per_s == Approx(12));
    CHECK(*phone->joules_per_token_peak == Approx(0.5));
    CHECK(*phone->joules_per_token_sustained > *phone->joules_per_token_peak);
    inputs.sustained_fraction = 0.8;
    inputs.tdp_watts.reset();
    Result<PowerEstimate> given = estimate_power(inputs);
    REQUIRE(given.ok());
    CHECK_FALSE(given->sustained_fraction_assumed);
    CHECK_FALSE(given->joules_per_token_peak.has_value());
}
