// Metadata values of every GGUF type, arrays of arrays included. Nothing is sized by an
// unchecked field: an array's element count times its smallest element is compared with the
// bytes left before anything is read, and only a bounded prefix of each array is kept.
#include "read_metadata.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <unordered_set>

namespace edgeplan::gguf_detail {

namespace {

// gguf.md: "keys ... must be at most 2^16-1 bytes long".
constexpr std::uint64_t max_key_bytes = 65535;

bool valid_type(std::uint32_t raw) {
    return raw <= static_cast<std::uint32_t>(GgufValueType::float64);
}

/// Bytes of a scalar type; 0 for string and array (variable length).
std::uint64_t scalar_bytes(GgufValueType type) {
    switch (type) {
    case GgufValueType::uint8:
    case GgufValueType::int8:
    case GgufValueType::boolean:
        return 1;
    case GgufValueType::uint16:
    case GgufValueType::int16:
        return 2;
    case GgufValueType::uint32:
    case GgufValueType::int32:
    case GgufValueType::float32:
        return 4;
    case GgufValueType::uint64:
    case GgufValueType::int64:
    case GgufValueType::float64:
        return 8;
    case GgufValueType::string:
    case GgufValueType::array:
        return 0;
    }
    return 0;
}

/// The fewest bytes one element of `type` takes: a string is at least its u64 length, an
/// array at least its element type and count.
std::uint64_t min_element_bytes(GgufValueType type) {
    if (type == GgufValueType::string) {
        return 8;
    }
    if (type == GgufValueType::array) {
        return 12;
    }
    return scalar_bytes(type);
}

std::int64_t sign_extend(std::uint64_t raw, int width) {
    const int shift = 64 - 8 * width;
    return static_cast<std::int64_t>(raw << shift) >> shift;
}

class ValueReader {
  public:
    explicit ValueReader(Cursor& cursor) : cursor_(cursor) {}

    /// Reads one value of `type`; `keep` false skips it (an array element past the kept
    /// prefix), which for strings and arrays still walks their lengths.
    Status read(GgufValueType type, GgufValue& out, bool keep, int depth) {
        out.type = type;
        if (type == GgufValueType::string) {
            return read_string(out, keep);
        }
        if (type == GgufValueType::array) {
            return read_array(out, keep, depth);
        }
        std::uint64_t raw = 0;
        const int width = static_cast<int>(scalar_bytes(type));
        if (auto read = cursor_.read_uint(raw, width, gguf_value_type_name(type)); !read) {
            return read;
        }
        if (keep) {
            store_scalar(type, raw, width, out);
        }
        return Done{};
    }

  private:
    static void store_scalar(GgufValueType type, std::uint64_t raw, int width, GgufValue& out) {
        switch (type) {
        case GgufValueType::int8:
        case GgufValueType::int16:
        case GgufValueType::int32:
        case GgufValueType::int64:
            out.data = sign_extend(raw, width);
            break;
        case GgufValueType::float32:
            out.data = static_cast<double>(std::bit_cast<float>(static_cast<std::uint32_t>(raw)));
            break;
        case GgufValueType::float64:
            out.data = std::bit_cast<double>(raw);
            break;
        case GgufValueType::boolean:
            // gguf.md: a bool is one byte, 0 or 1; any non-zero reads as true, as in gguf-py.
            out.data = raw != 0;
            break;
        default:
            out.data = raw;
            break;
        }
    }

    Status read_string(GgufValue& out, bool keep) {
        if (!keep) {
            const std::uint64_t at = cursor_.offset();
            std::uint64_t length = 0;
            if (auto read = cursor_.read_u64(length, "string length"); !read) {
                return read;
            }
            if (length > cursor_.remaining()) {
                return cursor_.error_at(at, "string length " + std::to_string(length) +
                                                " exceeds the file (" +
                                                std::to_string(cursor_.file_bytes()) + " bytes)");
            }
            return cursor_.skip(length, "string");
        }
        std::string text;
        if (auto read = cursor_.read_string(text, gguf_max_string_bytes, "string"); !read) {
            return read;
        }
        out.data = std::move(text);
        return Done{};
    }

    Status read_array(GgufValue& out, bool keep, int depth) {
        const std::uint64_t at = cursor_.offset();
        if (depth >= gguf_max_array_depth) {
            return cursor_.error_at(at, "arrays nested deeper than " +
                                            std::to_string(gguf_max_array_depth) + " levels");
        }
        std::uint32_t raw_type = 0;
        if (auto read = cursor_.read_u32(raw_type, "array element type"); !read) {
            return read;
        }
        if (!valid_type(raw_type)) {
            return cursor_.error_at(at, "unknown array element type " + std::to_string(raw_type));
        }
        const auto element_type = static_cast<GgufValueType>(raw_type);
        std::uint64_t count = 0;
        if (auto read = cursor_.read_u64(count, "array length"); !read) {
            return read;
        }
        std::uint64_t min_bytes = 0;
        if (__builtin_mul_overflow(count, min_element_bytes(element_type), &min_bytes) ||
            min_bytes > cursor_.remaining()) {
            return cursor_.error_at(at + 4, "array of " + std::to_string(count) + " " +
                                                std::string(gguf_value_type_name(element_type)) +
                                                " elements exceeds the file (" +
                                                std::to_string(cursor_.file_bytes()) + " bytes)");
        }
        GgufArray array;
        array.element_type = element_type;
        array.count = count;
        std::uint64_t kept = keep ? std::min(count, gguf_array_kept_elements) : 0;
        kept = std::min(kept, kept_budget_);
        kept_budget_ -= kept;
        array.values.reserve(static_cast<std::size_t>(kept));
        // Fixed-size elements past the kept prefix are skipped in one step.
        const std::uint64_t fixed = scalar_bytes(element_type);
        for (std::uint64_t k = 0; k < count; ++k) {
            if (k >= kept && fixed > 0) {
                return finish(out, std::move(array), keep, (count - k) * fixed);
            }
            GgufValue element;
            if (auto read = this->read(element_type, element, k < kept, depth + 1); !read) {
                return read;
            }
            if (k < kept) {
                array.values.push_back(std::move(element));
            }
        }
        return finish(out, std::move(array), keep, 0);
    }

    Status finish(GgufValue& out, GgufArray array, bool keep, std::uint64_t skip_bytes) {
        if (auto skipped = cursor_.skip(skip_bytes, "array elements"); !skipped) {
            return skipped;
        }
        if (keep) {
            out.data = std::move(array);
        }
        return Done{};
    }

    Cursor& cursor_;
    // Elements kept over the whole file: nested arrays of short arrays cannot multiply
    // memory past this however the file is built.
    std::uint64_t kept_budget_ = gguf_kept_elements_total;
};

} // namespace

Status read_metadata(Cursor& cursor, std::uint64_t count, std::vector<GgufKeyValue>& out) {
    std::unordered_set<std::string> seen;
    ValueReader values(cursor);
    for (std::uint64_t k = 0; k < count; ++k) {
        GgufKeyValue entry;
        entry.offset = cursor.offset();
        if (auto read = cursor.read_string(entry.key, max_key_bytes, "key"); !read) {
            return read;
        }
        if (!seen.insert(entry.key).second) {
            return cursor.error_at(entry.offset, "duplicate key " + printable_quoted(entry.key));
        }
        const std::uint64_t type_at = cursor.offset();
        std::uint32_t raw_type = 0;
        if (auto read = cursor.read_u32(raw_type, "value type"); !read) {
            return read;
        }
        if (!valid_type(raw_type)) {
            return cursor.error_at(type_at, "key " + printable_quoted(entry.key) +
                                                " has unknown value type " +
                                                std::to_string(raw_type));
        }
        if (auto read = values.read(static_cast<GgufValueType>(raw_type), entry.value, true, 0);
            !read) {
            return read;
        }
        out.push_back(std::move(entry));
    }
    return Done{};
}

} // namespace edgeplan::gguf_detail
