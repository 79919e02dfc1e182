#pragma once

// Strict reading of JSON documents with JSON-pointer error locations. Shared by the profile
// reader (core) and the catalogue reader (catalog); the namespace stays `detail` because it
// is a building block for readers, not an API for planners or reports.

#include <edgeplan/core/sourced.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <string>
#include <vector>

namespace edgeplan::detail {

/// Collects every problem found in one document; the caller reports the first and the count.
class JsonReader {
public:
    explicit JsonReader(Source plain_source) : plain_source_(plain_source) {}

    [[nodiscard]] const std::vector<std::pair<std::string, std::string>>& problems() const {
        return problems_;
    }
    void problem(const std::string& pointer, std::string message) {
        problems_.emplace_back(pointer.empty() ? "/" : pointer, std::move(message));
    }

    /// True if `node` is an object whose keys are all in `allowed`; reports otherwise.
    bool object(const nlohmann::json& node, const std::string& pointer,
                std::initializer_list<const char*> allowed);
    /// True if `node` is an array; reports otherwise.
    bool array(const nlohmann::json& node, const std::string& pointer);

    /// Reads a required or optional plain string/int/number/bool member.
    bool string(const nlohmann::json& parent, const char* key, const std::string& pointer,
                std::string& out, bool required);
    bool integer(const nlohmann::json& parent, const char* key, const std::string& pointer,
                 std::int64_t& out, std::int64_t min, std::int64_t max, bool required);
    /// Reads a required or optional finite number in [min, max].
    bool number(const nlohmann::json& parent, const char* key, const std::string& pointer,
                double& out, double min, double max, bool required);
    /// Reads a required or optional boolean.
    bool boolean(const nlohmann::json& parent, const char* key, const std::string& pointer,
                 bool& out, bool required);

    /// Reads an optional member that may be absent or null (unknown).
    void optional_string(const nlohmann::json& parent, const char* key,
                         const std::string& pointer, std::optional<std::string>& out);
    void optional_int(const nlohmann::json& parent, const char* key, const std::string& pointer,
                      std::optional<int>& out, int min, int max);
    void optional_u64(const nlohmann::json& parent, const char* key, const std::string& pointer,
                      std::optional<std::uint64_t>& out);
    void optional_double(const nlohmann::json& parent, const char* key,
                         const std::string& pointer, std::optional<double>& out, double min,
                         double max);
    void optional_bool(const nlohmann::json& parent, const char* key, const std::string& pointer,
                       std::optional<bool>& out);

    /// Reads {"value": v|null, "source": "..."} or a plain value / null.
    void sourced(const nlohmann::json& parent, const char* key, const std::string& pointer,
                 Sourced<std::string>& out);
    void sourced(const nlohmann::json& parent, const char* key, const std::string& pointer,
                 Sourced<int>& out, int min = 0, int max = std::numeric_limits<int>::max());
    void sourced(const nlohmann::json& parent, const char* key, const std::string& pointer,
                 Sourced<std::uint64_t>& out);
    void sourced(const nlohmann::json& parent, const char* key, const std::string& pointer,
                 Sourced<double>& out, double min = 0,
                 double max = std::numeric_limits<double>::max());
    void sourced(const nlohmann::json& parent, const char* key, const std::string& pointer,
                 Sourced<bool>& out);

    /// Reads a source name (for list-level sources).
    void source(const nlohmann::json& parent, const char* key, const std::string& pointer,
                Source& out);

    /// Reads a string array member; absent means empty.
    void string_list(const nlohmann::json& parent, const char* key, const std::string& pointer,
                     std::vector<std::string>& out);

private:
    /// Where a sourced member's value sits: holder[key] at `pointer`; holder is null when
    /// the value is unknown or malformed.
    struct ValueSite {
        const nlohmann::json* holder = nullptr;
        const char* key = nullptr;
        std::string pointer;
    };
    /// Splits a sourced member into the site of its value and its source.
    ValueSite sourced_value(const nlohmann::json& parent, const char* key,
                            const std::string& pointer, Source& source_out);

    Source plain_source_;
    std::vector<std::pair<std::string, std::string>> problems_;
};

/// Escapes a key for use in a JSON pointer (RFC 6901).
std::string pointer_token(const std::string& key);

} // namespace edgeplan::detail
