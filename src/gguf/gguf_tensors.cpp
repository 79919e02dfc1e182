// Tensor infos -> the estimator's TensorShape list, categorised by llama.cpp's tensor names
// (gguf-py/gguf/constants.py TENSOR_NAMES) the way llama-quantize sorts them
// (src/llama-quant.cpp: norms, biases and routers are never quantized).
#include "gguf_internal.hpp"

#include <edgeplan/gguf/gguf_model.hpp>

#include <algorithm>
#include <charconv>

namespace edgeplan {

namespace {

bool starts_with(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

/// "blk.12.attn_q.weight" -> 12 and "attn_q.weight"; -1 and the name for other tensors.
std::pair<int, std::string_view> split_block(std::string_view name) {
    if (!starts_with(name, "blk.")) {
        return {-1, name};
    }
    const std::string_view rest = name.substr(4);
    int layer = 0;
    const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), layer);
    if (ec != std::errc{} || end == rest.data() || end == rest.data() + rest.size() ||
        *end != '.' || layer < 0) {
        return {-1, name};
    }
    return {layer, rest.substr(static_cast<std::size_t>(end - rest.data()) + 1)};
}

} // namespace

TensorCategory gguf_tensor_category(const std::string& name, std::size_t n_dims) {
    using C = TensorCategory;
    const std::string_view part = split_block(name).second;
    if (n_dims <= 1 || ends_with(part, ".bias") || part.find("norm") != std::string_view::npos ||
        starts_with(part, "ffn_gate_inp") || starts_with(part, "ssm_conv1d") || part == "ssm_a" ||
        part == "ssm_d" || starts_with(part, "attn_sinks")) {
        return C::norm;
    }
    if (part == "token_embd.weight") {
        return C::token_embd;
    }
    if (part == "per_layer_token_embd.weight") {
        return C::per_layer_token_embd; // Gemma 3n/4: an input table, on the host
    }
    if (part == "output.weight") {
        return C::output;
    }
    const std::pair<std::string_view, C> by_name[] = {
        {"attn_q.weight", C::attn_q},    {"attn_k.weight", C::attn_k},
        {"attn_v.weight", C::attn_v},    {"attn_qkv.weight", C::attn_v},
        {"attn_kv_b.weight", C::attn_v}, {"attn_output.weight", C::attn_output},
    };
    for (const auto& [suffix, category] : by_name) {
        if (part == suffix) {
            return category;
        }
    }
    // ffn_gate, ffn_gate_exps, ffn_gate_shexp... (the router ffn_gate_inp is handled above).
    if (starts_with(part, "ffn_gate")) {
        return C::ffn_gate;
    }
    if (starts_with(part, "ffn_up")) {
        return C::ffn_up;
    }
    if (starts_with(part, "ffn_down")) {
        return C::ffn_down;
    }
    return C::other;
}

namespace gguf_detail {

Result<ModelShapes> tensor_shapes(const GgufFile& file, const std::string& arch,
                                  std::vector<std::string>& types) {
    ModelShapes shapes;
    shapes.arch = arch;
    shapes.tensors.reserve(file.tensors.size());
    types.reserve(file.tensors.size());
    for (const auto& info : file.tensors) {
        TensorShape shape;
        shape.name = info.name;
        shape.category = gguf_tensor_category(info.name, info.dims.size());
        shape.layer = split_block(info.name).first;
        // The reader bounded the element count by INT64_MAX, so every factor fits too.
        const auto dim = [&](std::size_t k) {
            return k < info.dims.size() ? static_cast<std::int64_t>(info.dims[k]) : 1;
        };
        shape.ne0 = info.dims.empty() ? 1 : dim(0);
        shape.ne1 = dim(1);
        shape.ne2 = dim(2) * dim(3);
        shapes.tensors.push_back(std::move(shape));
        types.push_back(info.type);
    }
    return shapes;
}

} // namespace gguf_detail

} // namespace edgeplan
