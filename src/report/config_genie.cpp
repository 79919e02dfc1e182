// Qualcomm Genie (QNN): models arrive as compiled QNN context binaries with a Genie dialog
// config written for them (Qualcomm AI Hub exports). edgeplan writes the plan's settings as
// an overrides file merged into that config, then runs genie-t2t-run (one prompt) or
// GenieAPIService (an OpenAI-compatible server on an explicit port). Keys: the dialog JSON of
// the Genie docs (80-63442-100), as listed in the catalogue.

#include "config_writers.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace edgeplan::report_detail {

DeploymentConfig write_genie_config(const ConfigContext& context) {
    const auto& s = context.settings;
    DeploymentConfig config{s.engine_id, s.host, s.port, {}, {}, {}, {}, {}, {}};
    const std::string folder = "models/" + context.chosen.model_id + "-genie";
    const std::string genie_config = folder + "/genie_config.json";

    nlohmann::ordered_json overrides;
    overrides["_comment"] = fmt::format("Plan settings for {} {}, written by edgeplan; merged "
                                        "into {} by genie-configure.sh.",
                                        context.chosen.model_id, s.quantization, genie_config);
    overrides["dialog"]["context"]["size"] = s.context_tokens;
    if (s.threads > 0) {
        overrides["dialog"]["engine"]["n-threads"] = s.threads;
    }
    overrides["dialog"]["engine"]["backend"]["type"] = "QnnHtp";
    overrides["dialog"]["engine"]["backend"]["QnnHtp"]["use-mmap"] = s.mmap;
    config.files.push_back(
        {"genie_config.overrides.json", "json", "genie dialog config (JSON)", overrides.dump(2) + "\n"});
    config.files.push_back(json_overrides_script());

    std::string configure = shell_header(
        {"Writes the plan's settings into the model's Genie config (keeps a .orig copy)."});
    configure += "set -e\nexec python3 apply_overrides.py genie_config.overrides.json " +
                 genie_config + "\n";
    config.files.push_back({"genie-configure.sh", "sh", "", configure});

    ShellCommand once("genie-t2t-run");
    once.option("-c", genie_config);
    once.option("-p", "Say hello in one sentence.");
    config.files.push_back(
        {"genie-t2t-run.sh", "sh", "genie-t2t-run",
         shell_header({"One prompt through Genie on the NPU (written by edgeplan)."}) +
             once.render()});

    ShellCommand serve("GenieAPIService");
    serve.option("-c", genie_config);
    serve.option("-p", s.port);
    config.files.push_back(
        {"genie-serve.sh", "sh", "GenieAPIService",
         shell_header({fmt::format("GenieAPIService: OpenAI-compatible API on port {} (written "
                                   "by edgeplan).",
                                   s.port)}) +
             serve.render()});

    config.fetch.push_back({"the QNN context binaries, tokenizer.json and genie_config.json of " +
                                context.chosen.model_id + " compiled for this SoC (a Qualcomm AI "
                                                          "Hub export)",
                            folder + "/", std::nullopt});
    config.start.push_back("./genie-configure.sh   # once, after copying the model in");
    add_script_lifecycle(config, "genie-serve.sh", "/v1/models");
    config.check.push_back("./genie-t2t-run.sh   # one answer without the server");
    config.notes.push_back("QNN context binaries are compiled for one context length: a "
                           "dialog.context.size above the compiled one fails at load, so export "
                           "the model for the plan's " +
                           std::to_string(s.context_tokens) + " tokens.");
    config.notes.push_back("On Windows on Snapdragon the programs are genie-t2t-run.exe and "
                           "GenieAPIService.exe, with the same arguments.");
    return config;
}

} // namespace edgeplan::report_detail
