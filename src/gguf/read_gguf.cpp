// GGUF header: magic, version, counts, metadata, tensor infos, alignment and data offset.
// Layout from ggml's docs/gguf.md; the checks mirror (and go beyond) llama.cpp's
// ggml/src/gguf.cpp gguf_init_from_file_impl, since the file may come from anyone.
#include "cursor.hpp"
#include "read_metadata.hpp"

#include <edgeplan/gguf/gguf_file.hpp>

#include <algorithm>
#include <array>
#include <unordered_set>

namespace edgeplan {

namespace {

using gguf_detail::Cursor;
using gguf_detail::printable_quoted;

// The fewest bytes of a metadata entry (u64 key length, u32 type, a 1-byte value) and of a
// tensor-info record (u64 name length, u32 n_dims, u32 type, u64 offset).
constexpr std::uint64_t min_entry_bytes = 8 + 4 + 1;
constexpr std::uint64_t min_tensor_record_bytes = 8 + 4 + 4 + 8;
constexpr std::uint32_t max_dims = 4;                      // GGML_MAX_DIMS
constexpr std::uint64_t max_tensor_name_bytes = 64 * 1024; // ggml keeps 64; be lenient

Status read_magic_and_version(Cursor& cursor, std::uint32_t& version) {
    std::array<std::byte, 4> magic{};
    if (auto read = cursor.read_bytes(magic.data(), 4, "magic"); !read) {
        return cursor.error_at(0, "not a GGUF file: shorter than its 4-byte magic");
    }
    const std::string text(reinterpret_cast<const char*>(magic.data()), 4);
    if (text != "GGUF") {
        std::string hint;
        if (text == "FUGG") {
            hint = " (byte-swapped: a big-endian file?)";
        } else if (text == "lmgg" || text == "tjgg" || text == "fmgg") {
            hint = " (a pre-GGUF GGML/GGJT file: convert it with a current llama.cpp)";
        }
        return cursor.error_at(0, "not a GGUF file: magic " + printable_quoted(text) +
                                      ", expected \"GGUF\"" + hint);
    }
    if (auto read = cursor.read_u32(version, "version"); !read) {
        return read;
    }
    if (version == 1) {
        return cursor.error_at(4, "GGUF version 1 (32-bit counts, before August 2023) is not "
                                  "supported; re-convert the model with a current llama.cpp");
    }
    if (version == 2 || version == 3) {
        return Done{};
    }
    // A big-endian file (gguf-py --bigendian) stores the version byte-swapped.
    if ((version & 0xffffu) == 0 && (version >> 24) >= 1 && (version >> 24) <= 3) {
        return cursor.error_at(4, "big-endian GGUF (version " + std::to_string(version >> 24) +
                                      " byte-swapped) is not supported");
    }
    return cursor.error_at(4, "unknown GGUF version " + std::to_string(version) +
                                  " (edgeplan reads versions 2 and 3)");
}

Status read_count(Cursor& cursor, std::uint64_t& count, std::uint64_t min_bytes,
                  std::string_view what) {
    const std::uint64_t at = cursor.offset();
    if (auto read = cursor.read_u64(count, what); !read) {
        return read;
    }
    std::uint64_t needed = 0;
    if (__builtin_mul_overflow(count, min_bytes, &needed) || needed > cursor.remaining()) {
        return cursor.error_at(at, std::string(what) + " " + std::to_string(count) +
                                       " exceeds the file (" + std::to_string(cursor.file_bytes()) +
                                       " bytes; each takes at least " + std::to_string(min_bytes) +
                                       ")");
    }
    return Done{};
}

Status read_alignment(const Cursor& cursor, GgufFile& file) {
    for (const auto& entry : file.metadata) {
        if (entry.key != "general.alignment") {
            continue;
        }
        const auto value = entry.value.as_unsigned();
        // gguf.c requires a uint32 power of two.
        if (entry.value.type != GgufValueType::uint32 || !value || *value == 0 ||
            (*value & (*value - 1)) != 0) {
            return cursor.error_at(entry.offset, "general.alignment must be a uint32 power of two");
        }
        file.alignment = *value;
    }
    return Done{};
}

/// Element count and data bytes of one tensor, overflow-checked.
Status size_tensor(const Cursor& cursor, GgufTensorInfo& tensor, const GgmlType& type) {
    // ggml holds dimensions and element counts as int64_t. Zero dimensions count as 1 in
    // the bound, so no partial product of the dimensions can overflow either.
    std::uint64_t bound = 1;
    std::uint64_t elements = 1;
    for (const auto dim : tensor.dims) {
        if (__builtin_mul_overflow(bound, std::max<std::uint64_t>(dim, 1), &bound) ||
            bound > static_cast<std::uint64_t>(INT64_MAX)) {
            return cursor.error_at(tensor.record_offset, "tensor " + printable_quoted(tensor.name) +
                                                             ": element count overflows");
        }
        elements *= dim;
    }
    const auto block = static_cast<std::uint64_t>(type.block_size);
    const std::uint64_t row = tensor.dims.empty() ? 1 : tensor.dims[0];
    if (block == 0 || row % block != 0) {
        return cursor.error_at(tensor.record_offset, "tensor " + printable_quoted(tensor.name) +
                                                         ": row length " + std::to_string(row) +
                                                         " is not a multiple of " + type.id +
                                                         "'s block of " + std::to_string(block));
    }
    std::uint64_t bytes = 0;
    if (__builtin_mul_overflow(elements / block, static_cast<std::uint64_t>(type.bytes_per_block),
                               &bytes)) {
        return cursor.error_at(tensor.record_offset,
                               "tensor " + printable_quoted(tensor.name) + ": byte size overflows");
    }
    tensor.elements = elements;
    tensor.bytes = bytes;
    return Done{};
}

Status read_tensor_info(Cursor& cursor, const Catalog& catalog, GgufTensorInfo& tensor) {
    tensor.record_offset = cursor.offset();
    if (auto read = cursor.read_string(tensor.name, max_tensor_name_bytes, "tensor name"); !read) {
        return read;
    }
    std::uint32_t n_dims = 0;
    const std::uint64_t dims_at = cursor.offset();
    if (auto read = cursor.read_u32(n_dims, "tensor dimension count"); !read) {
        return read;
    }
    if (n_dims > max_dims) {
        return cursor.error_at(dims_at, "tensor " + printable_quoted(tensor.name) + " has " +
                                            std::to_string(n_dims) + " dimensions (at most " +
                                            std::to_string(max_dims) + ")");
    }
    tensor.dims.resize(n_dims);
    for (auto& dim : tensor.dims) {
        if (auto read = cursor.read_u64(dim, "tensor dimension"); !read) {
            return read;
        }
    }
    const std::uint64_t type_at = cursor.offset();
    if (auto read = cursor.read_u32(tensor.ggml_type_id, "tensor type"); !read) {
        return read;
    }
    const GgmlType* type = nullptr;
    for (const auto& candidate : catalog.ggml_types) {
        if (candidate.ggml_type_id == static_cast<int>(tensor.ggml_type_id)) {
            type = &candidate;
        }
    }
    if (type == nullptr) {
        return cursor.error_at(type_at, "tensor " + printable_quoted(tensor.name) +
                                            " has unknown ggml type " +
                                            std::to_string(tensor.ggml_type_id));
    }
    tensor.type = type->id;
    if (auto read = cursor.read_u64(tensor.offset, "tensor data offset"); !read) {
        return read;
    }
    return size_tensor(cursor, tensor, *type);
}

/// Every tensor's data lies inside the file, aligned, and no two overlap.
Status check_tensor_data(const Cursor& cursor, const GgufFile& file) {
    std::vector<const GgufTensorInfo*> by_offset;
    by_offset.reserve(file.tensors.size());
    for (const auto& tensor : file.tensors) {
        std::uint64_t start = 0;
        std::uint64_t end = 0;
        if (tensor.offset % file.alignment != 0) {
            return cursor.error_at(tensor.record_offset,
                                   "tensor " + printable_quoted(tensor.name) + ": data offset " +
                                       std::to_string(tensor.offset) +
                                       " is not a multiple of the " +
                                       std::to_string(file.alignment) + "-byte alignment");
        }
        if (__builtin_add_overflow(file.data_offset, tensor.offset, &start) ||
            __builtin_add_overflow(start, tensor.bytes, &end) || end > file.file_bytes) {
            return cursor.error_at(tensor.record_offset,
                                   "tensor " + printable_quoted(tensor.name) + ": data (" +
                                       std::to_string(tensor.bytes) + " bytes at data offset " +
                                       std::to_string(tensor.offset) + ") ends beyond the file (" +
                                       std::to_string(file.file_bytes) + " bytes)");
        }
        by_offset.push_back(&tensor);
    }
    std::stable_sort(by_offset.begin(), by_offset.end(),
                     [](const auto* a, const auto* b) { return a->offset < b->offset; });
    for (std::size_t k = 1; k < by_offset.size(); ++k) {
        const auto* before = by_offset[k - 1];
        const auto* tensor = by_offset[k];
        if (before->offset + before->bytes > tensor->offset) {
            return cursor.error_at(tensor->record_offset,
                                   "tensor " + printable_quoted(tensor->name) +
                                       ": data overlaps tensor " + printable_quoted(before->name));
        }
    }
    return Done{};
}

} // namespace

Result<GgufFile> read_gguf(ByteSource& source, const std::string& name, const Catalog& catalog) {
    Cursor cursor(source, name);
    GgufFile file;
    file.file_bytes = source.size();
    if (auto read = read_magic_and_version(cursor, file.version); !read) {
        return read.error();
    }
    std::uint64_t tensor_count = 0;
    std::uint64_t kv_count = 0;
    if (auto read = read_count(cursor, tensor_count, min_tensor_record_bytes, "tensor count");
        !read) {
        return read.error();
    }
    if (auto read = read_count(cursor, kv_count, min_entry_bytes, "metadata key/value count");
        !read) {
        return read.error();
    }
    if (auto read = gguf_detail::read_metadata(cursor, kv_count, file.metadata); !read) {
        return read.error();
    }
    if (auto aligned = read_alignment(cursor, file); !aligned) {
        return aligned.error();
    }
    // Checked again now that the metadata has used its share of the file.
    if (tensor_count > cursor.remaining() / min_tensor_record_bytes) {
        return cursor.error_at(cursor.offset(),
                               "tensor count " + std::to_string(tensor_count) + " exceeds the " +
                                   std::to_string(cursor.remaining()) + " bytes left in the file");
    }
    file.tensors.reserve(static_cast<std::size_t>(tensor_count));
    std::unordered_set<std::string> names;
    for (std::uint64_t k = 0; k < tensor_count; ++k) {
        GgufTensorInfo tensor;
        if (auto read = read_tensor_info(cursor, catalog, tensor); !read) {
            return read.error();
        }
        if (!names.insert(tensor.name).second) {
            return cursor.error_at(tensor.record_offset,
                                   "duplicate tensor name " + printable_quoted(tensor.name));
        }
        file.tensors.push_back(std::move(tensor));
    }
    // The data starts at the end of the header, padded to the alignment. A file without
    // tensors may end before that padding.
    const std::uint64_t header_end = cursor.offset();
    const std::uint64_t pad = (file.alignment - header_end % file.alignment) % file.alignment;
    file.data_offset = header_end + pad; // header_end <= file size < 2^64 - alignment
    if (auto checked = check_tensor_data(cursor, file); !checked) {
        return checked.error();
    }
    return file;
}

} // namespace edgeplan
