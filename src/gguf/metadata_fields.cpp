#include "metadata_fields.hpp"

#include "cursor.hpp"

namespace edgeplan::gguf_detail {

const GgufKeyValue* MetadataFields::entry(std::string_view key) const {
    for (const auto& kv : file_.metadata) {
        if (kv.key == key) {
            return &kv;
        }
    }
    return nullptr;
}

Error MetadataFields::error(const GgufKeyValue& kv, const std::string& message) const {
    return make_error(ExitCode::bad_input, name_,
                      "offset " + std::to_string(kv.offset) + ": " + printable_quoted(kv.key) +
                          " " + message);
}

Result<std::uint64_t> MetadataFields::bounded(const GgufKeyValue& kv, const GgufValue& value,
                                              std::uint64_t max) const {
    const auto number = value.as_unsigned();
    if (!number) {
        if (value.as_number()) {
            return error(kv, "is negative or not an integer");
        }
        return error(kv, "has type " + std::string(gguf_value_type_name(value.type)) +
                             ", expected an integer");
    }
    if (*number > max) {
        return error(kv, "= " + std::to_string(*number) + " is beyond any real model (limit " +
                             std::to_string(max) + "): a damaged file?");
    }
    return *number;
}

Result<std::optional<std::uint64_t>> MetadataFields::count_key(std::string_view key,
                                                               std::uint64_t max) const {
    const GgufKeyValue* kv = entry(key);
    if (kv == nullptr) {
        return std::optional<std::uint64_t>{};
    }
    auto value = bounded(*kv, kv->value, max);
    if (!value) {
        return value.error();
    }
    return std::optional<std::uint64_t>{*value};
}

Result<std::optional<std::uint64_t>> MetadataFields::count(std::string_view suffix,
                                                           std::uint64_t max) const {
    return count_key(arch_ + "." + std::string(suffix), max);
}

Result<std::vector<std::uint64_t>> MetadataFields::per_layer(std::string_view suffix,
                                                             std::uint64_t max) const {
    std::vector<std::uint64_t> out;
    const GgufKeyValue* kv = entry(arch_ + "." + std::string(suffix));
    if (kv == nullptr) {
        return out;
    }
    const GgufArray* array = kv->value.as_array();
    if (array == nullptr) {
        auto value = bounded(*kv, kv->value, max);
        if (!value) {
            return value.error();
        }
        out.push_back(*value);
        return out;
    }
    // One entry per layer: more layers than gguf_max_count is already implausible.
    if (array->count > gguf_array_kept_elements || !array->complete()) {
        return error(*kv, "has " + std::to_string(array->count) + " per-layer entries");
    }
    for (const auto& element : array->values) {
        auto value = bounded(*kv, element, max);
        if (!value) {
            return value.error();
        }
        out.push_back(*value);
    }
    return out;
}

std::optional<std::string> MetadataFields::text(std::string_view key) const {
    const GgufKeyValue* kv = entry(key);
    if (kv == nullptr || kv->value.as_string() == nullptr) {
        return std::nullopt;
    }
    return *kv->value.as_string();
}

} // namespace edgeplan::gguf_detail
