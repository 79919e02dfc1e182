#pragma once

// The per-engine deployment writers behind deployment_config(), and the small shell-line
// builder they share. Each writer reads only the plan's settings and the catalogue entry.

#include <edgeplan/report/config_files.hpp>

#include <string>
#include <utility>
#include <vector>

namespace edgeplan::report_detail {

/// What a writer needs, resolved once by deployment_config().
struct ConfigContext {
    const Plan& plan;
    const Candidate& chosen;
    const DeploymentSettings& settings;
    const Engine* engine; ///< nullptr when the engine id is not in the catalogue
    const Catalog& catalog;
    bool no_download = false; ///< offline or airgap: nothing fetched at run time
    bool keeps_local = false; ///< offline, strict or airgap: telemetry and cloud off
};

/// One shell command: environment assignments, the program, then one option per line.
class ShellCommand {
  public:
    explicit ShellCommand(std::string program) : program_(std::move(program)) {}
    /// A positional argument, kept on the program's line.
    void argument(const std::string& value);
    /// A flag with no value ("--metrics").
    void flag(const std::string& name);
    /// A flag and its value, quoted for the shell when needed.
    void option(const std::string& name, const std::string& value);
    void option(const std::string& name, long long value);
    /// "exec program args \\\n  --flag value \\\n ..." ending with a newline.
    [[nodiscard]] std::string render() const;

  private:
    std::string program_;
    std::vector<std::string> arguments_;
    std::vector<std::string> options_;
};

/// Single-quotes a value for POSIX sh when it holds anything beyond [A-Za-z0-9_./:=+@,-].
std::string shell_quote(const std::string& value);

/// "#!/bin/sh" plus "# " comment lines.
std::string shell_header(const std::vector<std::string>& comments);

/// Where the weights live on disk when fetched beforehand: "models/<file>" for a file,
/// "models/<repository name>" for a repository, "models/<model>-<quant>.gguf" otherwise.
std::string local_model_path(const DeploymentSettings& settings, const std::string& model_id);

/// A catalogue model's first artifact in `format` (for draft models); nullptr if none.
const Artifact* find_artifact(const Catalog& catalog, const std::string& model_id,
                              const std::string& format);

/// "Offline plan: fetch <artifact> beforehand ... copy it to `<local path>` ...".
std::string fetch_beforehand_note(const ConfigContext& context);

/// The engine's telemetry switch as "NAME=value" (first word of the catalogue text), or "".
std::string telemetry_assignment(const Engine* engine);

DeploymentConfig write_llama_cpp_config(const ConfigContext& context);
DeploymentConfig write_ollama_config(const ConfigContext& context);
DeploymentConfig write_vllm_config(const ConfigContext& context);
DeploymentConfig write_mlx_config(const ConfigContext& context);
/// whisper.cpp (speech-to-text): a whisper-server start script.
DeploymentConfig write_whisper_cpp_config(const ConfigContext& context);
/// Any other engine: the catalogue's serving command with the model and an explicit port.
DeploymentConfig write_generic_config(const ConfigContext& context);

} // namespace edgeplan::report_detail
