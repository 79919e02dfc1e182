#pragma once

// A bounded, buffered little-endian reader over a ByteSource. Every read is checked against
// the bytes left in the file first, and every error names the byte offset it happened at.

#include <edgeplan/core/result.hpp>
#include <edgeplan/gguf/byte_source.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace edgeplan::gguf_detail {

/// `text` (untrusted bytes) in double quotes, safe for a one-line message: bytes outside
/// printable ASCII become \xNN, and past 96 bytes it is cut with "...".
std::string printable_quoted(std::string_view text);

class Cursor {
  public:
    Cursor(ByteSource& source, const std::string& name);

    [[nodiscard]] std::uint64_t offset() const {
        return offset_;
    }
    [[nodiscard]] std::uint64_t file_bytes() const {
        return size_;
    }
    [[nodiscard]] std::uint64_t remaining() const {
        return size_ - offset_;
    }

    /// Reads `length` bytes; fails (naming `what`) when fewer are left in the file.
    Status read_bytes(std::byte* out, std::uint64_t length, std::string_view what);
    Status read_u32(std::uint32_t& out, std::string_view what);
    Status read_u64(std::uint64_t& out, std::string_view what);
    /// A little-endian unsigned integer of `width` bytes (1, 2, 4 or 8).
    Status read_uint(std::uint64_t& out, int width, std::string_view what);
    /// A GGUF string: u64 length then bytes. Lengths over `max_length` or past the end of the
    /// file fail before anything is allocated.
    Status read_string(std::string& out, std::uint64_t max_length, std::string_view what);
    /// Moves forward `length` bytes without reading them.
    Status skip(std::uint64_t length, std::string_view what);
    /// Moves forward to the next multiple of `alignment` (a power of two).
    Status align_to(std::uint64_t alignment, std::string_view what);

    /// An error "offset N: message" for this file.
    [[nodiscard]] Error error_at(std::uint64_t offset, const std::string& message) const;
    /// "<what> (N bytes) runs past the end of the file (M bytes)" at the current offset.
    [[nodiscard]] Error past_end(std::uint64_t length, std::string_view what) const;

  private:
    Status fill(std::uint64_t length, std::string_view what);

    ByteSource& source_;
    const std::string& name_;
    std::uint64_t size_ = 0;
    std::uint64_t offset_ = 0;
    // A window of the file: [window_start_, window_start_ + window_length_).
    static constexpr std::size_t window_capacity = 64 * 1024;
    std::array<std::byte, window_capacity> window_{};
    std::uint64_t window_start_ = 0;
    std::size_t window_length_ = 0;
};

} // namespace edgeplan::gguf_detail
