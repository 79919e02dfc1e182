// Every flag the deployment writers emit is one the catalogue lists for that engine
// version's tool, and offline plans download nothing at start.

#include "report_plan_fixtures.hpp"

#include <edgeplan/report/config_files.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

using namespace edgeplan;
using namespace report_fixtures;

namespace {

std::vector<std::string> words(const std::string& line) {
    std::istringstream in(line);
    std::vector<std::string> out;
    std::string w;
    while (in >> w) {
        out.push_back(w);
    }
    return out;
}

/// Joins backslash-continued lines and drops comments and blank lines.
std::vector<std::string> logical_lines(const std::string& content) {
    std::vector<std::string> out;
    std::istringstream in(content);
    std::string line;
    std::string pending;
    while (std::getline(in, line)) {
        if (pending.empty() && (line.empty() || line[0] == '#')) {
            continue;
        }
        if (!line.empty() && line.back() == '\\') {
            pending += line.substr(0, line.size() - 1) + " ";
            continue;
        }
        out.push_back(pending + line);
        pending.clear();
    }
    return out;
}

bool listed(const Engine& engine, const std::string& tool, const std::string& flag) {
    const auto it = engine.flags.find(tool);
    return it != engine.flags.end() &&
           std::find(it->second.begin(), it->second.end(), flag) != it->second.end();
}

/// Environment variables an engine reads: its "env" tools, its telemetry switch, and
/// huggingface_hub's HF_HUB_OFFLINE (not an engine flag: the library every Python engine loads).
bool known_variable(const Engine& engine, const std::string& name) {
    for (const auto& [tool, flags] : engine.flags) {
        if ((tool == "env" || tool.find("(env)") != std::string::npos) &&
            std::find(flags.begin(), flags.end(), name) != flags.end()) {
            return true;
        }
    }
    if (engine.telemetry_switch && engine.telemetry_switch->rfind(name + "=", 0) == 0) {
        return true;
    }
    return name == "HF_HUB_OFFLINE";
}

/// Every flag, variable or directive in `file` that the catalogue does not list: empty when
/// the file is valid for `engine`.
std::vector<std::string> unlisted_flags(const Engine& engine, const ConfigFile& file) {
    std::vector<std::string> bad;
    for (const auto& line : logical_lines(file.content)) {
        auto w = words(line);
        if (file.language == "modelfile") {
            if (!listed(engine, file.tool, w.at(0))) {
                bad.push_back(w.at(0));
            }
            if (w.at(0) == "PARAMETER" && !listed(engine, file.tool + " PARAMETER", w.at(1))) {
                bad.push_back("PARAMETER " + w.at(1));
            }
            continue;
        }
        if (file.language != "sh") {
            continue;
        }
        std::size_t i = 0;
        if (w[i] == "export") {
            const std::string name = w.at(1).substr(0, w.at(1).find('='));
            if (!known_variable(engine, name)) {
                bad.push_back(name);
            }
            continue;
        }
        if (w[i] == "exec") {
            ++i;
        }
        // Skip the program words: the catalogue's serving command, or the tool's own name.
        std::string rest;
        for (std::size_t k = i; k < w.size(); ++k) {
            rest += (k > i ? " " : "") + w[k];
        }
        for (const std::string& prefix : {engine.serving.command.value_or(""), file.tool}) {
            if (!prefix.empty() && rest.rfind(prefix, 0) == 0) {
                rest = rest.substr(prefix.size());
                break;
            }
        }
        for (const auto& word : words(rest)) {
            const bool flag = word.size() > 1 && word[0] == '-' &&
                              !std::isdigit(static_cast<unsigned char>(word[1]));
            if (flag && (file.tool.empty() || !listed(engine, file.tool, word))) {
                bad.push_back(word);
            }
        }
    }
    return bad;
}

bool downloads(const std::string& text) {
    for (const char* marker : {"http://", "https://", " -hf ", " -hfr ", " -hff ", " -hfd ",
                               "ollama pull", "hf.co/", "huggingface-cli", "hf download"}) {
        if (text.find(marker) != std::string::npos) {
            return true;
        }
    }
    return false;
}

std::string all_text(const DeploymentConfig& config) {
    std::string text;
    for (const auto& f : config.files) {
        text += f.content + "\n";
    }
    for (const auto& n : config.notes) {
        text += n + "\n";
    }
    return text;
}

} // namespace

TEST_CASE("config flags: every emitted flag is in the catalogue for its tool", "[report][config]") {
    std::size_t checked_files = 0;
    for (const auto& [name, plan] : all_plans()) {
        const DeploymentConfig config = deployment_config(plan, catalog());
        if (!plan.chosen) {
            CHECK(config.files.empty());
            continue;
        }
        const Engine* engine = catalog().find_engine(config.engine_id);
        REQUIRE(engine != nullptr);
        for (const auto& file : config.files) {
            INFO(name << ": " << file.name << "\n" << file.content);
            CHECK(unlisted_flags(*engine, file).empty());
            checked_files += file.tool.empty() ? 0 : 1;
        }
    }
    CHECK(checked_files >= 7); // llama.cpp x2, Ollama x3, vLLM, MLX server
}

TEST_CASE("config flags: the checker rejects a flag, variable or PARAMETER the catalogue lacks",
          "[report][config]") {
    const Engine* llama = catalog().find_engine("llama.cpp");
    const Engine* ollama = catalog().find_engine("ollama");
    REQUIRE(llama != nullptr);
    REQUIRE(ollama != nullptr);
    CHECK(unlisted_flags(*llama, {"x.sh", "sh", "llama-server",
                                  "exec llama-server -m a.gguf \\\n  --mlock\n"}) ==
          std::vector<std::string>{"--mlock"});
    CHECK(unlisted_flags(
              *ollama, {"Modelfile", "modelfile", "Modelfile", "FROM x\nPARAMETER num_gpu 99\n"}) ==
          std::vector<std::string>{"PARAMETER num_gpu"});
    CHECK(unlisted_flags(*ollama,
                         {"s.sh", "sh", "ollama serve (env)", "export OLLAMA_GPU_LAYERS=9\n"}) ==
          std::vector<std::string>{"OLLAMA_GPU_LAYERS"});
}

TEST_CASE("config flags: an offline or airgapped plan downloads nothing at start",
          "[report][config]") {
    for (const Plan& plan : {ollama_plan(), vllm_plan(), cpu_plan()}) {
        const DeploymentConfig config = deployment_config(plan, catalog());
        INFO(all_text(config));
        CHECK_FALSE(downloads(all_text(config)));
    }
    const DeploymentConfig cpu = deployment_config(cpu_plan(), catalog());
    CHECK(cpu.files.at(0).content.find("-m models/Llama-3.2-3B-Instruct-Q4_K_M.gguf") !=
          std::string::npos);
    CHECK(cpu.files.at(0).content.find("--offline") != std::string::npos);
    // The same model online fetches through llama-server: the check above can tell them apart.
    CHECK(downloads(all_text(deployment_config(gpu_llama_plan(), catalog()))));
}

TEST_CASE("config: llama-server carries the plan's numbers", "[report][config]") {
    const std::string sh = deployment_config(gpu_llama_plan(), catalog()).files.at(0).content;
    for (const char* arg :
         {"-c 16384", "-np 2", "-ngl 33", "-fa on", "-ctk q8_0", "-ctv q8_0", "-t 8", "-b 2048",
          "-ub 512", "--host 127.0.0.1", "--port 8080", "--spec-draft-n-max 8",
          "--lora adapters/support-v2.gguf", "--alias llama-3.1-8b-instruct"}) {
        INFO(arg);
        CHECK(sh.find(arg) != std::string::npos);
    }
}

TEST_CASE("config: Ollama, vLLM and MLX carry the plan's numbers", "[report][config]") {
    const auto ollama = deployment_config(ollama_plan(), catalog());
    CHECK(ollama.files.at(0).content.find(
              "FROM ./models/Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf\nPARAMETER num_ctx 4096") !=
          std::string::npos);
    for (const char* env :
         {"OLLAMA_NUM_PARALLEL=2", "OLLAMA_FLASH_ATTENTION=1", "OLLAMA_KV_CACHE_TYPE=q8_0",
          "OLLAMA_CONTEXT_LENGTH=4096", "OLLAMA_NO_CLOUD=1"}) {
        CHECK(ollama.files.at(1).content.find(env) != std::string::npos);
    }
    const std::string vllm = deployment_config(vllm_plan(), catalog()).files.at(0).content;
    for (const char* arg :
         {"--max-model-len 16384", "--max-num-seqs 16", "--gpu-memory-utilization 0.90",
          "--kv-cache-dtype fp8", "--enable-prefix-caching", "--quantization awq",
          "--tensor-parallel-size 2", "VLLM_NO_USAGE_STATS=1", "HF_HUB_OFFLINE=1",
          "vllm serve models/Qwen2.5-32B-Instruct-AWQ"}) {
        INFO(arg);
        CHECK(vllm.find(arg) != std::string::npos);
    }
    const auto mlx = deployment_config(mlx_plan(), catalog());
    CHECK(mlx.files.at(0).content.find("--model mlx-community/gemma-4-12B-it-4bit") !=
          std::string::npos);
    CHECK(mlx.files.at(0).content.find("--kv-bits 8") != std::string::npos);
    CHECK(mlx.files.at(0).content.find("--max-kv-size") ==
          std::string::npos); // exclusive with --kv-bits
    CHECK(mlx.files.at(1).content.find("KV_BITS = 8") != std::string::npos);
}

TEST_CASE("config: the MLX script is valid Python", "[report][config]") {
    if (std::system("/usr/bin/python3 -c '' >/dev/null 2>&1") != 0) {
        WARN("SKIPPED: /usr/bin/python3 not found");
        return;
    }
    const auto mlx = deployment_config(mlx_plan(), catalog());
    const std::string path = "report_config_run_mlx_check.py";
    std::ofstream(path) << mlx.files.at(1).content;
    const std::string command =
        "/usr/bin/python3 -c \"import ast,sys; ast.parse(open(sys.argv[1]).read())\" " + path;
    CHECK(std::system(command.c_str()) == 0);
    std::remove(path.c_str());
}
