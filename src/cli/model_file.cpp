// The model a GGUF file holds, with the file's own tensors attached for the estimator.
#include "model_file.hpp"

#include "inspect_command.hpp"

#include <edgeplan/estimate/weights.hpp>

#include <filesystem>
#include <memory>
#include <system_error>

namespace edgeplan::cli {

Result<Model> model_from_gguf_file(const std::string& path, const Catalog& catalog) {
    auto read = read_gguf_model_file(path, catalog);
    if (!read) {
        return read.error();
    }
    Model model = std::move(read->model.model);
    // The deployment files name the file absolutely: a systemd unit or a script started from
    // another directory must still find it. The id keeps only the file name, so reports do
    // not depend on where the command ran.
    std::error_code ec;
    const std::filesystem::path absolute = std::filesystem::absolute(path, ec).lexically_normal();
    model.id = "gguf:" + std::filesystem::path(path).filename().string();
    auto weights = std::make_shared<GgufFileWeights>();
    weights->path = ec ? path : absolute.string();
    weights->quantization = read->model.file_type_name.value_or("");
    weights->tensors = std::move(read->model.weights);
    model.gguf_file = std::move(weights);
    return model;
}

} // namespace edgeplan::cli
