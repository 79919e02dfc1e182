// Core ML: the model is exported once through ExecuTorch's Core ML backend (coremltools
// underneath) with the stateful KV cache of iOS 18 / macOS 15 and fused SDPA, the techniques
// of Apple's "On Device Llama 3.1 with Core ML"; the .pte then runs through the llama runner
// on a Mac or the ExecuTorch iOS LLM runner in an app. No server: port 0.

#include "config_executorch.hpp"

#include <fmt/format.h>

namespace edgeplan::report_detail {

DeploymentConfig write_coreml_config(const ConfigContext& context) {
    const auto& s = context.settings;
    DeploymentConfig config{s.engine_id, s.host, 0, {}, {}, {}, {}, {}, {}};
    const ExecutorchExport exported = executorch_export(context, "coreml", config);
    config.files.push_back({"export_llm.yaml", "yaml", "export_llm config (YAML)", exported.yaml});
    config.files.push_back({"export-coreml.sh", "sh", "export_llm", exported.script});
    config.files.push_back(
        {"run-coreml.sh", "sh", "llama_main", executorch_runner(context, "coreml")});
    config.start.push_back("./export-coreml.sh   # once, on a Mac with coremltools");
    config.start.push_back("./run-coreml.sh      # llama_main built with -DEXECUTORCH_BUILD_COREML=ON");
    config.stop.push_back("# The runner exits after one answer; in an app, release the Module.");
    config.check.push_back("./run-coreml.sh   # prints the answer and tokens per second");
    config.notes.push_back("Core ML needs iOS 18 / macOS 15 for the stateful KV cache; "
                           "compute_units cpu_and_ne lets Core ML place layers on the Neural "
                           "Engine, and it decides the split itself.");
    return config;
}

} // namespace edgeplan::report_detail
