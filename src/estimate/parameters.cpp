#include <edgeplan/estimate/parameters.hpp>

#include <algorithm>

namespace edgeplan {

namespace {

using Count = std::uint64_t;

/// Q, K, V and output projections of one standard (GQA) attention block; K and V read
/// `kv_input` wide inputs (the encoder's width for cross-attention).
Count attention(Count hidden, Count heads, Count kv_heads, Count head_dim, Count kv_input) {
    return hidden * heads * head_dim + 2 * kv_input * kv_heads * head_dim +
           heads * head_dim * hidden;
}

/// DeepSeek's multi-head latent attention: low-rank Q (when q_lora_rank is set), the joint
/// KV down-projection with the decoupled RoPE key, the KV up-projection and the output.
Count latent_attention(Count hidden, Count heads, const MultiHeadLatentAttention& mla) {
    const Count qk = static_cast<Count>(mla.qk_nope_head_dim + mla.qk_rope_head_dim);
    const Count q = mla.q_lora_rank ? hidden * *mla.q_lora_rank +
                                          static_cast<Count>(*mla.q_lora_rank) * heads * qk
                                    : hidden * heads * qk;
    const Count kv_down = hidden * static_cast<Count>(mla.kv_lora_rank + mla.qk_rope_head_dim);
    const Count kv_up = static_cast<Count>(mla.kv_lora_rank) * heads *
                        static_cast<Count>(mla.qk_nope_head_dim + mla.v_head_dim);
    return q + kv_down + kv_up + heads * static_cast<Count>(mla.v_head_dim) * hidden;
}

} // namespace

std::optional<std::uint64_t> transformer_parameter_count(const ModelArchitecture& a) {
    if (!a.layers || !a.hidden_size || !a.attention_heads || !a.vocab_size) {
        return std::nullopt;
    }
    const Count layers = static_cast<Count>(*a.layers);
    const Count hidden = static_cast<Count>(*a.hidden_size);
    const Count heads = static_cast<Count>(*a.attention_heads);
    const Count kv_heads = static_cast<Count>(a.kv_heads.value_or(*a.attention_heads));
    const Count head_dim =
        static_cast<Count>(a.head_dim.value_or(*a.hidden_size / *a.attention_heads));
    const Count matrices = a.ffn_gated ? 3 : 2;
    const bool tied = a.tied_embeddings.value_or(false);
    Count total = static_cast<Count>(*a.vocab_size) * hidden * (tied ? 1 : 2);

    // Recurrent layers of a hybrid have no attention; their own weights are not counted.
    const Count attention_layers =
        a.recurrent ? static_cast<Count>(a.recurrent->attention_layers) : layers;
    total += attention_layers * (a.mla ? latent_attention(hidden, heads, *a.mla)
                                       : attention(hidden, heads, kv_heads, head_dim, hidden));

    if (a.moe) {
        const auto& moe = *a.moe;
        const Count dense = static_cast<Count>(moe.dense_layers);
        const Count moe_layers =
            (layers - std::min(layers, dense)) / static_cast<Count>(moe.moe_layer_period);
        if (moe_layers < layers && !a.ffn_size) {
            return std::nullopt; // dense layers need ffn_size
        }
        const Count expert = matrices * hidden * static_cast<Count>(moe.expert_ffn_size);
        const Count shared =
            moe.shared_expert_ffn_size
                ? matrices * hidden * static_cast<Count>(*moe.shared_expert_ffn_size)
                : static_cast<Count>(moe.shared_experts) * expert;
        const Count router = hidden * static_cast<Count>(moe.experts);
        total += moe_layers * (static_cast<Count>(moe.experts) * expert + router + shared);
        total +=
            (layers - moe_layers) * matrices * hidden * static_cast<Count>(a.ffn_size.value_or(0));
    } else {
        if (!a.ffn_size) {
            return std::nullopt;
        }
        total += layers * matrices * hidden * static_cast<Count>(*a.ffn_size);
    }

    if (a.encoder) {
        // Encoder self-attention and FFN, plus the decoder's cross-attention over it.
        const auto& e = *a.encoder;
        const Count e_hidden = static_cast<Count>(e.hidden_size);
        const Count e_heads = static_cast<Count>(e.attention_heads);
        const Count e_head_dim = e_hidden / e_heads;
        const Count e_ffn = static_cast<Count>(e.ffn_size.value_or(0));
        total += static_cast<Count>(e.layers) *
                 (attention(e_hidden, e_heads, e_heads, e_head_dim, e_hidden) +
                  matrices * e_hidden * e_ffn);
        total += layers * attention(hidden, heads, kv_heads, head_dim, e_hidden);
    }
    return total;
}

} // namespace edgeplan
