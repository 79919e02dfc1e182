// A read GGUF header -> GgufModel: architecture from the metadata, weights from the tensor
// infos with their real types (gguf_tensor_bytes_typed), the KV bytes per token at f16.
#include "gguf_internal.hpp"

#include <edgeplan/gguf/gguf_model.hpp>

namespace edgeplan {

namespace {

/// f16 K and V bytes per token over the attention layers: n_head_kv x (key + value length)
/// x 2 bytes per layer; MLA caches one latent of kv_lora_rank + the RoPE key (llama.cpp
/// src/llama-kv-cache.cpp: MLA keeps no V rows). Recurrent layers cache no tokens.
std::optional<std::uint64_t> kv_bytes_per_token(const ModelArchitecture& arch,
                                                const std::vector<std::uint64_t>& kv_heads,
                                                std::optional<std::uint64_t> value_length) {
    if (!arch.layers) {
        return std::nullopt;
    }
    const auto layers = static_cast<std::uint64_t>(*arch.layers);
    if (arch.mla) {
        return layers *
               static_cast<std::uint64_t>(arch.mla->kv_lora_rank + arch.mla->qk_rope_head_dim) * 2;
    }
    if (!arch.head_dim || !arch.kv_heads) {
        return std::nullopt;
    }
    const auto key = static_cast<std::uint64_t>(*arch.head_dim);
    const std::uint64_t value = value_length.value_or(key);
    std::uint64_t total = 0;
    for (std::uint64_t layer = 0; layer < layers; ++layer) {
        // A per-layer array gives each layer's heads (0: recurrent); else every layer alike.
        const std::uint64_t heads = kv_heads.size() > 1
                                        ? (layer < kv_heads.size() ? kv_heads[layer] : 0)
                                        : static_cast<std::uint64_t>(*arch.kv_heads);
        total += heads * (key + value) * 2; // bounded: 2^12 x 2^21 x 2 per layer, 2^12 layers
    }
    return total;
}

} // namespace

Result<GgufModel> model_from_gguf(const GgufFile& file, const std::string& name,
                                  const Catalog& catalog) {
    GgufModel out;
    gguf_detail::MetadataFields probe(file, name, "");
    const std::string arch = probe.text("general.architecture").value_or("");
    gguf_detail::MetadataFields fields(file, name, arch);

    std::vector<std::string> types;
    auto shapes = gguf_detail::tensor_shapes(file, arch, types);
    if (!shapes) {
        return shapes.error();
    }
    out.shapes = std::move(shapes).value();
    auto weights = gguf_tensor_bytes_typed(out.shapes, types, catalog);
    if (!weights) {
        return weights.error();
    }
    out.weights = std::move(weights).value();
    out.layout = layout_weights(out.weights);
    for (const auto& w : out.weights) {
        out.parameters += static_cast<std::uint64_t>(w.shape.elements());
        out.weight_bytes += w.bytes;
    }

    Model& model = out.model;
    model.id = "gguf:" + name;
    model.name = fields.text("general.name").value_or(name);
    model.family = arch;
    model.publisher = fields.text("general.organization").value_or("");
    model.file = name;
    model.parameters_total = out.parameters;
    model.parameters_source = "GGUF tensor infos";
    Artifact gguf;
    gguf.format = "gguf";
    model.artifacts.push_back(gguf);
    if (arch.empty()) {
        out.notes.push_back("no general.architecture: architecture fields unknown");
    } else {
        auto architecture =
            gguf_detail::architecture_from_metadata(fields, arch, out.shapes, out.notes);
        if (!architecture) {
            return architecture.error();
        }
        model.architecture = std::move(architecture).value();
        out.shapes.n_layer = model.architecture.layers.value_or(0);
        out.shapes.n_head = model.architecture.attention_heads.value_or(0);
        out.shapes.n_head_kv = model.architecture.kv_heads.value_or(out.shapes.n_head);
        out.shapes.n_expert = model.architecture.moe ? model.architecture.moe->experts : 0;
        auto kv_heads = fields.per_layer("attention.head_count_kv", gguf_max_count);
        auto value = fields.count("attention.value_length", gguf_max_width);
        if (kv_heads && value) {
            out.kv_bytes_per_token_f16 = kv_bytes_per_token(model.architecture, *kv_heads, *value);
        }
    }
    if (model.architecture.tied_embeddings.value_or(false)) {
        out.notes.push_back("tied embeddings: no output.weight, token_embd.weight is the LM head");
    }

    auto file_type = probe.count_key("general.file_type", UINT32_MAX);
    if (!file_type) {
        return file_type.error();
    }
    out.file_type = *file_type;
    if (out.file_type) {
        for (const auto& preset : catalog.gguf_presets) {
            if (static_cast<std::uint64_t>(preset.llama_ftype) == *out.file_type) {
                out.file_type_name = preset.id;
            }
        }
    }
    return out;
}

} // namespace edgeplan
