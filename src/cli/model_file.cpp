// The model a GGUF file holds, with the file's own tensors attached for the estimator.
#include "model_file.hpp"

#include "inspect_command.hpp"

#include <edgeplan/estimate/weights.hpp>

#include <memory>

namespace edgeplan::cli {

Result<Model> model_from_gguf_file(const std::string& path, const Catalog& catalog) {
    auto read = read_gguf_model_file(path, catalog);
    if (!read) {
        return read.error();
    }
    Model model = std::move(read->model.model);
    auto weights = std::make_shared<GgufFileWeights>();
    weights->path = path;
    weights->quantization = read->model.file_type_name.value_or("");
    weights->tensors = std::move(read->model.weights);
    model.gguf_file = std::move(weights);
    return model;
}

} // namespace edgeplan::cli
