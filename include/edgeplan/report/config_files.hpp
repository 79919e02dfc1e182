#pragma once

// Deployment configuration for a plan's chosen engine, as files (section 4 of the plan
// report; `recommend --out DIR` and `config --engine E --out DIR` write them to disk with a
// README.md). One writer per engine (src/report/config_<engine>.cpp) and a generic "run"
// line from the catalogue for the others. Every flag or key a writer emits is in the
// catalogue engine's `flags` list for the file's tool.

#include <edgeplan/core/catalog.hpp>
#include <edgeplan/core/plan.hpp>

#include <optional>
#include <string>
#include <vector>

namespace edgeplan {

/// One file of a deployment.
struct ConfigFile {
    std::string name;     ///< file name, no directory: "llama-server.sh", "Modelfile"
    /// "sh", "modelfile", "python", "yaml", "json", "systemd", "markdown" (fences and the
    /// syntax checks key on it).
    std::string language;
    /// The catalogue `Engine::flags` key its flags are checked against ("llama-server",
    /// "Modelfile", "ollama serve (env)"); empty when it holds no engine flags (a Python
    /// script calling a library).
    std::string tool;
    std::string content; ///< ends with a newline
    /// Written with the executable bit (0755): shell and Python scripts a user runs.
    [[nodiscard]] bool executable() const { return language == "sh" || language == "python"; }
};

/// Something to copy onto the machine before the first start (offline plans fetch nothing).
struct FetchItem {
    std::string what;        ///< "`bartowski/Qwen3-8B-GGUF` file `Qwen3-8B-Q4_K_M.gguf`"
    std::string destination; ///< path beside the files: "models/Qwen3-8B-Q4_K_M.gguf"
    std::optional<std::string> sha256; ///< nullopt: the catalogue does not know it
};

/// The files for one plan, with the address the server listens on.
struct DeploymentConfig {
    std::string engine_id;
    std::string host;
    int port = 0; ///< always explicit in the files; 0 only for library engines with no server
    std::vector<ConfigFile> files;
    /// Sentences the reader needs with the files: what to fetch beforehand, settings the
    /// checked engine version cannot express, port collisions with other engines' defaults.
    std::vector<std::string> notes;
    std::vector<std::string> start; ///< shell lines that start it, run from the files' folder
    std::vector<std::string> stop;  ///< shell lines that stop it
    std::vector<std::string> check; ///< shell lines that show it works (a request, a listing)
    std::vector<FetchItem> fetch;   ///< what to copy here before the first start
};

/// The deployment of `plan.chosen` (empty files and one note when there is no chosen
/// candidate). An offline or airgapped plan's files download nothing at run time: local
/// model paths, no -hf / pull / URL, offline switches set where the engine has them.
DeploymentConfig deployment_config(const Plan& plan, const Catalog& catalog);

/// README.md for a deployment folder: the plan's verdict, how to start, stop and check it,
/// the port, what to fetch beforehand (with checksums where known), and every note.
ConfigFile deployment_readme(const Plan& plan, const DeploymentConfig& config,
                             const Catalog& catalog);

} // namespace edgeplan
