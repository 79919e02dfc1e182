// Every flag the deployment writers emit is one the catalogue lists for that engine
// version's tool, and offline plans download nothing at start.

#include "report_plan_fixtures.hpp"

#include <edgeplan/report/config_files.hpp>

#include <nlohmann/json.hpp>

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

bool listed(const Engine& engine, const std::string& tool, const std::string& word) {
    const auto it = engine.flags.find(tool);
    const std::string flag = word.substr(0, word.find('=')); // "--name=value" (sherpa-onnx)
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

/// The catalogue tool a command line runs: the longest `flags` key the line starts with
/// (after `exec` and `python3 -m`), with the rest of the line; "" when none matches.
std::pair<std::string, std::string> tool_of(const Engine& engine, std::string line) {
    for (const char* prefix : {"exec ", "python3 -m ", "python -m "}) {
        if (line.rfind(prefix, 0) == 0) {
            line = line.substr(std::string(prefix).size());
        }
    }
    const auto longest_tool = [&engine](const std::string& text) {
        std::string best;
        for (const auto& [tool, flags] : engine.flags) {
            const bool starts = text.rfind(tool, 0) == 0 &&
                                (text.size() == tool.size() || text[tool.size()] == ' ');
            if (starts && tool.size() > best.size()) {
                best = tool;
            }
        }
        return best;
    };
    std::string best = longest_tool(line);
    // A module run with -m may be listed by its last name: "a.b.export_llm" -> "export_llm".
    const auto space = line.find(' ');
    const auto dot = line.rfind('.', space);
    if (best.empty() && dot != std::string::npos) {
        line = line.substr(dot + 1);
        best = longest_tool(line);
    }
    return {best, best.empty() ? line : line.substr(best.size())};
}

/// Flags in `rest` that `tool` does not list.
void check_flags(const Engine& engine, const std::string& tool, const std::string& rest,
                 std::vector<std::string>& bad) {
    for (const auto& word : words(rest)) {
        const bool flag = word.size() > 1 && word[0] == '-' &&
                          !std::isdigit(static_cast<unsigned char>(word[1]));
        if (flag && !listed(engine, tool, word)) {
            bad.push_back(word);
        }
    }
}

/// Dotted paths of every key in the restricted YAML the writers emit ("a:\n  b: 1" -> a.b);
/// list items and comments are skipped.
std::vector<std::string> yaml_keys(const std::string& content) {
    std::vector<std::string> keys;
    std::vector<std::pair<std::size_t, std::string>> stack; // indent, key
    std::istringstream in(content);
    std::string line;
    while (std::getline(in, line)) {
        const auto indent = line.find_first_not_of(' ');
        if (indent == std::string::npos || line[indent] == '#' || line[indent] == '-') {
            continue;
        }
        const auto colon = line.find(':', indent);
        REQUIRE(colon != std::string::npos);
        while (!stack.empty() && stack.back().first >= indent) {
            stack.pop_back();
        }
        std::string path;
        for (const auto& [i, key] : stack) {
            path += key + ".";
        }
        path += line.substr(indent, colon - indent);
        const std::string value = line.substr(colon + 1);
        if (value.find_first_not_of(' ') == std::string::npos) {
            stack.emplace_back(indent, line.substr(indent, colon - indent));
        } else {
            keys.push_back(path);
        }
    }
    return keys;
}

/// Dotted paths of a JSON document's leaves (arrays count as leaves; "_comment" skipped).
void json_keys(const nlohmann::json& node, const std::string& path,
               std::vector<std::string>& keys) {
    if (!node.is_object()) {
        keys.push_back(path);
        return;
    }
    for (const auto& [key, value] : node.items()) {
        if (key != "_comment") {
            json_keys(value, path.empty() ? key : path + "." + key, keys);
        }
    }
}

/// systemd directives the writers may use (systemd.unit(5), systemd.service(5),
/// systemd.exec(5)); anything else is a typo systemd would only warn about.
bool systemd_directive(const std::string& name) {
    static const std::vector<std::string> known = {
        "Description", "After", "Wants", "WorkingDirectory", "CacheDirectory", "Environment",
        "ExecStart", "Restart", "RestartSec", "DynamicUser", "NoNewPrivileges", "ProtectSystem",
        "ProtectHome", "PrivateTmp", "ProtectKernelTunables", "ProtectKernelModules",
        "ProtectControlGroups", "RestrictSUIDSGID", "LockPersonality",
        "RestrictAddressFamilies", "WantedBy"};
    return std::find(known.begin(), known.end(), name) != known.end();
}

/// Every flag, key, variable or directive in `file` that the catalogue does not list: empty
/// when the file is valid for `engine`. `checked` counts the lines matched to a tool.
std::vector<std::string> unlisted_flags(const Engine& engine, const ConfigFile& file,
                                        int* checked = nullptr) {
    std::vector<std::string> bad;
    int matched = 0;
    if (file.language == "yaml") {
        for (const auto& key : yaml_keys(file.content)) {
            ++matched;
            if (!listed(engine, file.tool, key)) {
                bad.push_back(key);
            }
        }
    } else if (file.language == "json") {
        std::vector<std::string> keys;
        json_keys(nlohmann::json::parse(file.content), "", keys);
        for (const auto& key : keys) {
            ++matched;
            if (!listed(engine, file.tool, key)) {
                bad.push_back(key);
            }
        }
    }
    for (const auto& line : logical_lines(file.content)) {
        auto w = words(line);
        if (file.language == "modelfile") {
            ++matched;
            if (!listed(engine, file.tool, w.at(0))) {
                bad.push_back(w.at(0));
            }
            if (w.at(0) == "PARAMETER" && !listed(engine, file.tool + " PARAMETER", w.at(1))) {
                bad.push_back("PARAMETER " + w.at(1));
            }
        } else if (file.language == "systemd") {
            if (line[0] == '[') {
                continue;
            }
            const std::string name = line.substr(0, line.find('='));
            const std::string value = line.substr(line.find('=') + 1);
            if (!systemd_directive(name)) {
                bad.push_back(name);
            } else if (name == "Environment") {
                std::string assignment = value;
                assignment.erase(std::remove(assignment.begin(), assignment.end(), '"'),
                                 assignment.end());
                ++matched;
                if (!known_variable(engine, assignment.substr(0, assignment.find('=')))) {
                    bad.push_back(assignment.substr(0, assignment.find('=')));
                }
            } else if (name == "ExecStart") {
                ++matched;
                const auto [tool, rest] = tool_of(engine, value);
                check_flags(engine, tool.empty() ? file.tool : tool, rest, bad);
            }
        } else if (file.language == "sh") {
            if (w[0] == "export") {
                ++matched;
                const std::string name = w.at(1).substr(0, w.at(1).find('='));
                if (!known_variable(engine, name)) {
                    bad.push_back(name);
                }
                continue;
            }
            const auto [tool, rest] = tool_of(engine, line);
            if (!tool.empty()) {
                ++matched;
                check_flags(engine, tool, rest, bad);
            } else if (!file.tool.empty() && words(rest).at(0) == file.tool) {
                bad.push_back(file.tool); // the file's own tool must be in the catalogue
            }
        }
    }
    if (checked != nullptr) {
        *checked = matched;
    }
    return bad;
}

/// A plan for `engine` built from one of the fixtures (the writers read only the settings).
Plan with_engine(Plan plan, const std::string& engine) {
    plan.chosen->engine_id = engine;
    plan.chosen->settings.engine_id = engine;
    return plan;
}

/// Every engine writer on an online and an offline plan.
std::vector<std::pair<std::string, Plan>> engine_plans() {
    std::vector<std::pair<std::string, Plan>> plans = all_plans();
    for (const char* engine : {"tensorrt-llm", "onnxruntime-genai", "lm-studio", "llamafile",
                               "coreml", "qualcomm-genie", "executorch"}) {
        plans.emplace_back(std::string(engine) + " online", with_engine(gpu_llama_plan(), engine));
        plans.emplace_back(std::string(engine) + " offline", with_engine(cpu_plan(), engine));
    }
    return plans;
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
    for (const auto& [name, plan] : engine_plans()) {
        const DeploymentConfig config = deployment_config(plan, catalog());
        if (!plan.chosen) {
            CHECK(config.files.empty());
            continue;
        }
        const Engine* engine = catalog().find_engine(config.engine_id);
        REQUIRE(engine != nullptr);
        for (const auto& file : config.files) {
            INFO(name << ": " << file.name << "\n" << file.content);
            int checked = 0;
            CHECK(unlisted_flags(*engine, file, &checked).empty());
            if (!file.tool.empty()) {
                // A file naming a tool must hold at least one line the check matched to it.
                CHECK(checked > 0);
                ++checked_files;
            }
        }
    }
    CHECK(checked_files >= 40);
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
    const Engine* vllm = catalog().find_engine("vllm");
    const Engine* genie = catalog().find_engine("qualcomm-genie");
    REQUIRE(vllm != nullptr);
    REQUIRE(genie != nullptr);
    CHECK(unlisted_flags(*vllm, {"c.yaml", "yaml", "vllm serve --config (YAML)",
                                 "max-model-len: 8\nmax_model_len: 8\n"}) ==
          std::vector<std::string>{"max_model_len"});
    CHECK(unlisted_flags(*genie, {"g.json", "json", "genie dialog config (JSON)",
                                  R"({"dialog": {"context": {"size": 1, "sise": 2}}})"}) ==
          std::vector<std::string>{"dialog.context.sise"});
    CHECK(unlisted_flags(*llama, {"u.service", "systemd", "llama-server",
                                  "[Service]\nExecStart=llama-server -m a \\\n  --mlock\n"
                                  "Restart=on-failure\nRestartAlways=yes\n"}) ==
          std::vector<std::string>{"--mlock", "RestartAlways"});
}

TEST_CASE("config flags: an offline or airgapped plan downloads nothing at start",
          "[report][config]") {
    int offline_plans = 0;
    for (const auto& [name, plan] : engine_plans()) {
        if (!plan.chosen || !(plan.request.offline || plan.request.privacy == Privacy::airgap)) {
            continue;
        }
        ++offline_plans;
        const DeploymentConfig config = deployment_config(plan, catalog());
        INFO(name << "\n" << all_text(config));
        CHECK_FALSE(downloads(all_text(config)));
        std::string start;
        for (const auto& line : config.start) {
            start += line + "\n";
        }
        CHECK_FALSE(downloads(start));
        CHECK_FALSE(config.fetch.empty()); // README lists what to copy in beforehand
    }
    CHECK(offline_plans >= 10);
    const DeploymentConfig cpu = deployment_config(cpu_plan(), catalog());
    CHECK(cpu.files.at(0).content.find("-m models/Llama-3.2-3B-Instruct-Q4_K_M.gguf") !=
          std::string::npos);
    CHECK(cpu.files.at(0).content.find("--offline") != std::string::npos);
    // The same model online fetches through llama-server: the check above can tell them apart.
    CHECK(downloads(all_text(deployment_config(gpu_llama_plan(), catalog()))));
}

TEST_CASE("config: telemetry switches are set where the engine has one", "[report][config]") {
    const auto vllm = deployment_config(vllm_plan(), catalog()); // airgap
    for (const auto& file : vllm.files) {
        if (file.language == "sh") {
            INFO(file.name);
            CHECK(file.content.find("export VLLM_NO_USAGE_STATS=1") != std::string::npos);
        }
    }
    const auto ollama = deployment_config(ollama_plan(), catalog()); // offline + strict
    CHECK(ollama.files.at(1).content.find("export OLLAMA_NO_CLOUD=1") != std::string::npos);
    CHECK(ollama.files.at(2).content.find("Environment=\"OLLAMA_NO_CLOUD=1\"") !=
          std::string::npos);
}

TEST_CASE("config: LoRA adapters load at start and the files say how to hot-swap them",
          "[report][config]") {
    const auto llama = deployment_config(gpu_llama_plan(), catalog());
    CHECK(llama.files.at(0).content.find("--lora adapters/support-v2.gguf") != std::string::npos);
    CHECK(llama.files.at(1).content.find("--lora adapters/support-v2.gguf") != std::string::npos);
    CHECK(all_text(llama).find("/lora-adapters") != std::string::npos);

    Plan plan = vllm_plan();
    plan.chosen->settings.lora_adapters = {"adapters/sql", "adapters/support"};
    const auto vllm = deployment_config(plan, catalog());
    const std::string text = all_text(vllm);
    for (const char* expected :
         {"export VLLM_ALLOW_RUNTIME_LORA_UPDATING=True", "--enable-lora", "--max-loras 2",
          "--lora-modules adapter1=adapters/sql", "--lora-modules adapter2=adapters/support",
          "/v1/load_lora_adapter", "/v1/unload_lora_adapter", "enable-lora: true",
          "  - \"adapter2=adapters/support\""}) {
        INFO(expected);
        CHECK(text.find(expected) != std::string::npos);
    }
}

TEST_CASE("config: every engine's files carry the plan's numbers and an explicit port",
          "[report][config]") {
    const auto text_of = [](const std::string& engine) {
        return all_text(deployment_config(with_engine(gpu_llama_plan(), engine), catalog()));
    };
    // gpu_llama_plan: context 8192 per slot, 2 slots, 33/33 layers, q8_0 KV, port 8080.
    const std::vector<std::pair<std::string, std::vector<std::string>>> expected = {
        {"tensorrt-llm",
         {"--max_seq_len 8192", "--max_batch_size 2", "--max_num_tokens 2048",
          "--config trtllm-config.yaml", "--port 8080", "free_gpu_memory_fraction: 0.90"}},
        {"lm-studio",
         {"lms server start \\\n  --port 8080", "--context-length 8192", "--gpu max",
          "--identifier edgeplan-llama-3.1-8b-instruct", "lms unload", "lms server stop"}},
        {"llamafile",
         {"llamafile --server", "-c 16384", "-np 2", "-ngl 33", "-ctk q8_0", "-fa on",
          "--port 8080"}},
        {"onnxruntime-genai",
         {"\"max_length\": 8192", "\"cuda\": {}", "MAX_LENGTH = 8192", "-e cuda"}},
        {"qualcomm-genie", {"\"size\": 8192", "-p 8080", "genie-t2t-run"}},
        {"executorch",
         {"max_context_length: 8192", "max_seq_length: 2048", "model_class: llama3_1",
          "xnnpack:\n    enabled: true", "--seq_len"}},
        {"coreml", {"max_context_length: 8192", "ios: 18", "enable_state: true"}},
    };
    for (const auto& [engine, needles] : expected) {
        const std::string text = text_of(engine);
        for (const auto& needle : needles) {
            INFO(engine << ": " << needle << "\n" << text);
            CHECK(text.find(needle) != std::string::npos);
        }
    }
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

TEST_CASE("config: every engine's files parse (sh -n, py_compile, YAML, JSON)",
          "[report][config]") {
    if (std::system("/usr/bin/python3 -c 'import yaml' >/dev/null 2>&1") != 0) {
        WARN("SKIPPED: /usr/bin/python3 with the yaml module (python3-yaml) not found");
        return;
    }
    const std::string dir = "report_config_syntax_check";
    std::system(("rm -rf " + dir + " && mkdir " + dir).c_str());
    int files = 0;
    for (const auto& [name, plan] : engine_plans()) {
        if (!plan.chosen) {
            continue;
        }
        const DeploymentConfig config = deployment_config(plan, catalog());
        for (const auto& file : config.files) {
            const std::string path = dir + "/" + std::to_string(files++) + "-" + file.name;
            std::ofstream(path) << file.content;
            std::string command;
            if (file.language == "sh") {
                command = "sh -n " + path;
            } else if (file.language == "python") {
                command = "/usr/bin/python3 -m py_compile " + path;
            } else if (file.language == "yaml") {
                command = "/usr/bin/python3 -c 'import sys, yaml; yaml.safe_load(open(sys.argv[1]))' " + path;
            } else if (file.language == "json") {
                command = "/usr/bin/python3 -c 'import sys, json; json.load(open(sys.argv[1]))' " + path;
            } else {
                continue;
            }
            INFO(name << ": " << file.name << "\n" << file.content);
            CHECK(std::system((command + " 2>&1").c_str()) == 0);
        }
    }
    CHECK(files >= 50);
    std::system(("rm -rf " + dir).c_str());
}

TEST_CASE("config: every deployment says how to start, stop and check it, in README.md",
          "[report][config]") {
    for (const auto& [name, plan] : engine_plans()) {
        if (!plan.chosen) {
            continue;
        }
        const DeploymentConfig config = deployment_config(plan, catalog());
        INFO(name);
        CHECK_FALSE(config.start.empty());
        CHECK_FALSE(config.stop.empty());
        CHECK_FALSE(config.check.empty());
        const ConfigFile readme = deployment_readme(plan, config, catalog());
        CHECK(readme.name == "README.md");
        CHECK_FALSE(readme.executable());
        for (const auto& line : config.start) {
            CHECK(readme.content.find(line) != std::string::npos);
        }
        for (const auto& item : config.fetch) {
            CHECK(readme.content.find("`" + item.destination + "`") != std::string::npos);
        }
        if (config.port != 0) {
            CHECK(readme.content.find(":" + std::to_string(config.port) + "**") !=
                  std::string::npos);
        }
    }
}

TEST_CASE("config: README.md prints a checksum the catalogue knows, and says when it does not",
          "[report][config]") {
    const Plan plan = cpu_plan();
    DeploymentConfig config = deployment_config(plan, catalog());
    REQUIRE_FALSE(config.fetch.empty());
    CHECK(deployment_readme(plan, config, catalog()).content.find("not in the catalogue") !=
          std::string::npos);
    config.fetch.front().sha256 = std::string(64, 'a');
    CHECK(deployment_readme(plan, config, catalog()).content.find("`" + std::string(64, 'a') +
                                                                  "`") != std::string::npos);
}
