// Typed access to metadata values, the memory byte source, and lookups on a read header.
#include <edgeplan/gguf/gguf_file.hpp>

#include <cstring>

namespace edgeplan {

std::string_view gguf_value_type_name(GgufValueType type) {
    switch (type) {
    case GgufValueType::uint8:
        return "uint8";
    case GgufValueType::int8:
        return "int8";
    case GgufValueType::uint16:
        return "uint16";
    case GgufValueType::int16:
        return "int16";
    case GgufValueType::uint32:
        return "uint32";
    case GgufValueType::int32:
        return "int32";
    case GgufValueType::float32:
        return "float32";
    case GgufValueType::boolean:
        return "bool";
    case GgufValueType::string:
        return "string";
    case GgufValueType::array:
        return "array";
    case GgufValueType::uint64:
        return "uint64";
    case GgufValueType::int64:
        return "int64";
    case GgufValueType::float64:
        return "float64";
    }
    return "unknown";
}

std::optional<std::uint64_t> GgufValue::as_unsigned() const {
    if (const auto* u = std::get_if<std::uint64_t>(&data)) {
        return *u;
    }
    if (const auto* i = std::get_if<std::int64_t>(&data); i != nullptr && *i >= 0) {
        return static_cast<std::uint64_t>(*i);
    }
    return std::nullopt;
}

std::optional<double> GgufValue::as_number() const {
    if (const auto* u = std::get_if<std::uint64_t>(&data)) {
        return static_cast<double>(*u);
    }
    if (const auto* i = std::get_if<std::int64_t>(&data)) {
        return static_cast<double>(*i);
    }
    if (const auto* f = std::get_if<double>(&data)) {
        return *f;
    }
    return std::nullopt;
}

const std::string* GgufValue::as_string() const {
    return std::get_if<std::string>(&data);
}

const GgufArray* GgufValue::as_array() const {
    return std::get_if<GgufArray>(&data);
}

std::optional<bool> GgufValue::as_bool() const {
    if (const auto* b = std::get_if<bool>(&data)) {
        return *b;
    }
    return std::nullopt;
}

const GgufValue* GgufFile::find(std::string_view key) const {
    for (const auto& entry : metadata) {
        if (entry.key == key) {
            return &entry.value;
        }
    }
    return nullptr;
}

std::uint64_t GgufFile::tensor_bytes() const {
    std::uint64_t total = 0;
    for (const auto& tensor : tensors) {
        total += tensor.bytes; // each lies inside the file, so the sum cannot overflow
    }
    return total;
}

bool MemoryByteSource::read(std::uint64_t offset, std::byte* out, std::size_t length) {
    if (offset > bytes_.size() || length > bytes_.size() - offset) {
        return false;
    }
    if (length > 0) {
        std::memcpy(out, bytes_.data() + offset, length);
    }
    return true;
}

} // namespace edgeplan
