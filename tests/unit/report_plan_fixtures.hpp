#pragma once

// Hand-built plans for the plan-report tests: one per engine writer and hardware class, plus
// one that is not approved. Hardware comes from the embedded catalogue's target presets, so
// the plans look like what the planner will produce without depending on it.

#include <edgeplan/catalog/catalog.hpp>
#include <edgeplan/core/plan.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace report_fixtures {

using namespace edgeplan;

inline constexpr std::uint64_t gib = 1024ull * 1024ull * 1024ull;
inline constexpr std::uint64_t mib = 1024ull * 1024ull;

inline const Catalog& catalog() {
    static const Catalog loaded = [] {
        auto result = load_catalog(CatalogSource::embedded());
        REQUIRE(result);
        return std::move(*result);
    }();
    return loaded;
}

inline HardwareProfile target(const std::string& id) {
    const Target* t = catalog().find_target(id);
    REQUIRE(t != nullptr);
    return t->profile;
}

inline DeviceMemory device(std::string id, std::string description, std::uint64_t weights,
                           std::uint64_t kv, std::uint64_t compute, std::uint64_t overhead,
                           std::uint64_t usable) {
    DeviceMemory d{
        std::move(id), std::move(description), weights, kv, compute, overhead, 0, usable, 0, false};
    d.total_bytes = weights + kv + compute + overhead;
    d.margin_bytes = static_cast<std::int64_t>(usable) - static_cast<std::int64_t>(d.total_bytes);
    d.fits = d.margin_bytes >= 0;
    return d;
}

inline Candidate candidate(std::string model_id, std::string name, std::string quant,
                           std::string engine) {
    Candidate c;
    c.model_id = std::move(model_id);
    c.model_name = std::move(name);
    c.quantization = quant;
    c.engine_id = engine;
    c.settings.engine_id = engine;
    c.settings.quantization = quant;
    c.fits = true;
    return c;
}

inline void add_common_sections(Plan& plan) {
    plan.trace.push_back(
        {"P1-offline", "noted", "request", "no cloud route and no engine that phones home"});
    plan.trace.push_back({"F2-headroom", "chose", plan.chosen ? plan.chosen->model_id : "none",
                          "fits with 16.3 GiB margin on gpu0"});
    plan.risks.push_back({"R1", "Context grows past the planned 8192 tokens", "medium", "high",
                          "keep -c fixed; requests beyond it are truncated", {}});
    plan.risks.push_back({"R2", "Thermal throttling under sustained load", "low", "medium",
                          "plan on the sustained figure, watch nvidia-smi", {}});
    plan.verification.push_back({"Benchmark decode and prefill",
                                 "llama-bench -m model.gguf -p 512 -n 128",
                                 "tg128 about 142.6 tok/s, pp512 about 6350 tok/s"});
    plan.verification.push_back(
        {"Chat round trip", "curl -s 127.0.0.1:8080/v1/models", "lists the alias"});
}

/// RTX 4090, llama.cpp, online, draft model and LoRA, hybrid note shown.
inline Plan gpu_llama_plan() {
    Plan plan;
    plan.request.task = "chat";
    plan.request.context_tokens = 8192;
    plan.request.concurrency = 2;
    plan.request.min_tokens_per_s = 20.0;
    plan.request.max_ttft_ms = 500.0;
    plan.request.lora_adapters = {"adapters/support-v2.gguf"};
    plan.hardware = target("desktop-rtx-4090");
    plan.approved = true;
    plan.verdict = "llama-3.1-8b-instruct Q4_K_M on llama.cpp CUDA fits with 16.3 GiB to spare";
    Candidate c =
        candidate("llama-3.1-8b-instruct", "Llama 3.1 8B Instruct", "Q4_K_M", "llama.cpp");
    c.placement = "full GPU (33/33 layers)";
    c.parameters = 8030261248ull;
    c.memory = {device("gpu0", "NVIDIA GeForce RTX 4090 (24 GiB VRAM)", 4693ull * mib,
                       1088ull * mib, 307ull * mib, 358ull * mib, 23040ull * mib),
                device("system", "64 GiB DDR5", 512ull * mib, 0, 0, 256ull * mib, 58ull * gib)};
    c.speed.decode_tokens_per_s_short = 142.64;
    c.speed.decode_tokens_per_s_full = 121.31;
    c.speed.short_context_tokens = 512;
    c.speed.prefill_tokens_per_s = 6350.2;
    c.speed.ttft_ms = 85.43;
    c.speed.tpot_ms = 7.01;
    c.speed.sustained_tokens_per_s = 131.04;
    c.speed.joules_per_token = 2.456;
    c.load = {{1, 142.6, 142.6, 7.01, 85.4}, {2, 268.3, 134.15, 7.45, 171.2}};
    c.max_concurrent_sequences = 14;
    c.quality = 61.23;
    c.quality_basis = "MMLU-Pro 48.3 x Q4_K_M retention 0.99";
    c.score = 0.8123;
    auto& s = c.settings;
    s.backend = "cuda";
    s.weights_format = "gguf";
    s.artifact_repository = "bartowski/Meta-Llama-3.1-8B-Instruct-GGUF";
    s.artifact_file = "Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf";
    s.context_tokens = 8192;
    s.gpu_layers = 33;
    s.total_layers = 33;
    s.kv_cache_type = "q8_0";
    s.flash_attention = true;
    s.threads = 8;
    s.parallel_slots = 2;
    s.port = 8080;
    s.draft_model_id = "llama-3.2-1b-instruct";
    s.draft_quantization = "Q8_0";
    s.draft_tokens = 8;
    s.lora_adapters = {"adapters/support-v2.gguf"};
    plan.chosen = c;
    Candidate r1 = candidate("qwen2.5-7b-instruct", "Qwen2.5 7B Instruct", "Q4_K_M", "llama.cpp");
    r1.memory = {device("gpu0", "RTX 4090", 4460ull * mib, 448ull * mib, 300ull * mib, 350ull * mib,
                        23040ull * mib)};
    r1.speed.decode_tokens_per_s_short = 150.2;
    r1.quality = 58.9;
    r1.score = 0.7901;
    r1.lost_because = {"Q1-quality: 58.9 < 61.2"};
    plan.runner_ups = {r1};
    add_common_sections(plan);
    plan.notes.push_back({"Hybrid cloud-edge",
                          {"PII and real-time requests stay on the device",
                           "fallback to a cloud endpoint when the queue exceeds 8"},
                          {}});
    plan.notes.push_back({"Security at rest", {"weights on a LUKS volume with a TPM2-bound key"}, {}});
    plan.notes.push_back(
        {"Lifecycle", {"verify the GGUF's SHA-256, swap atomically, keep the previous file"}, {}});
    return plan;
}

/// Laptop RTX 4070, Ollama, offline + strict, hybrid note withheld.
inline Plan ollama_plan() {
    Plan plan;
    plan.request.offline = true;
    plan.request.privacy = Privacy::strict;
    plan.hardware = target("laptop-rtx-4070");
    plan.approved = true;
    plan.verdict = "llama3.1:8b on Ollama fits the 8 GiB laptop GPU";
    Candidate c = candidate("llama-3.1-8b-instruct", "Llama 3.1 8B Instruct", "Q4_K_M", "ollama");
    c.placement = "full GPU";
    c.memory = {device("gpu0", "NVIDIA GeForce RTX 4070 Laptop (8 GiB)", 4693ull * mib,
                       512ull * mib, 300ull * mib, 400ull * mib, 7372ull * mib)};
    c.speed.decode_tokens_per_s_short = 48.7;
    c.speed.short_context_tokens = 512;
    c.speed.unknown_reason = "no measured power figure for this laptop";
    c.load = {{1, 48.7, 48.7, 20.5, 310.0}};
    c.settings.backend = "cuda";
    c.settings.weights_format = "gguf";
    c.settings.ollama_tag = "llama3.1:8b";
    c.settings.artifact_repository = "bartowski/Meta-Llama-3.1-8B-Instruct-GGUF";
    c.settings.artifact_file = "Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf";
    c.settings.context_tokens = 4096;
    c.settings.gpu_layers = 33;
    c.settings.total_layers = 33;
    c.settings.kv_cache_type = "q8_0";
    c.settings.flash_attention = true;
    c.settings.parallel_slots = 2;
    c.settings.port = 11500;
    plan.chosen = c;
    add_common_sections(plan);
    plan.notes.push_back({"Hybrid cloud-edge", {"send long documents to https://api.example.com"}, {}});
    plan.notes.push_back({"Security at rest", {"BitLocker on the models volume"}, {}});
    return plan;
}

/// Two-GPU server, vLLM, AWQ, concurrency 16, airgap.
inline Plan vllm_plan() {
    Plan plan;
    plan.request.privacy = Privacy::airgap;
    plan.request.concurrency = 16;
    plan.request.min_tokens_per_s = 15.0;
    plan.hardware = target("workstation-2x-rtx-4090");
    plan.approved = true;
    plan.verdict = "Qwen2.5 32B AWQ on vLLM, tensor parallel over two GPUs, serves 16 streams";
    Candidate c =
        candidate("qwen2.5-32b-instruct", "Qwen2.5 32B Instruct", "awq-int4-g128", "vllm");
    c.placement = "tensor parallel over gpu0 and gpu1";
    c.memory = {device("gpu0", "RTX 4090", 9ull * gib, 9ull * gib, gib, 2ull * gib, 22ull * gib),
                device("gpu1", "RTX 4090", 9ull * gib, 9ull * gib, gib, 2ull * gib, 22ull * gib)};
    c.speed.decode_tokens_per_s_short = 58.3;
    c.speed.decode_tokens_per_s_full = 51.0;
    c.speed.short_context_tokens = 512;
    c.speed.prefill_tokens_per_s = 4100.0;
    c.speed.ttft_ms = 140.0;
    c.speed.tpot_ms = 17.2;
    c.load = {{1, 58.3, 58.3, 17.2, 140.0},
              {4, 210.0, 52.5, 19.0, 180.0},
              {16, 560.0, 35.0, 28.6, 420.0}};
    c.max_concurrent_sequences = 40;
    auto& s = c.settings;
    s.backend = "cuda";
    s.weights_format = "awq";
    s.artifact_repository = "Qwen/Qwen2.5-32B-Instruct-AWQ";
    s.context_tokens = 16384;
    s.kv_cache_type = "fp8";
    s.parallel_slots = 16;
    s.port = 8001;
    s.host = "0.0.0.0";
    s.gpu_memory_utilization = 0.9;
    s.prefix_caching = true;
    s.chunked_prefill = true;
    plan.chosen = c;
    add_common_sections(plan);
    return plan;
}

/// Apple M4 Pro, mlx-lm, 8-bit KV.
inline Plan mlx_plan() {
    Plan plan;
    plan.request.task = "chat";
    plan.hardware = target("apple-m4-pro-20gpu");
    plan.approved = true;
    plan.verdict = "Gemma 4 12B in MLX 4-bit on the GPU, 8-bit KV cache";
    Candidate c = candidate("gemma-4-12b-it", "Gemma 4 12B", "mlx-affine-4bit-g64", "mlx-lm");
    c.placement = "unified memory, Metal";
    c.memory = {device("gpu0", "Apple M4 Pro (unified)", 7ull * gib, gib, 512ull * mib,
                       512ull * mib, 17ull * gib)};
    c.speed.decode_tokens_per_s_short = 31.4;
    c.speed.short_context_tokens = 512;
    c.speed.prefill_tokens_per_s = 420.5;
    c.speed.ttft_ms = 1218.0;
    c.speed.tpot_ms = 31.8;
    c.load = {{1, 31.4, 31.4, 31.8, 1218.0}};
    auto& s = c.settings;
    s.backend = "metal";
    s.weights_format = "mlx";
    s.artifact_repository = "mlx-community/gemma-4-12B-it-4bit";
    s.context_tokens = 8192;
    s.kv_cache_type = "8";
    s.port = 8081;
    plan.chosen = c;
    add_common_sections(plan);
    return plan;
}

/// DDR5 desktop, CPU only, llama.cpp, offline.
inline Plan cpu_plan() {
    Plan plan;
    plan.request.offline = true;
    plan.hardware = target("desktop-ddr5-5600-2ch");
    // The generic preset leaves the ISA unknown; a live audit of a Zen 4 desktop finds these.
    plan.hardware.cpu.isa.source = Source::procfs;
    plan.hardware.cpu.isa.features["avx2"] = true;
    plan.hardware.cpu.isa.features["avx512f"] = false;
    plan.approved = true;
    plan.verdict = "Llama 3.2 3B Q4_K_M on the CPU";
    Candidate c =
        candidate("llama-3.2-3b-instruct", "Llama 3.2 3B Instruct", "Q4_K_M", "llama.cpp");
    c.placement = "CPU only";
    c.memory = {device("system", "32 GiB DDR5-5600", 1925ull * mib, 224ull * mib, 150ull * mib,
                       80ull * mib, 26ull * gib)};
    c.speed.decode_tokens_per_s_short = 24.5;
    c.speed.short_context_tokens = 512;
    c.speed.prefill_tokens_per_s = 180.0;
    c.speed.ttft_ms = 2890.0;
    c.speed.unknown_reason = "no power model for this desktop";
    c.load = {{1, 24.5, 24.5, 40.8, 2890.0}};
    auto& s = c.settings;
    s.backend = "cpu";
    s.weights_format = "gguf";
    s.artifact_repository = "bartowski/Llama-3.2-3B-Instruct-GGUF";
    s.artifact_file = "Llama-3.2-3B-Instruct-Q4_K_M.gguf";
    s.context_tokens = 4096;
    s.total_layers = 28;
    s.threads = 8;
    s.port = 8090;
    plan.chosen = c;
    add_common_sections(plan);
    return plan;
}

/// Raspberry Pi 5 asked for a 70B model: nothing fits, alternatives.
inline Plan not_approved_plan() {
    Plan plan;
    plan.request.model = "llama-3.3-70b-instruct";
    plan.hardware = target("raspberry-pi-5-8gb");
    plan.approved = false;
    plan.verdict = "llama-3.3-70b-instruct needs 39.9 GiB at Q4_K_M; 6.8 GiB is usable";
    Candidate a =
        candidate("llama-3.2-3b-instruct", "Llama 3.2 3B Instruct", "Q4_K_M", "llama.cpp");
    a.change = "smaller model: 70B -> 3B";
    a.memory = {device("system", "8 GiB LPDDR4X", 1925ull * mib, 224ull * mib, 150ull * mib,
                       80ull * mib, 6963ull * mib)};
    a.speed.decode_tokens_per_s_short = 4.8;
    Candidate b =
        candidate("llama-3.3-70b-instruct", "Llama 3.3 70B Instruct", "IQ1_S", "llama.cpp");
    b.change = "SSD offload at IQ1_S";
    b.fits = false;
    b.memory = {device("system", "8 GiB LPDDR4X", 14ull * gib, gib, 0, 0, 6963ull * mib)};
    b.speed.decode_tokens_per_s_short = 0.07;
    plan.alternatives = {a, b};
    add_common_sections(plan);
    return plan;
}

/// Every plan above, named.
inline std::vector<std::pair<std::string, Plan>> all_plans() {
    return {{"gpu-llama", gpu_llama_plan()},
            {"ollama", ollama_plan()},
            {"vllm", vllm_plan()},
            {"mlx", mlx_plan()},
            {"cpu", cpu_plan()},
            {"not-approved", not_approved_plan()}};
}

/// The text of "## N. ..." up to the next "## " heading (or the end).
inline std::string section_text(const std::string& markdown, int number) {
    const std::string heading = "\n## " + std::to_string(number) + ". ";
    const auto start = markdown.find(heading);
    if (start == std::string::npos) {
        return "";
    }
    const auto end = markdown.find("\n## ", start + 1);
    return markdown.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

} // namespace report_fixtures
