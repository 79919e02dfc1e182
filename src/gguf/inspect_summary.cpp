// The parts of the inspect summary both renderers share.
#include <edgeplan/gguf/gguf_inspect.hpp>

#include <algorithm>
#include <map>

namespace edgeplan {

std::vector<GgufTypeTotal> gguf_type_totals(const GgufFile& file) {
    std::map<std::string, GgufTypeTotal> by_type;
    for (const auto& tensor : file.tensors) {
        auto& total = by_type[tensor.type];
        total.type = tensor.type;
        total.ggml_type_id = static_cast<int>(tensor.ggml_type_id);
        total.tensors += 1;
        total.parameters += tensor.elements;
        total.bytes += tensor.bytes;
    }
    std::vector<GgufTypeTotal> out;
    for (auto& [type, total] : by_type) {
        out.push_back(std::move(total));
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return a.bytes > b.bytes; });
    return out;
}

} // namespace edgeplan
