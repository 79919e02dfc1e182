#pragma once

// Typed, bounded lookups of "<arch>.<field>" metadata (internal to the gguf module). A key
// that is absent is nullopt; a key with the wrong type or an implausible value is an error
// naming its offset, because a planner fed a 2^40-layer model would overflow.

#include <edgeplan/gguf/gguf_file.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace edgeplan::gguf_detail {

class MetadataFields {
  public:
    MetadataFields(const GgufFile& file, const std::string& name, std::string arch)
        : file_(file), name_(name), arch_(std::move(arch)) {}

    /// The entry of a full key, or nullptr.
    [[nodiscard]] const GgufKeyValue* entry(std::string_view key) const;
    /// "<arch>.<suffix>" as an integer in [0, max].
    Result<std::optional<std::uint64_t>> count(std::string_view suffix, std::uint64_t max) const;
    /// A full key as an integer in [0, max].
    Result<std::optional<std::uint64_t>> count_key(std::string_view key, std::uint64_t max) const;
    /// "<arch>.<suffix>" as one integer or a per-layer array of them (llama.cpp's
    /// get_key_or_arr); each in [0, max]. Empty when absent.
    Result<std::vector<std::uint64_t>> per_layer(std::string_view suffix, std::uint64_t max) const;
    /// A string value, or nullopt (absent or not a string).
    [[nodiscard]] std::optional<std::string> text(std::string_view key) const;

    [[nodiscard]] Error error(const GgufKeyValue& entry, const std::string& message) const;

  private:
    Result<std::uint64_t> bounded(const GgufKeyValue& entry, const GgufValue& value,
                                  std::uint64_t max) const;

    const GgufFile& file_;
    const std::string& name_;
    std::string arch_;
};

} // namespace edgeplan::gguf_detail
