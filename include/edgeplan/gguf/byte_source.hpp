#pragma once

// The seam between the GGUF reader and where the bytes live. The reader never opens files:
// the command line hands it a file-backed source, tests and the fuzzer a memory buffer.

#include <cstddef>
#include <cstdint>
#include <span>

namespace edgeplan {

/// Random-access, read-only bytes of one GGUF file.
class ByteSource {
  public:
    virtual ~ByteSource() = default;
    /// Total size in bytes. The reader checks every count, length and offset against it.
    [[nodiscard]] virtual std::uint64_t size() const = 0;
    /// Copies `length` bytes starting at `offset` into `out`. The reader asks only for
    /// ranges inside size(). False: an I/O error (the reader reports it at `offset`).
    virtual bool read(std::uint64_t offset, std::byte* out, std::size_t length) = 0;
};

/// A ByteSource over a buffer the caller keeps alive (tests, the fuzzer).
class MemoryByteSource final : public ByteSource {
  public:
    explicit MemoryByteSource(std::span<const std::byte> bytes) : bytes_(bytes) {}
    [[nodiscard]] std::uint64_t size() const override {
        return bytes_.size();
    }
    bool read(std::uint64_t offset, std::byte* out, std::size_t length) override;

  private:
    std::span<const std::byte> bytes_;
};

} // namespace edgeplan
