// deployment_config(): picks the writer for the chosen engine and adds the notes every
// deployment shares (what to fetch beforehand, default-port collisions).

#include "config_writers.hpp"
#include "plan_sections.hpp"

#include <fmt/format.h>

#include <map>

#include <edgeplan/report/config_files.hpp>

namespace edgeplan {

namespace report_detail {

void ShellCommand::argument(const std::string& value) {
    arguments_.push_back(shell_quote(value));
}

void ShellCommand::flag(const std::string& name) {
    options_.push_back(name);
}

void ShellCommand::option(const std::string& name, const std::string& value) {
    options_.push_back(name + " " + shell_quote(value));
}

void ShellCommand::option(const std::string& name, long long value) {
    options_.push_back(name + " " + std::to_string(value));
}

std::string ShellCommand::render() const {
    return "exec " + render_command();
}

std::string ShellCommand::render_command() const {
    std::string out = program_;
    for (const auto& argument : arguments_) {
        out += " " + argument;
    }
    for (const auto& option : options_) {
        out += " \\\n  " + option;
    }
    return out + "\n";
}

std::string shell_quote(const std::string& value) {
    const bool plain = !value.empty() && value.find_first_not_of(
                                             "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                             "0123456789_./:=+@,-") == std::string::npos;
    if (plain) {
        return value;
    }
    std::string out = "'";
    for (char ch : value) {
        out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    }
    return out + "'";
}

std::string shell_header(const std::vector<std::string>& comments) {
    std::string out = "#!/bin/sh\n";
    for (const auto& line : comments) {
        out += "# " + line + "\n";
    }
    return out;
}

std::string local_model_path(const DeploymentSettings& s, const std::string& model_id) {
    if (s.local_file) {
        return *s.local_file; // --model-file: the file the user holds, where it is
    }
    if (s.artifact_file) {
        return "models/" + *s.artifact_file;
    }
    if (s.artifact_repository) {
        const auto slash = s.artifact_repository->rfind('/');
        const std::string name = slash == std::string::npos
                                     ? *s.artifact_repository
                                     : s.artifact_repository->substr(slash + 1);
        // A GGUF engine loads one file, not a repository folder: name the quant's file.
        return "models/" + name +
               (s.weights_format == "gguf" ? "-" + s.quantization + ".gguf" : std::string());
    }
    return "models/" + model_id + "-" + s.quantization +
           (s.weights_format == "gguf" ? ".gguf" : "");
}

const Artifact* find_artifact(const Catalog& catalog, const std::string& model_id,
                              const std::string& format) {
    const Model* model = catalog.find_model(model_id);
    if (model == nullptr) {
        return nullptr;
    }
    for (const auto& artifact : model->artifacts) {
        if (artifact.format == format) {
            return &artifact;
        }
    }
    return nullptr;
}

std::string telemetry_assignment(const Engine* engine) {
    if (engine == nullptr || !engine->telemetry_switch) {
        return "";
    }
    const std::string& text = *engine->telemetry_switch;
    const std::string first = text.substr(0, text.find(' '));
    return first.find('=') == std::string::npos ? "" : first;
}

namespace {

void add_shared_notes(const ConfigContext& context, DeploymentConfig& config) {
    const auto& s = context.settings;
    if (s.host == "0.0.0.0" || s.host == "::") {
        config.notes.push_back("The server listens on every network interface: put an API key, a "
                               "firewall rule or a reverse proxy in front of it.");
    }
    // Several engines share default ports (8080, 8000, 11434): name the ones this port
    // collides with so two servers on one machine do not fight over it.
    std::vector<std::string> others;
    for (const auto& engine : context.catalog.engines) {
        if (engine.id != s.engine_id && engine.serving.default_port == config.port &&
            config.port != 0) {
            others.push_back(engine.name);
        }
    }
    if (!others.empty()) {
        std::string list;
        for (std::size_t i = 0; i < others.size(); ++i) {
            list += (i > 0 ? ", " : "") + others[i];
        }
        config.notes.push_back(fmt::format("Port {} is also the default of {}: if one of them runs "
                                           "here, change the port in these files.",
                                           config.port, list));
    }
}

} // namespace

} // namespace report_detail

DeploymentConfig deployment_config(const Plan& plan, const Catalog& catalog) {
    using namespace report_detail;
    if (!plan.chosen) {
        DeploymentConfig none;
        none.notes.push_back(plan.task_unserved
                                 ? "No deployment: no modelled engine serves the task (section 2)."
                                 : "No deployment: nothing fits the request (see the alternatives "
                                   "in section 2).");
        return none;
    }
    const Candidate& chosen = *plan.chosen;
    const ConfigContext context{plan,
                                chosen,
                                chosen.settings,
                                catalog.find_engine(chosen.settings.engine_id),
                                catalog,
                                plan.request.offline || plan.request.privacy == Privacy::airgap,
                                plan.request.keeps_data_local()};
    const std::string& id = chosen.settings.engine_id;
    using Writer = DeploymentConfig (*)(const ConfigContext&);
    static const std::map<std::string, Writer> writers = {
        {"llama.cpp", write_llama_cpp_config},
        {"ollama", write_ollama_config},
        {"vllm", write_vllm_config},
        {"mlx-lm", write_mlx_config},
        {"tensorrt-llm", write_tensorrt_llm_config},
        {"onnxruntime-genai", write_onnx_genai_config},
        {"lm-studio", write_lm_studio_config},
        {"llamafile", write_llamafile_config},
        {"coreml", write_coreml_config},
        {"qualcomm-genie", write_genie_config},
        {"executorch", write_executorch_config},
        {"whisper.cpp", write_whisper_cpp_config},
        {"sherpa-onnx", write_sherpa_onnx_config},
    };
    const auto writer = writers.find(id);
    DeploymentConfig config =
        writer != writers.end() ? writer->second(context) : write_generic_config(context);
    add_shared_notes(context, config);
    return config;
}

} // namespace edgeplan
