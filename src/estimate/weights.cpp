// Per-tensor weight bytes (GGUF presets, known GGUF types, other formats) and their grouping
// by block. GGUF presets reuse gguf_weight_bytes' per-tensor types (gguf_weights.cpp), so the
// totals agree by construction; placement needs the bytes per layer.
#include <edgeplan/estimate/weights.hpp>

#include <algorithm>
#include <cmath>
#include <optional>

namespace edgeplan {

namespace {

std::uint64_t row_bytes(const GgmlType& type, std::int64_t ne0) {
    return static_cast<std::uint64_t>(ne0 / type.block_size) *
           static_cast<std::uint64_t>(type.bytes_per_block);
}

std::uint64_t tensor_bytes(const GgmlType& type, const TensorShape& shape) {
    return row_bytes(type, shape.ne0) * static_cast<std::uint64_t>(shape.ne1 * shape.ne2);
}

bool name_ends_with(const std::string& name, const std::string& suffix) {
    return name.size() >= suffix.size() &&
           name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
}

} // namespace

Result<std::vector<WeightTensor>> gguf_tensor_bytes(const ModelShapes& shapes,
                                                    const GgufPreset& preset,
                                                    const Catalog& catalog,
                                                    ImportanceMatrix imatrix) {
    // One preset walk (gguf_weight_bytes) decides every tensor's type; its totals and these
    // per-tensor bytes cannot disagree.
    auto estimate = gguf_weight_bytes(shapes, preset, catalog, imatrix);
    if (!estimate) {
        return estimate.error();
    }
    return gguf_tensor_bytes_typed(shapes, estimate->tensor_types, catalog);
}

Result<std::vector<WeightTensor>> gguf_tensor_bytes_typed(const ModelShapes& shapes,
                                                          const std::vector<std::string>& types,
                                                          const Catalog& catalog) {
    if (types.size() != shapes.tensors.size()) {
        return make_error(ExitCode::bad_input, "tensor types",
                          std::to_string(types.size()) + " types for " +
                              std::to_string(shapes.tensors.size()) + " tensors");
    }
    std::vector<WeightTensor> out;
    out.reserve(types.size());
    for (std::size_t k = 0; k < types.size(); ++k) {
        const GgmlType* type = catalog.find_ggml_type(types[k]);
        if (type == nullptr) {
            return make_error(ExitCode::bad_input, shapes.tensors[k].name,
                              "unknown ggml type \"" + types[k] + "\"");
        }
        out.push_back({shapes.tensors[k], type->id, tensor_bytes(*type, shapes.tensors[k])});
    }
    return out;
}

Result<std::vector<WeightTensor>> format_tensor_bytes(const ModelShapes& shapes,
                                                      const WeightFormat& format,
                                                      std::optional<double> bits_override) {
    const std::optional<double> bpw = bits_override ? bits_override : format.bits_per_weight;
    if (!bpw) {
        return make_error(ExitCode::bad_input, format.id,
                          "bits per weight vary per model; give the checkpoint's figure");
    }
    // gpt-oss ships MXFP4 experts and BF16 everything else (estimation-facts §4.5, §5.6).
    const bool experts_only = format.id == "mxfp4";
    const bool embd_q = format.embeddings_quantized.value_or(false);
    const bool head_q = format.lm_head_quantized.value_or(false);
    std::vector<WeightTensor> out;
    out.reserve(shapes.tensors.size());
    for (const auto& tensor : shapes.tensors) {
        double bits = 16.0;
        const bool is_matrix = tensor.category != TensorCategory::norm && tensor.ne1 > 1;
        if (is_matrix) {
            if (tensor.category == TensorCategory::token_embd ||
                tensor.category == TensorCategory::per_layer_token_embd) {
                bits = embd_q ? *bpw : 16.0;
            } else if (tensor.category == TensorCategory::output) {
                bits = head_q ? *bpw : 16.0;
            } else if (!experts_only || tensor.ne2 > 1) {
                bits = *bpw;
            }
        }
        const auto bytes = static_cast<std::uint64_t>(
            std::ceil(static_cast<double>(tensor.elements()) * bits / 8.0));
        out.push_back({tensor, bits == 16.0 ? std::string("bf16") : format.id, bytes});
    }
    return out;
}

std::uint64_t WeightLayout::block_bytes() const {
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < layer_bytes.size(); ++i) {
        sum += layer_bytes[i] + layer_expert_bytes[i];
    }
    return sum;
}

std::uint64_t WeightLayout::total_bytes() const {
    return token_embd_bytes + output_bytes + other_bytes + block_bytes();
}

WeightLayout layout_weights(const std::vector<WeightTensor>& tensors) {
    WeightLayout layout;
    int max_layer = -1;
    bool has_output = false;
    for (const auto& t : tensors) {
        max_layer = std::max(max_layer, t.shape.layer);
        has_output = has_output || t.shape.category == TensorCategory::output;
    }
    layout.layer_bytes.assign(static_cast<std::size_t>(max_layer + 1), 0);
    layout.layer_expert_bytes.assign(static_cast<std::size_t>(max_layer + 1), 0);
    layout.tied_embeddings = !has_output;
    for (const auto& t : tensors) {
        layout.parameters += static_cast<std::uint64_t>(t.shape.elements());
        if (t.shape.layer >= 0) {
            auto& bucket = t.routed_expert() ? layout.layer_expert_bytes : layout.layer_bytes;
            bucket[static_cast<std::size_t>(t.shape.layer)] += t.bytes;
        } else if (t.shape.category == TensorCategory::token_embd) {
            // Tied: the one matrix is the LM head (and read by GET_ROWS for the input).
            (has_output ? layout.token_embd_bytes : layout.output_bytes) += t.bytes;
        } else if (t.shape.category == TensorCategory::per_layer_token_embd) {
            // An input table (LLM_TENSOR_LAYER_INPUT, GET_ROWS): on the host with token_embd.
            layout.token_embd_bytes += t.bytes;
        } else if (t.shape.category == TensorCategory::output ||
                   name_ends_with(t.shape.name, "output_norm.weight") ||
                   name_ends_with(t.shape.name, "altup_proj.weight") ||
                   name_ends_with(t.shape.name, "altup_unembd_proj.weight")) {
            // Gemma 3n's AltUp projections are LLM_TENSOR_LAYER_OUTPUT tensors (llama-arch.cpp).
            layout.output_bytes += t.bytes;
        } else {
            layout.other_bytes += t.bytes;
        }
    }
    return layout;
}

std::uint64_t gguf_metadata_bytes(std::int64_t n_vocab, double bytes_per_token) {
    // Fixed part: magic, version, counts and the ~30 architecture/general keys (~2 KiB).
    constexpr double fixed_bytes = 2048.0;
    return static_cast<std::uint64_t>(fixed_bytes + bytes_per_token * static_cast<double>(n_vocab));
}

GgufFileLayout gguf_file_layout(const std::vector<WeightTensor>& tensors,
                                std::uint64_t metadata_bytes) {
    constexpr std::uint64_t alignment = 32; // gguf-py GGUF_DEFAULT_ALIGNMENT
    auto align = [](std::uint64_t x) { return (x + alignment - 1) / alignment * alignment; };
    GgufFileLayout layout;
    std::uint64_t header = metadata_bytes;
    for (const auto& t : tensors) {
        // Tensor info: name (u64 length + bytes), n_dims u32, dims u64 each, type u32, offset u64.
        const int rank = t.shape.ne2 > 1 ? 3 : (t.shape.ne1 > 1 ? 2 : 1);
        header += 8 + t.shape.name.size() + 4 + 8 * static_cast<std::uint64_t>(rank) + 4 + 8;
    }
    layout.header_bytes = align(header);
    std::uint64_t offset = 0;
    for (const auto& t : tensors) {
        offset = align(offset);
        layout.offsets.push_back(layout.header_bytes + offset);
        offset += t.bytes;
    }
    layout.file_bytes = layout.header_bytes + offset;
    return layout;
}

bool cpu_repacked(const WeightTensor& tensor, CpuRepack repack) {
    if (repack == CpuRepack::none || tensor.shape.category == TensorCategory::token_embd ||
        tensor.shape.category == TensorCategory::per_layer_token_embd ||
        tensor.shape.category == TensorCategory::norm) {
        return false;
    }
    // Tied LM head = token_embd: loaded as the input layer's tensor (GET_ROWS), not repacked.
    // ggml-cpu repack.cpp: q4_0_8x8, q4_K_8x8, iq4_nl_8x8, mxfp4 on AVX2 when ne1 % 8 == 0.
    const bool type_ok = tensor.type == "q4_0" || tensor.type == "q4_K" ||
                         tensor.type == "iq4_nl" || tensor.type == "mxfp4";
    return type_ok && tensor.shape.ne1 % 8 == 0;
}

CpuModelBuffers llama_cpp_cpu_model_buffers(const std::vector<WeightTensor>& tensors,
                                            const GgufFileLayout& layout, CpuRepack repack,
                                            WeightLoading loading) {
    CpuModelBuffers buffers;
    std::uint64_t first = UINT64_MAX;
    std::uint64_t last = 0;
    for (std::size_t k = 0; k < tensors.size(); ++k) {
        if (cpu_repacked(tensors[k], repack)) {
            buffers.repack_bytes += tensors[k].bytes;
            continue;
        }
        buffers.host_bytes += tensors[k].bytes;
        first = std::min(first, layout.offsets[k]);
        last = std::max(last, layout.offsets[k] + tensors[k].bytes);
    }
    if (loading == WeightLoading::mmap) {
        // llama-model.cpp maps the range [first, last) of the tensors in the CPU buffer
        // (get_mapping_range), repacked tensors in between included; the mmap is made with
        // MAP_POPULATE (llama-mmap.cpp prefetch), so the whole file becomes resident.
        buffers.mapped_bytes = last > first ? last - first : 0;
        buffers.host_bytes = 0;
        buffers.file_resident_bytes = layout.file_bytes;
    }
    return buffers;
}

} // namespace edgeplan
