#pragma once

// `--model-file FILE.gguf` on `fit` and `recommend`: the model a GGUF file holds, planned as
// the file stores it.

#include <edgeplan/core/catalog.hpp>
#include <edgeplan/core/result.hpp>

#include <string>

namespace edgeplan::cli {

/// The model in the GGUF file at `path`: the architecture its metadata states, with its
/// tensors, quantization and path attached (Model::gguf_file), so the estimator sizes the
/// weights the file really stores and the command line loads that file. Only the header is
/// read. Errors: ExitCode::bad_input (or the file checks' codes), where = `path`.
Result<Model> model_from_gguf_file(const std::string& path, const Catalog& catalog);

} // namespace edgeplan::cli
