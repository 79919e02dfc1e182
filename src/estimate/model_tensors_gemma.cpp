// Gemma 3n and Gemma 4 extras of the llama.cpp tensor list. Shapes transcribe llama.cpp
// src/models/gemma3n.cpp and src/models/gemma4.cpp (load_arch_tensors) of llama.cpp 0.5.0
// (commit 0ad4a86, the source node-llama-cpp 3.22.1 ships); which of them llama-quantize
// leaves alone follows src/llama-quant.cpp tensor_allows_quantization ("altup", "laurel",
// "per_layer_model_proj" are never quantized) and the converter conversion/base.py (1-D
// tensors, altup_correct_coef and altup_predict_coef are written as F32).
#include "model_tensors_internal.hpp"

#include <edgeplan/estimate/model_tensors.hpp>

namespace edgeplan::tensors_detail {

namespace {

using C = TensorCategory;

std::int64_t per_layer_width(const ModelArchitecture& arch, const Dims& d) {
    return static_cast<std::int64_t>(arch.per_layer_embedding_dim.value_or(0)) * d.n_layer;
}

} // namespace

void add_gemma_global_tensors(Builder& b, const ModelArchitecture& arch, const Dims& d) {
    if (arch.altup_inputs && *arch.altup_inputs > 1) {
        // One {n_embd, n_embd} matrix per extra stream, stacked by the converter.
        const std::int64_t extra = *arch.altup_inputs - 1;
        b.add("altup_proj.weight", C::unquantized, -1, d.embd, d.embd, extra);
        b.add("altup_unembd_proj.weight", C::unquantized, -1, d.embd, d.embd, extra);
    }
    if (arch.per_layer_embedding_dim) {
        // The table has n_vocab rows (the loader checks {n_embd_per_layer x n_layer, n_vocab};
        // the Gemma 3n converter pads the checkpoint's 262144 rows to vocab_size).
        b.add("per_layer_token_embd.weight", C::per_layer_token_embd, -1, per_layer_width(arch, d),
              d.vocab);
        // Created with block id 0 (LLM_TENSOR_LAYER_REPEATING): it lives with block 0.
        b.add("per_layer_model_proj.weight", C::unquantized, 0, d.embd, per_layer_width(arch, d));
        b.add("per_layer_proj_norm.weight", C::norm, 0, *arch.per_layer_embedding_dim);
    }
}

void add_gemma_block_extras(Builder& b, const ModelArchitecture& arch, int il, const Dims& d) {
    if (arch.per_layer_embedding_dim) {
        // llama-arch.cpp names them blk.%d.inp_gate, blk.%d.proj, blk.%d.post_norm.
        const std::int64_t ple = *arch.per_layer_embedding_dim;
        b.blk(il, "inp_gate.weight", C::other, d.embd, ple);
        b.blk(il, "proj.weight", C::other, ple, d.embd);
        b.blk(il, "post_norm.weight", C::norm, d.embd);
    }
    if (arch.altup_inputs && *arch.altup_inputs > 1) {
        const std::int64_t n = *arch.altup_inputs;
        b.blk(il, "altup_correct_coef.weight", C::norm, n, n);
        b.blk(il, "altup_correct_scale.weight", C::norm, d.embd);
        b.blk(il, "altup_predict_coef.weight", C::norm, n, n * n);
        b.blk(il, "altup_router.weight", C::unquantized, d.embd, n);
        b.blk(il, "altup_router_norm.weight", C::norm, d.embd);
    }
    if (arch.laurel_rank) {
        b.blk(il, "laurel_l.weight", C::unquantized, d.embd, *arch.laurel_rank);
        b.blk(il, "laurel_r.weight", C::unquantized, *arch.laurel_rank, d.embd);
        b.blk(il, "laurel_post_norm.weight", C::norm, d.embd);
    }
}

Dims block_dims(const ModelArchitecture& arch, int il, const Dims& model) {
    if (!arch.global_attention || layer_is_sliding(arch, il) || !arch.sliding_window) {
        return model;
    }
    // llama-hparams.cpp n_embd_head_k(il): is_swa ? n_embd_head_k_swa : n_embd_head_k_full;
    // n_head_kv(il) from the per-layer head_count_kv array the converter writes.
    Dims d = model;
    d.head_dim = arch.global_attention->head_dim;
    d.n_head_kv = arch.global_attention->kv_heads.value_or(model.n_head_kv);
    d.q_dim = d.n_head * d.head_dim;
    d.kv_dim = d.n_head_kv * d.head_dim;
    return d;
}

bool block_keys_are_values(const ModelArchitecture& arch, int il) {
    return arch.global_attention && arch.global_attention->k_eq_v && arch.sliding_window &&
           !layer_is_sliding(arch, il);
}

std::int64_t block_ffn_size(const ModelArchitecture& arch, int il) {
    const int shared = arch.kv_shared_layers.value_or(0);
    if (arch.kv_shared_ffn_size && arch.layers && il >= *arch.layers - shared) {
        // Gemma 4 converter: n_ff * 2 for il >= first_kv_shared_layer_idx (use_double_wide_mlp).
        return *arch.kv_shared_ffn_size;
    }
    return arch.ffn_size.value_or(0);
}

} // namespace edgeplan::tensors_detail
