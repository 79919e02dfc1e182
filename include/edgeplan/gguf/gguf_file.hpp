#pragma once

// A GGUF file's header as read from untrusted bytes: version, metadata key/values, tensor
// infos and the data layout. Tensor data is never read: only the header, with bounded reads.
// Format: https://github.com/ggml-org/ggml/blob/master/docs/gguf.md (v2 and v3 share the
// layout; v1 used 32-bit counts and is refused).

#include <edgeplan/core/catalog.hpp>
#include <edgeplan/core/result.hpp>
#include <edgeplan/gguf/byte_source.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace edgeplan {

/// GGUF metadata value types (enum gguf_type; the numbers are the file's).
enum class GgufValueType : std::uint32_t {
    uint8 = 0,
    int8 = 1,
    uint16 = 2,
    int16 = 3,
    uint32 = 4,
    int32 = 5,
    float32 = 6,
    boolean = 7,
    string = 8,
    array = 9,
    uint64 = 10,
    int64 = 11,
    float64 = 12,
};

/// The spec's name of a value type: "uint32", "float32", "bool", "string", "array"...
std::string_view gguf_value_type_name(GgufValueType type);

struct GgufValue;

/// An array value. Only the first `gguf_array_kept_elements` elements are kept in memory
/// (a 150k-token vocabulary is counted, not copied); `count` is the length in the file.
struct GgufArray {
    GgufValueType element_type = GgufValueType::uint8;
    std::uint64_t count = 0;
    std::vector<GgufValue> values; ///< the first min(count, kept) elements, in file order
    /// True when every element is kept.
    [[nodiscard]] bool complete() const;
};

/// Elements of one array kept in memory; per-layer arrays (a few hundred) fit whole.
inline constexpr std::uint64_t gguf_array_kept_elements = 4096;
/// Array elements kept over the whole file (arrays past it keep only their count).
inline constexpr std::uint64_t gguf_kept_elements_total = 1u << 20;
/// Arrays nest at most this deep (a deeper file is refused: it would only exhaust the stack).
inline constexpr int gguf_max_array_depth = 8;

/// One metadata value with the type the file gave it. Integers are held widened (unsigned
/// types in `std::uint64_t`, signed in `std::int64_t`), floats as double.
struct GgufValue {
    GgufValueType type = GgufValueType::uint8;
    std::variant<std::uint64_t, std::int64_t, double, bool, std::string, GgufArray> data;

    /// A non-negative integer of any integer type; nullopt otherwise (bools are not numbers).
    [[nodiscard]] std::optional<std::uint64_t> as_unsigned() const;
    /// An integer or float of any type, as double; nullopt for strings, bools and arrays.
    [[nodiscard]] std::optional<double> as_number() const;
    [[nodiscard]] const std::string* as_string() const;
    [[nodiscard]] const GgufArray* as_array() const;
    [[nodiscard]] std::optional<bool> as_bool() const;
};

inline bool GgufArray::complete() const {
    return values.size() == count;
}

/// One metadata entry, in file order.
struct GgufKeyValue {
    std::string key;
    GgufValue value;
    std::uint64_t offset = 0; ///< of the entry (its key length) in the file, for messages
};

/// One tensor-info record. Sizes come from the catalogue's ggml type table.
struct GgufTensorInfo {
    std::string name;
    std::vector<std::uint64_t> dims; ///< ne0 first (ne0 = row length); at most 4
    std::uint32_t ggml_type_id = 0;
    std::string type;                ///< the catalogue's ggml type id: "q4_K", "f32"
    std::uint64_t offset = 0;        ///< of the data, relative to GgufFile::data_offset
    std::uint64_t elements = 0;      ///< product of dims
    std::uint64_t bytes = 0;         ///< data bytes (no padding)
    std::uint64_t record_offset = 0; ///< of the info record in the file, for messages
};

/// A GGUF header: everything but the tensor data.
struct GgufFile {
    std::uint32_t version = 0;     ///< 2 or 3
    std::uint64_t file_bytes = 0;  ///< size of the whole file
    std::uint64_t alignment = 32;  ///< general.alignment, default 32 (gguf.md)
    std::uint64_t data_offset = 0; ///< where tensor data starts: header end, aligned
    std::vector<GgufKeyValue> metadata;
    std::vector<GgufTensorInfo> tensors;

    /// The value of `key`, or nullptr.
    [[nodiscard]] const GgufValue* find(std::string_view key) const;
    /// Sum of GgufTensorInfo::bytes.
    [[nodiscard]] std::uint64_t tensor_bytes() const;
};

/// Largest metadata string edgeplan keeps (a chat template is ~10 KiB; whole tokenizer.json
/// copies some converters embed reach ~20 MiB).
inline constexpr std::uint64_t gguf_max_string_bytes = 256ull * 1024 * 1024;

/// Reads and checks a GGUF header from `source`. `name` is how messages refer to the file.
/// Every count, length and offset is checked against the file size before it sizes a read
/// or an allocation; tensor data ranges must lie inside the file. Errors have
/// ExitCode::bad_input, where = `name`, and a message starting "offset N: ".
Result<GgufFile> read_gguf(ByteSource& source, const std::string& name, const Catalog& catalog);

} // namespace edgeplan
