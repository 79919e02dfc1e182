#pragma once

// Shared between the gguf module's derivation files (not public).

#include <edgeplan/estimate/gguf_weights.hpp>
#include <edgeplan/gguf/gguf_file.hpp>

#include <string>
#include <vector>

namespace edgeplan::gguf_detail {

/// Every tensor of `file` as a TensorShape (file order, categorised by name), and its
/// catalogue ggml type id in `types`.
Result<ModelShapes> tensor_shapes(const GgufFile& file, const std::string& arch,
                                  std::vector<std::string>& types);

} // namespace edgeplan::gguf_detail

#include "metadata_fields.hpp"

#include <edgeplan/core/catalog.hpp>
#include <edgeplan/gguf/gguf_model.hpp>

namespace edgeplan::gguf_detail {

/// The architecture fields the metadata states, for `arch` (general.architecture). Values
/// that come from tensor shapes or assumptions add a sentence to `notes`.
Result<ModelArchitecture> architecture_from_metadata(const MetadataFields& fields,
                                                     const std::string& arch,
                                                     const ModelShapes& shapes,
                                                     std::vector<std::string>& notes);

} // namespace edgeplan::gguf_detail
