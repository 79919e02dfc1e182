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
    /// The same command without "exec" (a systemd ExecStart= value, continued lines).
    [[nodiscard]] std::string render_command() const;

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
/// "models/<repository name>" for a repository ("models/<repository name>-<quant>.gguf" for
/// GGUF, which engines load as one file), "models/<model>-<quant>[.gguf]" otherwise.
std::string local_model_path(const DeploymentSettings& settings, const std::string& model_id);

/// A catalogue model's first artifact in `format` (for draft models); nullptr if none.
const Artifact* find_artifact(const Catalog& catalog, const std::string& model_id,
                              const std::string& format);

/// The engine's telemetry switch as "NAME=value" (first word of the catalogue text), or "".
std::string telemetry_assignment(const Engine* engine);

/// A YAML or JSON scalar for a string: JSON-quoted (every JSON string is a YAML scalar).
std::string quoted(const std::string& value);

/// Start/stop/check lines for a script that `exec`s a server: start in the background with
/// its pid in "<stem>.pid", stop by that pid, check with a request to `check_path` on the
/// plan's port (127.0.0.1 when the server listens on every interface).
void add_script_lifecycle(DeploymentConfig& config, const std::string& script,
                          const std::string& check_path);

/// The fetch-beforehand entry for the plan's weights (with the catalogue's checksum when it
/// has one), plus the matching note; `destination` defaults to local_model_path().
void add_weights_fetch(const ConfigContext& context, DeploymentConfig& config,
                       const std::string& destination = "");

/// apply_overrides.py: deep-merges a JSON overrides file into a JSON config shipped with a
/// converted model (genai_config.json, a Genie dialog config). Standard library only.
ConfigFile json_overrides_script();

/// A systemd [Service] hardening block shared by the units edgeplan writes (systemd.exec(5)).
std::string systemd_hardening();

/// llama-server's context, slots, offload, attention, KV and thread flags from the plan
/// (shared by llama.cpp and llamafile, which embeds llama-server).
void add_llama_server_placement(const DeploymentSettings& settings, ShellCommand& command);
DeploymentConfig write_llama_cpp_config(const ConfigContext& context);
DeploymentConfig write_ollama_config(const ConfigContext& context);
DeploymentConfig write_vllm_config(const ConfigContext& context);
DeploymentConfig write_mlx_config(const ConfigContext& context);
DeploymentConfig write_tensorrt_llm_config(const ConfigContext& context);
DeploymentConfig write_onnx_genai_config(const ConfigContext& context);
DeploymentConfig write_lm_studio_config(const ConfigContext& context);
DeploymentConfig write_llamafile_config(const ConfigContext& context);
DeploymentConfig write_coreml_config(const ConfigContext& context);
DeploymentConfig write_genie_config(const ConfigContext& context);
DeploymentConfig write_executorch_config(const ConfigContext& context);
/// sherpa-onnx (text-to-speech): a speak.sh script around sherpa-onnx-offline-tts.
DeploymentConfig write_sherpa_onnx_config(const ConfigContext& context);
/// whisper.cpp (speech-to-text): a whisper-server start script.
DeploymentConfig write_whisper_cpp_config(const ConfigContext& context);
/// Any other engine: the catalogue's serving command with the model and an explicit port.
DeploymentConfig write_generic_config(const ConfigContext& context);

} // namespace edgeplan::report_detail
