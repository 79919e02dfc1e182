#pragma once

// Deployment configuration for a plan's chosen engine, as files (section 4 of the plan
// report; the next issue writes them to disk). One writer per engine family: llama.cpp,
// Ollama, vLLM, MLX, and a generic "run" line from the catalogue for the others. Every
// flag a writer emits is in the catalogue engine's `flags` list for the file's tool.

#include <edgeplan/core/catalog.hpp>
#include <edgeplan/core/plan.hpp>

#include <string>
#include <vector>

namespace edgeplan {

/// One file of a deployment.
struct ConfigFile {
    std::string name;     ///< file name, no directory: "llama-server.sh", "Modelfile"
    std::string language; ///< "sh", "modelfile", "python" (fences and checks key on it)
    /// The catalogue `Engine::flags` key its flags are checked against ("llama-server",
    /// "Modelfile", "ollama serve (env)"); empty when it holds no engine flags (a Python
    /// script calling a library).
    std::string tool;
    std::string content; ///< ends with a newline
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
};

/// The deployment of `plan.chosen` (empty files and one note when there is no chosen
/// candidate). An offline or airgapped plan's files download nothing at run time: local
/// model paths, no -hf / pull / URL, offline switches set where the engine has them.
DeploymentConfig deployment_config(const Plan& plan, const Catalog& catalog);

} // namespace edgeplan
