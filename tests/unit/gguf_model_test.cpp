// Model derivation from the synthetic fixtures (tests/fixtures/gguf, written by
// make_fixtures.py with the shapes asserted here) and from hand-made metadata.
#include <edgeplan/catalog/catalog.hpp>
#include <edgeplan/gguf/gguf_inspect.hpp>
#include <edgeplan/gguf/gguf_model.hpp>

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

using namespace edgeplan;

namespace {

const Catalog& catalog() {
    static const Catalog loaded = std::move(*load_catalog(CatalogSource::embedded()));
    return loaded;
}

struct Loaded {
    GgufFile file;
    GgufModel model;
};

Loaded load(const std::string& name) {
    std::ifstream in(std::string(EDGEPLAN_FIXTURES_DIR) + "/gguf/" + name, std::ios::binary);
    REQUIRE(in);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<std::byte> bytes(text.size());
    std::memcpy(bytes.data(), text.data(), text.size());
    MemoryByteSource source(bytes);
    auto file = read_gguf(source, name, catalog());
    REQUIRE(file.ok());
    auto model = model_from_gguf(*file, name, catalog());
    REQUIRE(model.ok());
    return {std::move(file).value(), std::move(model).value()};
}

} // namespace

TEST_CASE("gguf model: a dense llama file gives its shape, types and exact bytes") {
    const auto l = load("llama-q8_0.gguf");
    const auto& a = l.model.model.architecture;
    CHECK(a.gguf_architecture == "llama");
    CHECK(a.layers == 2);
    CHECK(a.hidden_size == 64);
    CHECK(a.attention_heads == 4);
    CHECK(a.kv_heads == 2);
    CHECK(a.head_dim == 16);
    CHECK(a.ffn_size == 128);
    CHECK(a.vocab_size == 300);
    CHECK(a.tied_embeddings == false);
    CHECK(a.max_context_tokens == 8192);
    CHECK(l.model.file_type_name == "Q8_0");
    // 2 x 64 x 300 embeddings + 2 x (4 x 64^2 ... ) from the fixture's shapes
    CHECK(l.model.parameters ==
          2 * 64 * 300 + 2 * (64 * 64 * 2 + 64 * 32 * 2 + 3 * 64 * 128 + 2 * 64) + 64);
    CHECK(l.model.weight_bytes == l.file.tensor_bytes());
    // K+V per token: 2 layers x 2 KV heads x (16 + 16) x 2 bytes
    CHECK(l.model.kv_bytes_per_token_f16 == 256u);
    CHECK(l.model.model.parameters_total == l.model.parameters);
}

TEST_CASE("gguf model: per-tensor bytes are the catalogue's block sizes") {
    const auto l = load("qwen2-q4_k_m.gguf");
    REQUIRE(l.model.weights.size() == l.file.tensors.size());
    for (std::size_t k = 0; k < l.file.tensors.size(); ++k) {
        CHECK(l.model.weights[k].bytes == l.file.tensors[k].bytes);
        CHECK(l.model.weights[k].type == l.file.tensors[k].type);
    }
    CHECK(l.model.model.architecture.tied_embeddings == true);
    CHECK(l.model.layout.tied_embeddings);
}

TEST_CASE("gguf model: sliding-window patterns per architecture") {
    CHECK(load("gemma3-q8_0.gguf").model.model.architecture.sliding_window->pattern == "LLLLLG");
    CHECK(load("gemma2-mixed.gguf").model.model.architecture.sliding_window->pattern == "LG");
    const auto oss = load("gpt-oss-mxfp4.gguf").model.model.architecture;
    CHECK(oss.sliding_window->pattern == "LG");
    CHECK(oss.sliding_window->window_tokens == 128);
    CHECK(oss.moe->experts == 4);
    CHECK(oss.moe->experts_per_token == 2);
    CHECK(oss.moe->expert_ffn_size == 64);
}

TEST_CASE("gguf model: DeepSeek-2 MLA and MoE fields") {
    const auto l = load("deepseek2-mla.gguf");
    const auto& a = l.model.model.architecture;
    REQUIRE(a.mla);
    CHECK(a.mla->kv_lora_rank == 32);
    CHECK(a.mla->q_lora_rank == 32);
    CHECK(a.mla->qk_rope_head_dim == 16);
    CHECK(a.mla->qk_nope_head_dim == 16);
    CHECK(a.mla->v_head_dim == 32);
    CHECK_FALSE(a.kv_heads);
    REQUIRE(a.moe);
    CHECK(a.moe->shared_experts == 1);
    CHECK(a.moe->dense_layers == 1);
    CHECK(a.kind == "moe");
    // MLA caches kv_lora_rank + rope dims per layer: 3 x 48 x 2 bytes
    CHECK(l.model.kv_bytes_per_token_f16 == 288u);
}

TEST_CASE("gguf model: a Mamba-2 hybrid's recurrent layers come from per-layer KV heads") {
    const auto l = load("granitehybrid-mamba2.gguf");
    const auto& r = l.model.model.architecture.recurrent;
    REQUIRE(r);
    CHECK(r->kind == "mamba2");
    CHECK(r->pattern == "MMAM");
    CHECK(r->recurrent_layers == 3);
    CHECK(r->attention_layers == 1);
    CHECK(r->state_size == 16);
    CHECK(r->heads == 4);
    CHECK(l.model.model.architecture.kv_heads == 2);
    // Only the attention layer caches tokens: 1 layer x 2 heads x 32 x 2 bytes
    CHECK(l.model.kv_bytes_per_token_f16 == 128u);
}

TEST_CASE("gguf model: MoE expert FFN and fused phi3 tensors") {
    const auto moe = load("qwen3moe-mixed.gguf").model.model.architecture;
    CHECK(moe.moe->expert_ffn_size == 32);
    CHECK(moe.kind == "moe");
    const auto phi = load("phi3-fused.gguf");
    CHECK(phi.model.model.architecture.ffn_gated);
    CHECK(gguf_tensor_category("blk.0.attn_qkv.weight", 2) == TensorCategory::attn_v);
    CHECK(gguf_tensor_category("blk.0.ffn_gate_inp.weight", 2) == TensorCategory::norm);
    CHECK(gguf_tensor_category("blk.1.ffn_down_exps.weight", 3) == TensorCategory::ffn_down);
    CHECK(gguf_tensor_category("token_embd.weight", 2) == TensorCategory::token_embd);
}

TEST_CASE("gguf model: v2 and v3 files of the same model derive the same model") {
    const auto v2 = load("llama-v2.gguf");
    const auto v3 = load("llama-q8_0.gguf");
    CHECK(v2.file.version == 2);
    CHECK(v2.model.parameters == v3.model.parameters);
    CHECK(v2.model.weight_bytes == v3.model.weight_bytes);
}

TEST_CASE("gguf model: implausible architecture values are errors naming the key") {
    auto l = load("llama-q8_0.gguf");
    for (auto& kv : l.file.metadata) {
        if (kv.key == "llama.block_count") {
            kv.value.data = std::uint64_t{1} << 40;
        }
    }
    auto model = model_from_gguf(l.file, "x.gguf", catalog());
    REQUIRE_FALSE(model.ok());
    CHECK(model.error().code == ExitCode::bad_input);
    CHECK_THAT(model.error().message,
               Catch::Contains("\"llama.block_count\" = 1099511627776 is beyond"));
}

TEST_CASE("gguf inspect: JSON names every tensor and survives non-UTF-8 names") {
    auto l = load("llama-q8_0.gguf");
    l.model.model.name = std::string("bad\xff name");
    const auto doc = nlohmann::json::parse(render_gguf_inspect_json("x.gguf", l.file, l.model));
    CHECK(doc["schema_version"] == 1);
    CHECK(doc["tensors"].size() == l.file.tensors.size());
    CHECK(doc["model"]["architecture_fields"]["layers"] == 2);
    const std::string md = render_gguf_inspect_markdown("x.gguf", l.file, l.model);
    CHECK_THAT(md, Catch::Contains("| name | bad\\xff name |"));
}
