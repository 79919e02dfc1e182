#pragma once

// A model's full llama.cpp tensor list (names, shapes, block index, file order) built from
// its catalogue architecture, for the architectures the catalogue covers. The list feeds
// the llama-quantize preset evaluator (gguf_weights.hpp) and the per-layer weight split.
// Pure: no I/O. Shapes follow llama.cpp's llama-model.cpp (ne0 = input dimension).

#include <edgeplan/core/catalog.hpp>
#include <edgeplan/core/result.hpp>
#include <edgeplan/estimate/gguf_weights.hpp>

#include <string>
#include <vector>

namespace edgeplan {

/// How a DeepSeek-2/3 (MLA) GGUF stores the latent-to-head projection. Converters since
/// llama.cpp PR #12801 (2025) write per-head attn_k_b / attn_v_b; older files one attn_kv_b.
enum class MlaTensorLayout { split_k_b_v_b, fused_kv_b };

/// Choices that change the tensor list without changing the architecture.
struct TensorListOptions {
    MlaTensorLayout mla = MlaTensorLayout::split_k_b_v_b;
};

/// A tensor list and how far it can be trusted.
struct ModelTensorList {
    ModelShapes shapes;
    /// True when the architecture is not one whose tensors are modelled exactly and a
    /// llama-style dense/MoE list stands in (extra per-layer tensors of that family are
    /// missing; the matrices, which hold >99% of the bytes, are not).
    bool approximate = false;
    std::vector<std::string> notes; ///< why approximate, what was assumed
};

/// Builds the tensor list llama.cpp's converter writes for `arch`, in file order: token_embd,
/// blocks 0..n-1, output_norm, output (unless tied). Fails (ExitCode::bad_input) when a
/// field the list needs (layers, hidden_size, attention_heads, vocab_size, an FFN size) is
/// unknown, or for encoder-only / encoder-decoder models (no llama.cpp decoder list).
Result<ModelTensorList> llama_cpp_tensor_list(const ModelArchitecture& arch,
                                              const TensorListOptions& options = {});

/// True when block `layer` of `arch` has a routed-expert FFN (after the leading dense
/// layers, every moe_layer_period-th layer: llama.cpp's n_layer_dense_lead and
/// n_moe_layer_step). False for dense models.
bool layer_is_moe(const ModelArchitecture& arch, int layer);

/// True when block `layer` of a hybrid model is a recurrent (SSM / linear-attention) layer:
/// 'M'-like letters of the published pattern, or when there is no pattern, every layer but
/// each (n / attention_layers)-th. False for models without recurrent layers.
bool layer_is_recurrent(const ModelArchitecture& arch, int layer);

/// True when block `layer` uses sliding-window (local/chunked) attention.
bool layer_is_sliding(const ModelArchitecture& arch, int layer);

} // namespace edgeplan
