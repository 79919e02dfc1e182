#pragma once

// Shared by the tensor-list builders (model_tensors.cpp, model_tensors_gemma.cpp): the
// dimensions of one block and the appender that names tensors as llama.cpp does.

#include <edgeplan/estimate/gguf_weights.hpp>

#include <cstdint>
#include <string>

namespace edgeplan::tensors_detail {

/// One block's attention and embedding sizes (q_dim = n_head x head_dim...).
struct Dims {
    std::int64_t embd = 0, q_dim = 0, kv_dim = 0, head_dim = 0, vocab = 0;
    int n_head = 0, n_head_kv = 0, n_layer = 0;
};

/// Appends tensors to a shape list in file order.
class Builder {
  public:
    explicit Builder(ModelShapes& shapes) : shapes_(shapes) {}
    /// A tensor; `layer` is the block whose device holds it (-1: outside the blocks).
    void add(const std::string& name, TensorCategory category, int layer, std::int64_t ne0,
             std::int64_t ne1 = 1, std::int64_t ne2 = 1) {
        shapes_.tensors.push_back({name, category, layer, ne0, ne1, ne2});
    }
    /// "blk.<layer>.<suffix>".
    void blk(int layer, const std::string& suffix, TensorCategory category, std::int64_t ne0,
             std::int64_t ne1 = 1, std::int64_t ne2 = 1) {
        add("blk." + std::to_string(layer) + "." + suffix, category, layer, ne0, ne1, ne2);
    }

  private:
    ModelShapes& shapes_;
};

/// Gemma 3n / Gemma 4 tensors outside the blocks that follow token_embd: AltUp projections
/// and the Per-Layer Embedding table with its projection (none when the model has neither).
void add_gemma_global_tensors(Builder& b, const ModelArchitecture& arch, const Dims& d);

/// Gemma 3n / Gemma 4 per-block tensors after the FFN: per-layer-embedding gate and
/// projection, AltUp coefficients and router, LAuReL.
void add_gemma_block_extras(Builder& b, const ModelArchitecture& arch, int il, const Dims& d);

/// The block's attention shape: global (full-attention) layers of a model with
/// `global_attention` take its head_dim and KV heads, the others the model's.
Dims block_dims(const ModelArchitecture& arch, int il, const Dims& model);

/// True on the global layers of a model whose global attention has no V projection
/// (Gemma 4 31B / 26B-A4B attention_k_eq_v; llama.cpp gemma4.cpp: attn_v not required).
bool block_keys_are_values(const ModelArchitecture& arch, int il);

/// The block's dense FFN width: `kv_shared_ffn_size` on the KV-sharing layers, else ffn_size.
std::int64_t block_ffn_size(const ModelArchitecture& arch, int il);

} // namespace edgeplan::tensors_detail
