#include "cursor.hpp"

#include <algorithm>
#include <cstring>

namespace edgeplan::gguf_detail {

std::string printable_quoted(std::string_view text) {
    constexpr std::size_t shown = 96;
    std::string out = "\"";
    for (std::size_t k = 0; k < text.size() && k < shown; ++k) {
        const auto c = static_cast<unsigned char>(text[k]);
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
            out += static_cast<char>(c);
        } else {
            constexpr const char* hex = "0123456789abcdef";
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    out += text.size() > shown ? "...\"" : "\"";
    return out;
}

Cursor::Cursor(ByteSource& source, const std::string& name)
    : source_(source), name_(name), size_(source.size()) {}

Error Cursor::error_at(std::uint64_t offset, const std::string& message) const {
    return make_error(ExitCode::bad_input, name_,
                      "offset " + std::to_string(offset) + ": " + message);
}

Error Cursor::past_end(std::uint64_t length, std::string_view what) const {
    return error_at(offset_, std::string(what) + " (" + std::to_string(length) +
                                 " bytes) runs past the end of the file (" + std::to_string(size_) +
                                 " bytes)");
}

Status Cursor::fill(std::uint64_t length, std::string_view what) {
    // Callers ask for at most 8 bytes through the window; larger reads go straight through.
    if (offset_ >= window_start_ && offset_ + length <= window_start_ + window_length_) {
        return Done{};
    }
    const std::uint64_t want = std::min<std::uint64_t>(window_capacity, size_ - offset_);
    if (!source_.read(offset_, window_.data(), static_cast<std::size_t>(want))) {
        return error_at(offset_, "read error while reading " + std::string(what));
    }
    window_start_ = offset_;
    window_length_ = static_cast<std::size_t>(want);
    return Done{};
}

Status Cursor::read_bytes(std::byte* out, std::uint64_t length, std::string_view what) {
    if (length > remaining()) {
        return past_end(length, what);
    }
    if (length > window_capacity / 2) {
        if (!source_.read(offset_, out, static_cast<std::size_t>(length))) {
            return error_at(offset_, "read error while reading " + std::string(what));
        }
        offset_ += length;
        return Done{};
    }
    if (auto filled = fill(length, what); !filled) {
        return filled.error();
    }
    if (length > 0) {
        std::memcpy(out, window_.data() + (offset_ - window_start_),
                    static_cast<std::size_t>(length));
    }
    offset_ += length;
    return Done{};
}

Status Cursor::read_uint(std::uint64_t& out, int width, std::string_view what) {
    std::array<std::byte, 8> raw{};
    if (auto read = read_bytes(raw.data(), static_cast<std::uint64_t>(width), what); !read) {
        return read;
    }
    // Byte by byte, so the result does not depend on the host's byte order.
    out = 0;
    for (int k = width - 1; k >= 0; --k) {
        out = (out << 8) | std::to_integer<std::uint64_t>(raw[static_cast<std::size_t>(k)]);
    }
    return Done{};
}

Status Cursor::read_u32(std::uint32_t& out, std::string_view what) {
    std::uint64_t wide = 0;
    if (auto read = read_uint(wide, 4, what); !read) {
        return read;
    }
    out = static_cast<std::uint32_t>(wide);
    return Done{};
}

Status Cursor::read_u64(std::uint64_t& out, std::string_view what) {
    return read_uint(out, 8, what);
}

Status Cursor::read_string(std::string& out, std::uint64_t max_length, std::string_view what) {
    const std::uint64_t at = offset_;
    std::uint64_t length = 0;
    if (auto read = read_u64(length, std::string(what) + " length"); !read) {
        return read;
    }
    if (length > remaining()) {
        return error_at(at, std::string(what) + " length " + std::to_string(length) +
                                " exceeds the file (" + std::to_string(size_) + " bytes, " +
                                std::to_string(remaining()) + " left)");
    }
    if (length > max_length) {
        return error_at(at, std::string(what) + " length " + std::to_string(length) +
                                " exceeds the " + std::to_string(max_length) +
                                "-byte limit edgeplan reads");
    }
    out.resize(static_cast<std::size_t>(length));
    return read_bytes(reinterpret_cast<std::byte*>(out.data()), length, what);
}

Status Cursor::skip(std::uint64_t length, std::string_view what) {
    if (length > remaining()) {
        return past_end(length, what);
    }
    offset_ += length;
    return Done{};
}

Status Cursor::align_to(std::uint64_t alignment, std::string_view what) {
    const std::uint64_t pad = (alignment - offset_ % alignment) % alignment;
    return skip(pad, what);
}

} // namespace edgeplan::gguf_detail
