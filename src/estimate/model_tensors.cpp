// llama.cpp tensor lists per architecture. Names and shapes follow llama.cpp's
// src/llama-arch.cpp (LLM_TENSOR_NAMES) and src/llama-model.cpp (load_tensors), mainline
// 2025-2026; ne0 is the input dimension of a matrix, ne2 the experts of a merged MoE tensor.
// Which tensors llama-quantize leaves unquantized (norms, biases, the MoE router, ssm_conv1d,
// ssm_a/d) follows llama-quant.cpp and estimation-facts.md §1.1: they get category `norm`.
#include <edgeplan/estimate/model_tensors.hpp>

#include "model_tensors_internal.hpp"

#include <algorithm>
#include <cstdint>
#include <set>

namespace edgeplan {

namespace {

using C = TensorCategory;
using tensors_detail::Builder;
using tensors_detail::Dims;

/// Architectures whose per-layer tensors are modelled exactly here.
const std::set<std::string>& exact_architectures() {
    static const std::set<std::string> names = {
        "llama",   "mistral",  "mistral3",      "granite", "smollm3", "qwen2", "qwen2vl",
        "qwen3",   "qwen2moe", "qwen3moe",      "gemma2",  "gemma3",  "phi3",  "deepseek2",
        "gpt-oss", "llama4",   "granitehybrid", "olmo2",   "gemma3n", "gemma4"};
    return names;
}

bool has_bias_qkv(const std::string& arch) {
    // Qwen2 (and Qwen2-VL / Qwen2-MoE) keep q/k/v biases; gpt-oss has biases on all four.
    return arch == "qwen2" || arch == "qwen2vl" || arch == "qwen2moe" || arch == "gpt-oss";
}

bool has_qk_norm(const std::string& arch) {
    return arch == "qwen3" || arch == "qwen3moe" || arch == "gemma3" || arch == "gemma3n" ||
           arch == "gemma4" || arch == "olmo2";
}

void add_attention(Builder& b, const std::string& arch, int il, const Dims& d,
                   bool keys_are_values = false) {
    if (arch == "phi3") {
        // Phi-3/4: one fused projection, rows Q | K | V.
        b.blk(il, "attn_qkv.weight", C::attn_v, d.embd, d.q_dim + 2 * d.kv_dim);
    } else {
        b.blk(il, "attn_q.weight", C::attn_q, d.embd, d.q_dim);
        b.blk(il, "attn_k.weight", C::attn_k, d.embd, d.kv_dim);
        if (!keys_are_values) {
            b.blk(il, "attn_v.weight", C::attn_v, d.embd, d.kv_dim);
        }
    }
    if (has_bias_qkv(arch)) {
        b.blk(il, "attn_q.bias", C::norm, d.q_dim);
        b.blk(il, "attn_k.bias", C::norm, d.kv_dim);
        b.blk(il, "attn_v.bias", C::norm, d.kv_dim);
    }
    if (has_qk_norm(arch)) {
        // OLMo-2 normalises the whole projection; the others one head.
        const std::int64_t q_norm = arch == "olmo2" ? d.q_dim : d.head_dim;
        const std::int64_t k_norm = arch == "olmo2" ? d.kv_dim : d.head_dim;
        b.blk(il, "attn_q_norm.weight", C::norm, q_norm);
        b.blk(il, "attn_k_norm.weight", C::norm, k_norm);
    }
    b.blk(il, "attn_output.weight", C::attn_output, d.q_dim, d.embd);
    if (arch == "gpt-oss") {
        b.blk(il, "attn_output.bias", C::norm, d.embd);
        b.blk(il, "attn_sinks.weight", C::norm, d.n_head); // one learned sink logit per head
    }
}

void add_mla_attention(Builder& b, const MultiHeadLatentAttention& mla, int il, const Dims& d,
                       MlaTensorLayout layout) {
    const std::int64_t qk_head = mla.qk_nope_head_dim + mla.qk_rope_head_dim;
    if (mla.q_lora_rank) {
        b.blk(il, "attn_q_a_norm.weight", C::norm, *mla.q_lora_rank);
        b.blk(il, "attn_q_a.weight", C::other, d.embd, *mla.q_lora_rank);
        b.blk(il, "attn_q_b.weight", C::other, *mla.q_lora_rank, d.n_head * qk_head);
    } else {
        b.blk(il, "attn_q.weight", C::attn_q, d.embd, d.n_head * qk_head);
    }
    b.blk(il, "attn_kv_a_norm.weight", C::norm, mla.kv_lora_rank);
    b.blk(il, "attn_kv_a_mqa.weight", C::other, d.embd, mla.kv_lora_rank + mla.qk_rope_head_dim);
    if (layout == MlaTensorLayout::fused_kv_b) {
        // llama-quant treats attn_kv_b like attn_v (estimation-facts §1.2).
        b.blk(il, "attn_kv_b.weight", C::attn_v, mla.kv_lora_rank,
              d.n_head * (mla.qk_nope_head_dim + mla.v_head_dim));
    } else {
        b.blk(il, "attn_k_b.weight", C::other, mla.qk_nope_head_dim, mla.kv_lora_rank, d.n_head);
        b.blk(il, "attn_v_b.weight", C::other, mla.kv_lora_rank, mla.v_head_dim, d.n_head);
    }
    b.blk(il, "attn_output.weight", C::attn_output, d.n_head * mla.v_head_dim, d.embd);
}

void add_mamba2(Builder& b, const RecurrentLayers& rec, int il, const Dims& d) {
    // Mamba-2 mixer (llama-model.cpp, LLM_ARCH_MAMBA2 / GRANITE_HYBRID): in_proj emits
    // z, x, B, C and dt; conv over x|B|C; per-head A, D and dt bias; grouped RMS norm.
    const std::int64_t d_inner = rec.inner_size.value_or(2 * d.embd);
    const std::int64_t d_state = rec.state_size.value_or(128);
    const std::int64_t n_group = rec.groups.value_or(1);
    const std::int64_t n_head = rec.heads.value_or(static_cast<int>(d_inner / 64));
    const std::int64_t d_conv = rec.conv_kernel.value_or(4);
    const std::int64_t conv_dim = d_inner + 2 * n_group * d_state;
    b.blk(il, "ssm_in.weight", C::other, d.embd, 2 * d_inner + 2 * n_group * d_state + n_head);
    b.blk(il, "ssm_conv1d.weight", C::norm, d_conv, conv_dim);
    b.blk(il, "ssm_conv1d.bias", C::norm, conv_dim);
    b.blk(il, "ssm_dt.bias", C::norm, n_head);
    b.blk(il, "ssm_a", C::norm, 1, n_head);
    b.blk(il, "ssm_d", C::norm, 1, n_head);
    b.blk(il, "ssm_norm.weight", C::norm, d_inner / n_group, n_group);
    b.blk(il, "ssm_out.weight", C::other, d_inner, d.embd);
}

void add_dense_ffn(Builder& b, const std::string& arch, int il, const Dims& d, std::int64_t ff,
                   bool gated) {
    if (arch == "phi3") {
        b.blk(il, "ffn_up.weight", C::ffn_up, d.embd, 2 * ff); // fused gate|up
    } else {
        if (gated) {
            b.blk(il, "ffn_gate.weight", C::ffn_gate, d.embd, ff);
        }
        b.blk(il, "ffn_up.weight", C::ffn_up, d.embd, ff);
    }
    b.blk(il, "ffn_down.weight", C::ffn_down, ff, d.embd);
}

void add_moe_ffn(Builder& b, const std::string& arch, const MixtureOfExperts& moe, int il,
                 const Dims& d) {
    const std::int64_t n_exp = moe.experts;
    const std::int64_t ff = moe.expert_ffn_size;
    b.blk(il, "ffn_gate_inp.weight", C::norm, d.embd, n_exp); // router: never quantized
    if (arch == "gpt-oss") {
        b.blk(il, "ffn_gate_inp.bias", C::norm, n_exp);
    }
    if (arch == "deepseek2" && n_exp >= 256) {
        // DeepSeek-V3's noaux_tc routing bias (e_score_correction_bias); V2 has none.
        b.blk(il, "exp_probs_b.bias", C::norm, n_exp);
    }
    b.blk(il, "ffn_gate_exps.weight", C::ffn_gate, d.embd, ff, n_exp);
    b.blk(il, "ffn_up_exps.weight", C::ffn_up, d.embd, ff, n_exp);
    b.blk(il, "ffn_down_exps.weight", C::ffn_down, ff, d.embd, n_exp);
    if (arch == "gpt-oss") {
        b.blk(il, "ffn_gate_exps.bias", C::norm, ff, n_exp);
        b.blk(il, "ffn_up_exps.bias", C::norm, ff, n_exp);
        b.blk(il, "ffn_down_exps.bias", C::norm, d.embd, n_exp);
    }
    if (moe.shared_experts > 0) {
        const std::int64_t sh =
            moe.shared_expert_ffn_size.value_or(static_cast<int>(moe.shared_experts * ff));
        if (arch == "qwen2moe") {
            b.blk(il, "ffn_gate_inp_shexp.weight", C::norm, d.embd);
        }
        b.blk(il, "ffn_gate_shexp.weight", C::ffn_gate, d.embd, sh);
        b.blk(il, "ffn_up_shexp.weight", C::ffn_up, d.embd, sh);
        b.blk(il, "ffn_down_shexp.weight", C::ffn_down, sh, d.embd);
    }
}

std::string llm_type_of(const std::string& arch, int n_layer) {
    // llama.cpp's size class matters to llama-quantize only for LLM_TYPE_70B (attn_v bump);
    // llama-model.cpp assigns it to 80-layer Llama models.
    if ((arch == "llama" || arch == "mistral") && n_layer == 80) {
        return "70B";
    }
    return "";
}

} // namespace

bool layer_is_moe(const ModelArchitecture& arch, int layer) {
    if (!arch.moe || arch.moe->experts <= 0) {
        return false;
    }
    if (layer < arch.moe->dense_layers) {
        return false;
    }
    const int period = std::max(1, arch.moe->moe_layer_period);
    return (layer + 1) % period == 0; // llama.cpp: (il + 1) % n_moe_layer_step == 0
}

bool layer_is_recurrent(const ModelArchitecture& arch, int layer) {
    if (!arch.recurrent || arch.recurrent->recurrent_layers <= 0) {
        return false;
    }
    const auto& rec = *arch.recurrent;
    if (rec.pattern && !rec.pattern->empty()) {
        const char c = (*rec.pattern)[static_cast<std::size_t>(layer) % rec.pattern->size()];
        return c != 'A' && c != 'G' && c != '*';
    }
    const int n = arch.layers.value_or(rec.recurrent_layers + rec.attention_layers);
    if (rec.attention_layers <= 0) {
        return true;
    }
    const int period = std::max(1, n / rec.attention_layers);
    return (layer + 1) % period != 0;
}

bool layer_is_sliding(const ModelArchitecture& arch, int layer) {
    if (!arch.sliding_window || arch.sliding_window->pattern.empty()) {
        return false;
    }
    const auto& pattern = arch.sliding_window->pattern;
    return pattern[static_cast<std::size_t>(layer) % pattern.size()] == 'L';
}

Result<ModelTensorList> llama_cpp_tensor_list(const ModelArchitecture& arch,
                                              const TensorListOptions& options) {
    if (arch.kind && (*arch.kind == "encoder" || *arch.kind == "encoder-decoder")) {
        return make_error(ExitCode::bad_input, "architecture.kind",
                          "no llama.cpp decoder tensor list for an " + *arch.kind + " model");
    }
    if (!arch.layers || !arch.hidden_size || !arch.attention_heads || !arch.vocab_size) {
        return make_error(ExitCode::bad_input, "architecture",
                          "layers, hidden_size, attention_heads and vocab_size are needed");
    }
    const bool moe = arch.moe && arch.moe->experts > 0;
    if (!arch.ffn_size &&
        !(moe && arch.moe->dense_layers == 0 && arch.moe->moe_layer_period <= 1)) {
        return make_error(ExitCode::bad_input, "architecture.ffn_size",
                          "the dense FFN size is unknown");
    }
    ModelTensorList list;
    const std::string name = arch.gguf_architecture.value_or("llama");
    if (exact_architectures().count(name) == 0) {
        list.approximate = true;
        list.notes.push_back("architecture \"" + name +
                             "\" is listed as a llama-style decoder; its extra per-layer "
                             "tensors (if any) are not counted");
    }
    if (name == "gemma4" && arch.sliding_window && !arch.global_attention) {
        // Gemma 4 global layers have their own head_dim (512) and KV heads.
        list.approximate = true;
        list.notes.push_back("gemma4 global layers are listed with the sliding layers' head "
                             "shape (architecture.global_attention unknown)");
    }
    Dims d;
    d.n_layer = *arch.layers;
    d.embd = *arch.hidden_size;
    d.n_head = *arch.attention_heads;
    d.n_head_kv = arch.kv_heads.value_or(d.n_head);
    d.head_dim = arch.head_dim.value_or(static_cast<int>(d.embd / d.n_head));
    d.q_dim = d.n_head * d.head_dim;
    d.kv_dim = d.n_head_kv * d.head_dim;
    d.vocab = *arch.vocab_size;
    // Gemma 2/3/3n/4 checkpoints have no lm_head: the converter writes no output.weight.
    const bool gemma =
        name == "gemma2" || name == "gemma3" || name == "gemma3n" || name == "gemma4";
    const bool tied = arch.tied_embeddings.value_or(false) || gemma;

    ModelShapes& shapes = list.shapes;
    shapes.arch = name;
    shapes.llm_type = llm_type_of(name, d.n_layer);
    shapes.n_layer = d.n_layer;
    shapes.n_head = d.n_head;
    // MLA GGUFs store n_head_kv = 1 (one shared latent; estimation-facts §2.4).
    shapes.n_head_kv = arch.mla ? 1 : d.n_head_kv;
    shapes.n_expert = moe ? arch.moe->experts : 0;

    Builder b(shapes);
    b.add("token_embd.weight", C::token_embd, -1, d.embd, d.vocab);
    tensors_detail::add_gemma_global_tensors(b, arch, d);
    for (int il = 0; il < d.n_layer; ++il) {
        b.blk(il, "attn_norm.weight", C::norm, d.embd);
        if (layer_is_recurrent(arch, il)) {
            add_mamba2(b, *arch.recurrent, il, d);
        } else if (arch.mla) {
            add_mla_attention(b, *arch.mla, il, d, options.mla);
        } else {
            add_attention(b, name, il, tensors_detail::block_dims(arch, il, d),
                          tensors_detail::block_keys_are_values(arch, il));
        }
        if (gemma) {
            b.blk(il, "post_attention_norm.weight", C::norm, d.embd);
        }
        if (name == "gemma4") {
            b.blk(il, "layer_output_scale.weight", C::norm, 1); // one scalar per layer
        }
        // gpt-oss names its pre-FFN norm post_attention_norm; the bytes are the same.
        b.blk(il, name == "gpt-oss" ? "post_attention_norm.weight" : "ffn_norm.weight", C::norm,
              d.embd);
        if (layer_is_moe(arch, il)) {
            add_moe_ffn(b, name, *arch.moe, il, d);
        } else {
            add_dense_ffn(b, name, il, d, tensors_detail::block_ffn_size(arch, il), arch.ffn_gated);
        }
        if (gemma) {
            b.blk(il, "post_ffw_norm.weight", C::norm, d.embd);
        }
        tensors_detail::add_gemma_block_extras(b, arch, il, d);
    }
    b.add("output_norm.weight", C::norm, -1, d.embd);
    if (name == "gemma4" && arch.global_attention) {
        // The converter's one rope_freqs tensor (proportional RoPE of the global layers).
        b.add("rope_freqs.weight", C::norm, -1, arch.global_attention->head_dim / 2);
    }
    if (!tied) {
        b.add("output.weight", C::output, -1, d.embd, d.vocab);
    }
    if (arch.recurrent && arch.recurrent->kind != "mamba2") {
        list.approximate = true;
        list.notes.push_back("recurrent layers of kind \"" + arch.recurrent->kind +
                             "\" are listed with Mamba-2 tensor shapes");
    }
    return list;
}

} // namespace edgeplan
