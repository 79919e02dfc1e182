#pragma once

// What a GGUF header says about the model inside: the catalogue's ModelArchitecture fields
// from the metadata (llama.cpp's key names, src/llama-arch.cpp), and every tensor with the
// type and bytes the file really stores, ready for the estimator (gguf_tensor_bytes_typed).

#include <edgeplan/core/catalog.hpp>
#include <edgeplan/core/result.hpp>
#include <edgeplan/estimate/weights.hpp>
#include <edgeplan/gguf/gguf_file.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace edgeplan {

/// A model read from a GGUF file, in the catalogue's terms.
struct GgufModel {
    /// id "gguf:<name>" (the name passed in), name from general.name (else the file name),
    /// architecture from the metadata; parameters_total from the tensors. Fields the file
    /// does not state stay nullopt.
    Model model;
    ModelShapes shapes;                        ///< every tensor in file order, categorised by name
    std::vector<WeightTensor> weights;         ///< per tensor: the file's ggml type and data bytes
    WeightLayout layout;                       ///< the weights grouped by block and role
    std::uint64_t parameters = 0;              ///< elements of every tensor
    std::uint64_t weight_bytes = 0;            ///< data bytes of every tensor (no padding)
    std::optional<std::uint64_t> file_type;    ///< general.file_type (llama_ftype); nullopt: absent
    std::optional<std::string> file_type_name; ///< the catalogue preset with that llama_ftype
    /// f16 K+V bytes one token adds over all attention layers (MLA: the latent and RoPE key);
    /// nullopt when head sizes are unknown. Sliding-window layers stop growing at the window.
    std::optional<std::uint64_t> kv_bytes_per_token_f16;
    std::vector<std::string> notes; ///< what was inferred or assumed, one sentence each
};

/// Largest architecture values edgeplan accepts from a file (real models stay far below:
/// 126 layers, 128 heads, 576-wide MLA heads, 262k-token vocabularies, 10M-token contexts).
/// Anything larger is a damaged or hostile file, and would overflow the estimator.
inline constexpr std::uint64_t gguf_max_count = 1u << 12;  ///< layers, heads, experts
inline constexpr std::uint64_t gguf_max_width = 1u << 20;  ///< hidden, FFN, head and SSM sizes
inline constexpr std::uint64_t gguf_max_tokens = 1u << 30; ///< vocabulary, context, window

/// Derives the model from a read header. `name` is how messages refer to the file. Fails
/// (ExitCode::bad_input, "offset N: ...") when an architecture key has the wrong type or a
/// value beyond the limits above.
Result<GgufModel> model_from_gguf(const GgufFile& file, const std::string& name,
                                  const Catalog& catalog);

/// The llama-quantize tensor category of a tensor name ("blk.3.attn_v.weight" -> attn_v);
/// 1-D tensors, biases, norms and routers are `norm` (never quantized).
TensorCategory gguf_tensor_category(const std::string& name, std::size_t n_dims);

} // namespace edgeplan
