#pragma once

// The ExecuTorch export and runner steps, shared by the ExecuTorch and Core ML writers.

#include "config_writers.hpp"

#include <string>

namespace edgeplan::report_detail {

/// export_llm.yaml and the script running export_llm with it.
struct ExecutorchExport {
    std::string yaml;
    std::string script;
};

/// "models/<model id>": where the checkpoint is fetched to and the .pte is written.
std::string executorch_folder(const ConfigContext& context);

/// The exported program: "models/<id>/<id>-<backend>.pte".
std::string executorch_program(const ConfigContext& context, const std::string& backend);

/// The export for `backend` ("xnnpack" or "coreml") with the plan's context, KV cache and
/// quantization; adds the checkpoint to config.fetch and notes to config.notes.
ExecutorchExport executorch_export(const ConfigContext& context, const std::string& backend,
                                   DeploymentConfig& config);

/// run script: llama_main with the exported program and the plan's threads and lengths.
std::string executorch_runner(const ConfigContext& context, const std::string& backend);

} // namespace edgeplan::report_detail
