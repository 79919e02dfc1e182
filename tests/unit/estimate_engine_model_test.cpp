// The engine table and the engines modelled through it: Ollama, llamafile and LM Studio on
// llama.cpp's ggml physics with their own defaults, TensorRT-LLM on a paged GPU pool.
#include <edgeplan/catalog/catalog.hpp>
#include <edgeplan/estimate/fit.hpp>

#include <catch2/catch.hpp>

#include <algorithm>

using namespace edgeplan;

namespace {

const Catalog& catalog() {
    static const Catalog loaded = *load_catalog(CatalogSource::embedded());
    return loaded;
}

const HardwareProfile& target(const std::string& id) {
    return catalog().find_target(id)->profile;
}

FitRequest request(const std::string& model, FitEngine engine, const std::string& quant = "") {
    FitRequest r;
    r.model = catalog().find_model(model);
    REQUIRE(r.model != nullptr);
    r.engine = engine;
    r.quantization = quant;
    return r;
}

const DeviceMemoryUse& gpu0(const FitEvaluation& e) {
    const auto it = std::find_if(e.memory.plan.devices.begin(), e.memory.plan.devices.end(),
                                 [](const DeviceMemoryUse& d) { return d.device == "gpu0"; });
    REQUIRE(it != e.memory.plan.devices.end());
    return *it;
}

bool has_word(const std::vector<std::string>& words, const std::string& word) {
    return std::find(words.begin(), words.end(), word) != words.end();
}

} // namespace

TEST_CASE("engine table: every engine round-trips through its catalogue id", "[estimate]") {
    for (const EngineModel& m : engine_models()) {
        REQUIRE(parse_fit_engine(m.id));
        CHECK(*parse_fit_engine(m.id) == m.engine);
        CHECK(fit_engine_id(m.engine) == m.id);
        CHECK(catalog().find_engine(m.id) != nullptr); // each one has a catalogue entry
        CHECK((m.gguf_physics || m.format_physics));
    }
    CHECK(parse_fit_engine("trtllm") == FitEngine::tensorrt_llm);
    CHECK_FALSE(parse_fit_engine("sglang"));
    CHECK(memory_physics(FitEngine::lm_studio, true) == MemoryPhysics::ggml);
    CHECK(memory_physics(FitEngine::lm_studio, false) == MemoryPhysics::mlx);
    CHECK(memory_physics(FitEngine::tensorrt_llm, false) == MemoryPhysics::paged_gpu);
}

TEST_CASE("ollama: llama.cpp's bytes plus its per-GPU reserve, 4096-token default context",
          "[estimate]") {
    FitRequest base = request("llama-3.1-8b-instruct", FitEngine::llama_cpp, "Q4_K_M");
    base.context_tokens = 4096;
    auto llama = fit_model(base, target("desktop-rtx-4090"), catalog());
    auto ollama = fit_model(request("llama-3.1-8b-instruct", FitEngine::ollama, "Q4_K_M"),
                            target("desktop-rtx-4090"), catalog());
    REQUIRE(llama);
    REQUIRE(ollama);
    const FitEvaluation& o = ollama->result;
    CHECK(o.settings.context_tokens == 4096); // OLLAMA_CONTEXT_LENGTH default
    CHECK(o.memory.weight_bytes == llama->result.memory.weight_bytes);
    CHECK(o.memory.kv_bytes == llama->result.memory.kv_bytes);
    // MinimumMemory (457 MiB on CUDA) + one block (weights/n_layer + its KV) more overhead.
    const std::uint64_t block = o.memory.weight_bytes / 32 + o.memory.kv_bytes / 32;
    const std::uint64_t extra = gpu0(o).overhead_bytes - gpu0(llama->result).overhead_bytes;
    CHECK(extra >= 457ull * 1024 * 1024 + block * 9 / 10);
    CHECK(extra <= 457ull * 1024 * 1024 + block * 11 / 10);
    CHECK(o.settings.flash_attention == FlashAttention::off); // OLLAMA_FLASH_ATTENTION default
    CHECK(has_word(o.memory.command, "OLLAMA_CONTEXT_LENGTH=4096"));
    CHECK(o.memory.command.back() == "ollama serve");
}

TEST_CASE("ollama: a quantized KV cache switches flash attention on, and needs it", "[estimate]") {
    FitRequest r = request("llama-3.1-8b-instruct", FitEngine::ollama, "Q4_K_M");
    r.kv_type = "q8_0";
    auto q = fit_model(r, target("desktop-rtx-4090"), catalog());
    REQUIRE(q);
    CHECK(q->result.settings.flash_attention == FlashAttention::on);
    CHECK(has_word(q->result.memory.command, "OLLAMA_FLASH_ATTENTION=1"));
    CHECK(has_word(q->result.memory.command, "OLLAMA_KV_CACHE_TYPE=q8_0"));
    r.flash_attention = FlashAttentionChoice::off;
    auto bad = resolve_fit_settings(r, target("desktop-rtx-4090"), catalog());
    REQUIRE_FALSE(bad);
    CHECK(bad.error().where == "--kv-type");
    r.flash_attention = FlashAttentionChoice::automatic;
    r.kv_type = "q5_1"; // llama.cpp has it, Ollama's catalogue entry does not
    CHECK_FALSE(resolve_fit_settings(r, target("desktop-rtx-4090"), catalog()));
}

TEST_CASE("llamafile: llama.cpp's placement, its own command", "[estimate]") {
    auto llama = fit_model(request("qwen3-30b-a3b", FitEngine::llama_cpp, "Q4_K_M"),
                           target("laptop-rtx-4060"), catalog());
    auto file = fit_model(request("qwen3-30b-a3b", FitEngine::llamafile, "Q4_K_M"),
                          target("laptop-rtx-4060"), catalog());
    REQUIRE(llama);
    REQUIRE(file);
    CHECK(file->result.memory.plan.strategy == llama->result.memory.plan.strategy);
    CHECK(file->result.memory.total_bytes == llama->result.memory.total_bytes);
    CHECK(file->result.memory.command.front() == "llamafile --server");
}

TEST_CASE("lm-studio: GGUF on the ggml physics, MLX artifacts only on Apple Silicon",
          "[estimate]") {
    auto gguf = fit_model(request("qwen3-8b", FitEngine::lm_studio, "Q4_K_M"),
                          target("desktop-rtx-4090"), catalog());
    REQUIRE(gguf);
    CHECK(gguf->result.memory.plan.gpu_layers > 0);
    CHECK(gguf->result.memory.command.front() == "lms load");
    auto mlx = fit_model(request("qwen3-8b", FitEngine::lm_studio, "mlx-4bit"),
                         target("apple-m4-pro-20gpu"), catalog());
    REQUIRE(mlx);
    CHECK(mlx->result.memory.plan.strategy == PlacementStrategy::gpu_full);
    auto no_apple = resolve_fit_settings(request("qwen3-8b", FitEngine::lm_studio, "mlx-4bit"),
                                         target("desktop-rtx-4090"), catalog());
    REQUIRE_FALSE(no_apple);
    CHECK(no_apple.error().where == "--quant");
    FitRequest kv = request("qwen3-8b", FitEngine::lm_studio, "Q4_K_M");
    kv.kv_type = "q8_0"; // no KV-cache type among the verified lms flags
    CHECK_FALSE(resolve_fit_settings(kv, target("desktop-rtx-4090"), catalog()));
}

TEST_CASE("tensorrt-llm: CUDA only; the KV pool is 90% of what weights leave", "[estimate]") {
    auto mac = resolve_fit_settings(request("llama-3.1-8b-instruct", FitEngine::tensorrt_llm),
                                    target("apple-m4-pro-20gpu"), catalog());
    REQUIRE_FALSE(mac);
    CHECK(mac.error().where == "--engine");

    FitRequest r = request("llama-3.1-8b-instruct", FitEngine::tensorrt_llm, "fp8");
    r.concurrency = 8; // 8 x 8192 tokens x 128 KiB = 8 GiB of KV beside 8.5 GiB of weights
    auto fit = fit_model(r, target("desktop-rtx-4090"), catalog());
    REQUIRE(fit);
    const FitEvaluation& e = fit->result;
    CHECK(e.verdict == FitVerdict::fits);
    CHECK(e.memory.plan.strategy == PlacementStrategy::gpu_full);
    CHECK(e.settings.kv_type == "auto");
    // Margin = (1 - 0.9) of the memory left after weights and activations.
    const auto& device = std::find_if(e.memory.devices.begin(), e.memory.devices.end(),
                                      [](const MemoryDevice& d) { return d.id == "gpu0"; });
    REQUIRE(device != e.memory.devices.end());
    const double free = static_cast<double>(device->capacity_bytes - device->overhead_bytes) -
                        static_cast<double>(gpu0(e).weights_bytes + gpu0(e).compute_bytes);
    CHECK(static_cast<double>(device->margin_bytes) == Approx(0.1 * free).epsilon(0.01));
    // Sequences of 8192 tokens the pool holds: pool / (KV bytes per sequence).
    const double pool = 0.9 * free;
    const double per_sequence = static_cast<double>(e.memory.kv_bytes) / 8;
    CHECK(e.memory.max_sequences == static_cast<int>(pool / per_sequence));
    CHECK(has_word(e.memory.command, "--kv_cache_free_gpu_memory_fraction 0.9"));
    CHECK(e.memory.max_sequences > 8);
    CHECK(has_word(e.memory.command, "--max_batch_size 8"));
    // Sixteen such sequences need 16 GiB of KV: more than the pool, so it does not fit.
    r.concurrency = 16;
    auto full = fit_model(r, target("desktop-rtx-4090"), catalog());
    REQUIRE(full);
    CHECK(full->result.verdict == FitVerdict::does_not_fit);

    FitRequest fa = r;
    fa.flash_attention = FlashAttentionChoice::on;
    auto no_switch = resolve_fit_settings(fa, target("desktop-rtx-4090"), catalog());
    REQUIRE_FALSE(no_switch);
    CHECK(no_switch.error().where == "--flash-attn");
}
