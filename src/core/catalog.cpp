#include <edgeplan/core/catalog.hpp>

#include <algorithm>

namespace edgeplan {

namespace {

// Linear scans: the catalogue holds a few hundred entries and is looked up a few times per
// run, so an index would cost more to build than it saves.
template <typename T> const T* find_by_id(const std::vector<T>& items, std::string_view id) {
    auto it =
        std::find_if(items.begin(), items.end(), [&](const T& item) { return item.id == id; });
    return it == items.end() ? nullptr : &*it;
}

template <typename T>
const T* find_by_id_or_alias(const std::vector<T>& items, std::string_view id) {
    if (const T* exact = find_by_id(items, id)) {
        return exact;
    }
    auto it = std::find_if(items.begin(), items.end(), [&](const T& item) {
        return std::find(item.aliases.begin(), item.aliases.end(), id) != item.aliases.end();
    });
    return it == items.end() ? nullptr : &*it;
}

} // namespace

int SlidingWindow::sliding_layers(int layers) const {
    if (pattern.empty() || layers <= 0) {
        return 0;
    }
    int count = 0;
    for (int layer = 0; layer < layers; ++layer) {
        count += pattern[static_cast<std::size_t>(layer) % pattern.size()] == 'L' ? 1 : 0;
    }
    return count;
}

const Model* Catalog::find_model(std::string_view id) const {
    return find_by_id(models, id);
}

const GgmlType* Catalog::find_ggml_type(std::string_view id) const {
    return find_by_id(ggml_types, id);
}

const GgufPreset* Catalog::find_gguf_preset(std::string_view id) const {
    return find_by_id_or_alias(gguf_presets, id);
}

const WeightFormat* Catalog::find_weight_format(std::string_view id) const {
    return find_by_id_or_alias(weight_formats, id);
}

const KvCacheType* Catalog::find_kv_cache_type(std::string_view id) const {
    return find_by_id(kv_cache_types, id);
}

const Engine* Catalog::find_engine(std::string_view id) const {
    return find_by_id(engines, id);
}

const Target* Catalog::find_target(std::string_view id) const {
    return find_by_id(targets, id);
}

QuantizationRef Catalog::find_quantization(std::string_view id) const {
    QuantizationRef ref;
    ref.preset = find_gguf_preset(id);
    if (ref.preset == nullptr) {
        ref.format = find_weight_format(id);
    }
    return ref;
}

} // namespace edgeplan
