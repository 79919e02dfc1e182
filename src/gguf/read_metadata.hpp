#pragma once

// Metadata key/values of a GGUF header (internal to the gguf module).

#include "cursor.hpp"

#include <edgeplan/gguf/gguf_file.hpp>

namespace edgeplan::gguf_detail {

/// Reads `count` key/values from the cursor into `out`. `count` has already been checked
/// against the bytes left; duplicate keys are an error (llama.cpp refuses them too).
Status read_metadata(Cursor& cursor, std::uint64_t count, std::vector<GgufKeyValue>& out);

} // namespace edgeplan::gguf_detail
