// GGUF metadata -> ModelArchitecture. Key names follow llama.cpp's src/llama-arch.cpp
// (LLM_KV_*: "%s.block_count", "%s.attention.head_count_kv", "%s.ssm.state_size"...);
// per-layer values use its get_key_or_arr convention (one number or one per layer).
#include "gguf_internal.hpp"

#include <algorithm>

namespace edgeplan::gguf_detail {

namespace {

using Count = std::optional<std::uint64_t>;

std::optional<int> as_int(const Count& value) {
    return value ? std::optional<int>(static_cast<int>(*value)) : std::nullopt; // bounded
}

std::optional<int> largest(const std::vector<std::uint64_t>& values) {
    if (values.empty()) {
        return std::nullopt;
    }
    return static_cast<int>(*std::max_element(values.begin(), values.end()));
}

/// ne1 of the first tensor whose name ends with `suffix` (an FFN width from its shape).
std::optional<int> rows_of(const ModelShapes& shapes, std::string_view suffix) {
    for (const auto& t : shapes.tensors) {
        const std::string_view name = t.name;
        if (name.size() >= suffix.size() && name.substr(name.size() - suffix.size()) == suffix &&
            t.ne1 > 0 && static_cast<std::uint64_t>(t.ne1) <= gguf_max_width) {
            return static_cast<int>(t.ne1);
        }
    }
    return std::nullopt;
}

bool has_tensor(const ModelShapes& shapes, std::string_view name) {
    return std::any_of(shapes.tensors.begin(), shapes.tensors.end(),
                       [&](const TensorShape& t) { return t.name == name; });
}

/// Layers that use the sliding window, as llama.cpp's per-architecture set_swa_pattern
/// (src/llama-model.cpp): gemma2 and gpt-oss alternate from layer 0, gemma3 has 5 sliding
/// layers to 1 global, cohere2 3 to 1.
std::optional<std::string> default_swa_pattern(const std::string& arch) {
    if (arch == "gemma2" || arch == "gpt-oss") {
        return "LG";
    }
    if (arch == "gemma3") {
        return "LLLLLG";
    }
    if (arch == "cohere2") {
        return "LLLG";
    }
    return std::nullopt;
}

Status read_swa(const MetadataFields& fields, const std::string& arch, ModelArchitecture& out,
                std::vector<std::string>& notes) {
    auto window = fields.count("attention.sliding_window", gguf_max_tokens);
    if (!window) {
        return window.error();
    }
    if (!*window || **window == 0) {
        return Done{};
    }
    std::optional<std::string> pattern;
    // Newer converters state the pattern: one bool per layer (true = sliding), or N (every
    // Nth layer global).
    if (const auto* kv = fields.entry(arch + ".attention.sliding_window_pattern")) {
        if (const auto* array = kv->value.as_array(); array != nullptr && array->complete()) {
            std::string letters;
            for (const auto& v : array->values) {
                const bool sliding = v.as_bool().value_or(v.as_unsigned().value_or(0) != 0);
                letters += sliding ? 'L' : 'G';
            }
            pattern = letters.empty() ? std::nullopt : std::optional<std::string>(letters);
        } else if (auto n = kv->value.as_unsigned(); n && *n >= 1 && *n <= gguf_max_count) {
            pattern = std::string(static_cast<std::size_t>(*n - 1), 'L') + "G";
        }
    }
    if (!pattern) {
        pattern = default_swa_pattern(arch);
    }
    if (!pattern) {
        notes.push_back("attention.sliding_window is " + std::to_string(**window) +
                        " but which layers of this architecture use it is not known: every "
                        "layer is counted as full attention (the KV figure is an upper bound)");
        return Done{};
    }
    out.sliding_window = SlidingWindow{static_cast<int>(**window), *pattern};
    return Done{};
}

Status read_moe(const MetadataFields& fields, const ModelShapes& shapes, ModelArchitecture& out) {
    auto experts = fields.count("expert_count", gguf_max_count);
    auto used = fields.count("expert_used_count", gguf_max_count);
    auto shared = fields.count("expert_shared_count", gguf_max_count);
    auto dense = fields.count("leading_dense_block_count", gguf_max_count);
    auto width = fields.count("expert_feed_forward_length", gguf_max_width);
    auto shared_width = fields.count("expert_shared_feed_forward_length", gguf_max_width);
    auto step = fields.count("interleave_moe_layer_step", gguf_max_count);
    for (const auto* r : {&experts, &used, &shared, &dense, &width, &shared_width, &step}) {
        if (!*r) {
            return r->error();
        }
    }
    if (!*experts || **experts == 0) {
        return Done{};
    }
    MixtureOfExperts moe;
    moe.experts = static_cast<int>(**experts);
    moe.experts_per_token = as_int(*used).value_or(0);
    moe.shared_experts = as_int(*shared).value_or(0);
    moe.expert_ffn_size =
        as_int(*width).value_or(rows_of(shapes, "ffn_gate_exps.weight")
                                    .value_or(rows_of(shapes, "ffn_up_exps.weight").value_or(0)));
    moe.shared_expert_ffn_size = as_int(*shared_width);
    if (!moe.shared_expert_ffn_size) {
        moe.shared_expert_ffn_size = rows_of(shapes, "ffn_up_shexp.weight");
    }
    moe.dense_layers = as_int(*dense).value_or(0);
    moe.moe_layer_period = std::max(1, as_int(*step).value_or(1));
    out.moe = moe;
    return Done{};
}

Status read_mla(const MetadataFields& fields, ModelArchitecture& out) {
    auto kv_lora = fields.count("attention.kv_lora_rank", gguf_max_width);
    auto q_lora = fields.count("attention.q_lora_rank", gguf_max_width);
    auto rope = fields.count("rope.dimension_count", gguf_max_width);
    auto key = fields.count("attention.key_length", gguf_max_width);
    auto value = fields.count("attention.value_length", gguf_max_width);
    auto key_mla = fields.count("attention.key_length_mla", gguf_max_width);
    auto value_mla = fields.count("attention.value_length_mla", gguf_max_width);
    for (const auto* r : {&kv_lora, &q_lora, &rope, &key, &value, &key_mla, &value_mla}) {
        if (!*r) {
            return r->error();
        }
    }
    if (!*kv_lora || **kv_lora == 0) {
        return Done{};
    }
    // Since llama.cpp PR #12801 converters write the per-head sizes as *_mla and key_length
    // as kv_lora_rank + rope (the absorbed MQA view); older files have the per-head sizes in
    // key_length / value_length.
    const Count head_key = *key_mla ? *key_mla : *key;
    const Count head_value = *value_mla ? *value_mla : *value;
    const std::uint64_t rope_dim = rope->value_or(0);
    if (!head_key || !head_value || *head_key < rope_dim) {
        return Done{}; // not enough to describe the latent attention
    }
    MultiHeadLatentAttention mla;
    mla.kv_lora_rank = static_cast<int>(**kv_lora);
    if (*q_lora && **q_lora > 0) {
        mla.q_lora_rank = static_cast<int>(**q_lora);
    }
    mla.qk_rope_head_dim = static_cast<int>(rope_dim);
    mla.qk_nope_head_dim = static_cast<int>(*head_key - rope_dim);
    mla.v_head_dim = static_cast<int>(*head_value);
    out.mla = mla;
    out.head_dim.reset(); // per-head sizes live in `mla`, as in the catalogue's DeepSeek entries
    out.kv_heads.reset();
    return Done{};
}

Status read_ssm(const MetadataFields& fields, const std::string& arch,
                const std::vector<std::uint64_t>& kv_heads, ModelArchitecture& out) {
    auto state = fields.count("ssm.state_size", gguf_max_width);
    auto conv = fields.count("ssm.conv_kernel", gguf_max_width);
    auto inner = fields.count("ssm.inner_size", gguf_max_width);
    auto rank = fields.count("ssm.time_step_rank", gguf_max_width);
    auto groups = fields.count("ssm.group_count", gguf_max_width);
    for (const auto* r : {&state, &conv, &inner, &rank, &groups}) {
        if (!*r) {
            return r->error();
        }
    }
    if (!*state && !*conv && !*inner) {
        return Done{};
    }
    RecurrentLayers rec;
    // Mamba-1 (mamba, jamba) has no heads; time_step_rank is its dt rank. Mamba-2 hybrids
    // (mamba2, granitehybrid, nemotron_h, falcon-h1) store the head count there.
    const bool mamba1 = arch == "mamba" || arch == "jamba";
    rec.kind = mamba1 ? "mamba" : "mamba2";
    rec.state_size = as_int(*state);
    rec.conv_kernel = as_int(*conv);
    rec.inner_size = as_int(*inner);
    rec.groups = as_int(*groups);
    if (!mamba1) {
        rec.heads = as_int(*rank);
    }
    const int layers = out.layers.value_or(0);
    if (kv_heads.size() > 1) {
        // Hybrids mark recurrent layers with head_count_kv = 0.
        std::string pattern;
        for (const auto heads : kv_heads) {
            pattern += heads == 0 ? 'M' : 'A';
        }
        rec.attention_layers = static_cast<int>(std::count(pattern.begin(), pattern.end(), 'A'));
        rec.recurrent_layers = static_cast<int>(pattern.size()) - rec.attention_layers;
        rec.pattern = pattern;
    } else {
        rec.recurrent_layers = layers;
    }
    out.recurrent = rec;
    return Done{};
}

} // namespace

Result<ModelArchitecture> architecture_from_metadata(const MetadataFields& fields,
                                                     const std::string& arch,
                                                     const ModelShapes& shapes,
                                                     std::vector<std::string>& notes) {
    ModelArchitecture out;
    out.gguf_architecture = arch;
    auto layers = fields.count("block_count", gguf_max_count);
    auto hidden = fields.count("embedding_length", gguf_max_width);
    auto heads = fields.per_layer("attention.head_count", gguf_max_count);
    auto kv_heads = fields.per_layer("attention.head_count_kv", gguf_max_count);
    auto key = fields.count("attention.key_length", gguf_max_width);
    auto ffn = fields.per_layer("feed_forward_length", gguf_max_width);
    auto context = fields.count("context_length", gguf_max_tokens);
    auto vocab_key = fields.count("vocab_size", gguf_max_tokens);
    for (const auto* r : {&layers, &hidden, &key, &context, &vocab_key}) {
        if (!*r) {
            return r->error();
        }
    }
    for (const auto* r : {&heads, &kv_heads, &ffn}) {
        if (!*r) {
            return r->error();
        }
    }
    out.layers = as_int(*layers);
    out.hidden_size = as_int(*hidden);
    out.attention_heads = largest(*heads);
    // Per-layer KV heads of a hybrid are 0 on recurrent layers: the attention layers' count.
    std::vector<std::uint64_t> nonzero;
    std::copy_if(kv_heads->begin(), kv_heads->end(), std::back_inserter(nonzero),
                 [](std::uint64_t h) { return h > 0; });
    out.kv_heads = !kv_heads->empty() ? largest(nonzero) : out.attention_heads;
    if (heads->size() > 1 || kv_heads->size() > 1) {
        notes.push_back("head counts are per layer; the largest is shown");
    }
    out.head_dim = as_int(*key);
    if (!out.head_dim && out.hidden_size && out.attention_heads && *out.attention_heads > 0 &&
        *out.hidden_size % *out.attention_heads == 0) {
        out.head_dim = *out.hidden_size / *out.attention_heads; // llama.cpp's default
    }
    out.ffn_size = largest(*ffn);
    out.max_context_tokens = as_int(*context);

    if (const auto* tokens = fields.entry("tokenizer.ggml.tokens");
        tokens != nullptr && tokens->value.as_array() != nullptr &&
        tokens->value.as_array()->count <= gguf_max_tokens) {
        out.vocab_size = static_cast<int>(tokens->value.as_array()->count);
    } else if (*vocab_key) {
        out.vocab_size = as_int(*vocab_key);
    } else if (auto rows = rows_of(shapes, "token_embd.weight")) {
        out.vocab_size = rows;
        notes.push_back("vocabulary size from token_embd.weight (no tokenizer.ggml.tokens)");
    }
    if (has_tensor(shapes, "token_embd.weight")) {
        out.tied_embeddings = !has_tensor(shapes, "output.weight");
    }
    // Plain MLPs have up and down only; phi3 fuses gate|up into one ffn_up.
    const bool any_gate =
        std::any_of(shapes.tensors.begin(), shapes.tensors.end(),
                    [](const auto& t) { return t.category == TensorCategory::ffn_gate; });
    const bool any_up =
        std::any_of(shapes.tensors.begin(), shapes.tensors.end(),
                    [](const auto& t) { return t.category == TensorCategory::ffn_up; });
    out.ffn_gated = any_gate || !any_up || arch == "phi3";

    if (auto swa = read_swa(fields, arch, out, notes); !swa) {
        return swa.error();
    }
    if (auto moe = read_moe(fields, shapes, out); !moe) {
        return moe.error();
    }
    if (auto mla = read_mla(fields, out); !mla) {
        return mla.error();
    }
    if (auto ssm = read_ssm(fields, arch, *kv_heads, out); !ssm) {
        return ssm.error();
    }
    out.kind = out.recurrent ? "hybrid" : (out.moe ? "moe" : "decoder");
    return out;
}

} // namespace edgeplan::gguf_detail
