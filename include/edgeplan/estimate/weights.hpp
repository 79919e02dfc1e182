#pragma once

// Weight bytes per tensor and per layer: GGUF under a llama-quantize preset (or the real
// types of a file), other formats (MLX, AWQ/GPTQ, FP8, NVFP4, ONNX...) from their bits per
// weight, the GGUF file size and offsets, and what llama.cpp's CPU backend repacks.
// Pure: no I/O. Bytes are bytes, counts are elements.

#include <edgeplan/core/catalog.hpp>
#include <edgeplan/core/result.hpp>
#include <edgeplan/estimate/gguf_weights.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace edgeplan {

/// One tensor with its storage type and size.
struct WeightTensor {
    TensorShape shape;
    std::string type;        ///< ggml type id ("q4_K"), or a weight-format id / "bf16"
    std::uint64_t bytes = 0; ///< data bytes, no alignment padding
    /// Routed-expert tensor (ffn_*_exps): only experts_per_token / experts of it is read per
    /// token, and llama.cpp's -ot exps=CPU / --n-cpu-moe moves exactly these.
    [[nodiscard]] bool routed_expert() const {
        return shape.ne2 > 1 && shape.layer >= 0;
    }
};

/// Per-tensor types and bytes of a GGUF made by llama-quantize with `preset` (the same rules
/// and counters as gguf_weight_bytes, whose total it reproduces, kept per tensor).
Result<std::vector<WeightTensor>>
gguf_tensor_bytes(const ModelShapes& shapes, const GgufPreset& preset, const Catalog& catalog,
                  ImportanceMatrix imatrix = ImportanceMatrix::absent);

/// Per-tensor bytes when the real file's types are known (one ggml type id per tensor of
/// `shapes`, same order), e.g. from a GGUF header. Fails on an unknown type id.
Result<std::vector<WeightTensor>> gguf_tensor_bytes_typed(const ModelShapes& shapes,
                                                          const std::vector<std::string>& types,
                                                          const Catalog& catalog);

/// A GGUF file the user holds, as the estimator plans it (Model::gguf_file).
struct GgufFileWeights {
    std::string path;         ///< as the user named it: the engine's -m argument
    std::string quantization; ///< the preset its general.file_type names; "" when unknown
    std::vector<WeightTensor> tensors; ///< every tensor, the type and bytes the file stores
};

/// Per-tensor bytes in a non-GGUF format: quantized matrices at the format's bits per weight
/// (group scales included); 1-D tensors, biases and routers at 16 bits; the input embedding
/// and LM head quantized only when the format says so (embeddings_quantized /
/// lm_head_quantized), else 16 bits. The "mxfp4" format (gpt-oss checkpoints) quantizes
/// only the routed experts. Fails when the format's bits per weight are per-model variable
/// (EXL2/EXL3: pass `bits_per_weight_override`).
Result<std::vector<WeightTensor>>
format_tensor_bytes(const ModelShapes& shapes, const WeightFormat& format,
                    std::optional<double> bits_per_weight_override = std::nullopt);

/// Weights grouped the way placement and the speed model need them.
struct WeightLayout {
    /// Input tables read by GET_ROWS, kept on the host by llama.cpp: token_embd (0 when tied:
    /// see output_bytes) and Gemma 3n/4's per_layer_token_embd.
    std::uint64_t token_embd_bytes = 0;
    std::uint64_t output_bytes = 0;         ///< output_norm + LM head (the tied matrix when tied)
    bool tied_embeddings = false;           ///< the LM head is the input embedding matrix
    std::uint64_t other_bytes = 0;          ///< other tensors outside blocks (rope_freqs...)
    std::vector<std::uint64_t> layer_bytes; ///< blk.i without routed experts
    std::vector<std::uint64_t> layer_expert_bytes; ///< blk.i routed experts (ffn_*_exps)
    std::uint64_t parameters = 0;

    /// Every tensor once (the file's tensor data).
    [[nodiscard]] std::uint64_t total_bytes() const;
    /// Bytes of the blocks, experts included.
    [[nodiscard]] std::uint64_t block_bytes() const;
};

/// Groups per-tensor bytes by block and role.
WeightLayout layout_weights(const std::vector<WeightTensor>& tensors);

/// GGUF file layout: tensor data starts after the header, metadata and tensor-info records,
/// padded to general.alignment (32, gguf-py GGUF_DEFAULT_ALIGNMENT); each tensor is padded
/// to the alignment too.
struct GgufFileLayout {
    std::uint64_t header_bytes = 0;     ///< everything before the tensor data
    std::vector<std::uint64_t> offsets; ///< of each tensor's data, from the file start
    std::uint64_t file_bytes = 0;
};

/// Estimated metadata bytes of a GGUF with an `n_vocab`-token tokenizer. `bytes_per_token`
/// defaults to 60 B (a BPE vocabulary: token string + score + type + its share of the
/// merges; see docs/estimation-memory.md); the harness's synthetic SentencePiece vocabulary
/// measures ~21 B/token.
std::uint64_t gguf_metadata_bytes(std::int64_t n_vocab, double bytes_per_token = 60.0);

/// Offsets and size of a GGUF holding `tensors` (in order) after `metadata_bytes` of
/// key/values; tensor-info records are counted from the tensor names and ranks.
GgufFileLayout gguf_file_layout(const std::vector<WeightTensor>& tensors,
                                std::uint64_t metadata_bytes);

/// llama.cpp CPU-backend weight repacking (ggml-cpu "extra" buffer type CPU_REPACK): on
/// x86 with AVX2, Q4_0, Q4_K, IQ4_NL and MXFP4 matrices with a row count divisible by 8
/// are converted at load into interleaved 8-row blocks of the same size; tensors read by
/// GET_ROWS (the input embedding) are not. Measured in the harness
/// (shared/harness/results/types-tiny.csv: exactly these types show CPU_REPACK).
enum class CpuRepack { none, x86_avx2 };

/// True when `tensor` goes to the CPU_REPACK buffer under `repack`.
bool cpu_repacked(const WeightTensor& tensor, CpuRepack repack);

/// llama.cpp CPU-only model buffers.
struct CpuModelBuffers {
    std::uint64_t mapped_bytes = 0; ///< CPU_Mapped: file span of the non-repacked tensors (mmap)
    std::uint64_t host_bytes = 0;   ///< CPU: non-repacked tensors copied in (no mmap)
    std::uint64_t repack_bytes = 0; ///< CPU_REPACK: anonymous copies of repacked tensors
    /// File pages the process maps and (MAP_POPULATE) faults in: the whole file under mmap.
    std::uint64_t file_resident_bytes = 0;
};

/// Whether llama.cpp maps the file (default) or reads it into allocated buffers (--no-mmap).
enum class WeightLoading { mmap, read };

/// llama.cpp's CPU model buffers for a file with `layout` holding `tensors`.
CpuModelBuffers llama_cpp_cpu_model_buffers(const std::vector<WeightTensor>& tensors,
                                            const GgufFileLayout& layout, CpuRepack repack,
                                            WeightLoading loading);

} // namespace edgeplan
