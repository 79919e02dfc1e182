// Helpers the engine writers share beyond the shell-line builder: quoting for YAML/JSON,
// the start/stop/check lines of a server script, the fetch-beforehand list, the JSON
// overrides merger for engines whose converter writes the full config, and the systemd
// hardening block.

#include "config_writers.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace edgeplan::report_detail {

std::string quoted(const std::string& value) {
    return nlohmann::json(value).dump();
}

void add_script_lifecycle(DeploymentConfig& config, const std::string& script,
                          const std::string& check_path) {
    const std::string stem = script.substr(0, script.rfind('.'));
    // The scripts `exec` the server, so the background job's pid is the server's.
    config.start.push_back(fmt::format("./{} > {}.log 2>&1 & echo $! > {}.pid", script, stem,
                                       stem));
    config.stop.push_back(fmt::format("kill \"$(cat {}.pid)\" && rm {}.pid", stem, stem));
    if (config.port != 0) {
        const bool everywhere = config.host == "0.0.0.0" || config.host == "::";
        config.check.push_back(fmt::format("curl -sf {}:{}{}",
                                           everywhere ? "127.0.0.1" : config.host, config.port,
                                           check_path));
    }
}

void add_weights_fetch(const ConfigContext& context, DeploymentConfig& config,
                       const std::string& destination) {
    const auto& s = context.settings;
    std::string what = "the weights of " + context.chosen.model_id + " " + s.quantization;
    if (s.artifact_repository) {
        what = "`" + *s.artifact_repository + "`" +
               (s.artifact_file                ? " file `" + *s.artifact_file + "`"
                : s.weights_format == "gguf" ? " (its " + s.quantization + " GGUF file)"
                                             : std::string());
    }
    const std::string to =
        destination.empty() ? local_model_path(s, context.chosen.model_id) : destination;
    // The catalogue records no artifact checksums yet: README says where to read them.
    config.fetch.push_back({what, to, std::nullopt});
    config.notes.push_back("Offline plan: fetch " + what +
                           " beforehand on a connected machine and copy it to `" + to +
                           "` beside these files; the start path downloads nothing.");
}

ConfigFile json_overrides_script() {
    std::string py =
        "#!/usr/bin/env python3\n\"\"\"Merges a JSON overrides file into a JSON config (written by edgeplan).\n\n"
        "Usage: python3 apply_overrides.py OVERRIDES.json CONFIG.json\n"
        "Objects merge key by key; any other value replaces the one in CONFIG.json. The\n"
        "original is kept as CONFIG.json.orig the first time.\n\"\"\"\n"
        "import json\nimport os\nimport shutil\nimport sys\n\n\n"
        "def merge(base, overrides):\n"
        "    for key, value in overrides.items():\n"
        "        if isinstance(value, dict) and isinstance(base.get(key), dict):\n"
        "            merge(base[key], value)\n"
        "        else:\n"
        "            base[key] = value\n"
        "    return base\n\n\n"
        "def main():\n"
        "    overrides_path, config_path = sys.argv[1], sys.argv[2]\n"
        "    with open(overrides_path, encoding=\"utf-8\") as f:\n"
        "        overrides = json.load(f)\n"
        "    with open(config_path, encoding=\"utf-8\") as f:\n"
        "        config = json.load(f)\n"
        "    if not os.path.exists(config_path + \".orig\"):\n"
        "        shutil.copyfile(config_path, config_path + \".orig\")\n"
        "    overrides.pop(\"_comment\", None)\n"
        "    with open(config_path, \"w\", encoding=\"utf-8\") as f:\n"
        "        json.dump(merge(config, overrides), f, indent=2)\n"
        "        f.write(\"\\n\")\n\n\n"
        "if __name__ == \"__main__\":\n    main()\n";
    return {"apply_overrides.py", "python", "", py};
}

std::string systemd_hardening() {
    // systemd.exec(5) sandboxing: the server needs its model folder (read-only) and the
    // GPU device nodes, nothing else; DynamicUser gives it a throwaway unprivileged user.
    return "DynamicUser=yes\n"
           "NoNewPrivileges=yes\n"
           "ProtectSystem=strict\n"
           "ProtectHome=read-only\n"
           "PrivateTmp=yes\n"
           "ProtectKernelTunables=yes\n"
           "ProtectKernelModules=yes\n"
           "ProtectControlGroups=yes\n"
           "RestrictSUIDSGID=yes\n"
           "LockPersonality=yes\n"
           "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6\n";
}

} // namespace edgeplan::report_detail
