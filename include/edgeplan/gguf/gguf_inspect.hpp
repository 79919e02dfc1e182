#pragma once

// `edgeplan inspect FILE.gguf`: one summary of a GGUF header and the model it holds, as
// Markdown for people or JSON (data/schema/gguf-inspect.schema.json) for scripts. Pure: the
// text is returned, never printed. No clock time, host or absolute path appears in it.

#include <edgeplan/gguf/gguf_file.hpp>
#include <edgeplan/gguf/gguf_model.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace edgeplan {

/// Tensors of one ggml type.
struct GgufTypeTotal {
    std::string type; ///< catalogue ggml type id: "q4_K"
    int ggml_type_id = 0;
    std::uint64_t tensors = 0;
    std::uint64_t parameters = 0;
    std::uint64_t bytes = 0;
};

/// The type histogram, largest byte share first (ties by type id).
std::vector<GgufTypeTotal> gguf_type_totals(const GgufFile& file);

/// The Markdown summary. `name` is the file as the user named it.
std::string render_gguf_inspect_markdown(const std::string& name, const GgufFile& file,
                                         const GgufModel& model);

/// Schema version of the JSON document ("schema_version").
inline constexpr int gguf_inspect_schema_version = 1;
/// Metadata array elements shown in the JSON per array (the rest is counted).
inline constexpr std::uint64_t gguf_inspect_array_values = 64;

/// The JSON document, pretty-printed, ending with a newline. Strings that are not UTF-8
/// have their bad bytes replaced (U+FFFD) rather than failing.
std::string render_gguf_inspect_json(const std::string& name, const GgufFile& file,
                                     const GgufModel& model);

} // namespace edgeplan
