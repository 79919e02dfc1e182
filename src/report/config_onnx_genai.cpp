// ONNX Runtime GenAI: the model builder converts the checkpoint to ONNX and writes
// genai_config.json; edgeplan merges the plan's settings into it (search.max_length, the
// shared KV buffer, the execution provider) and writes a Python script that runs the model
// with the same settings (onnxruntime_genai Config/Model/Generator API). A library, no port.

#include "config_writers.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace edgeplan::report_detail {

namespace {

/// The genai_config.json provider name for the plan's backend; "" for the CPU.
std::string execution_provider(const std::string& backend) {
    if (backend == "cuda") {
        return "cuda";
    }
    if (backend == "dml" || backend == "directml") {
        return "dml";
    }
    if (backend == "webgpu") {
        return "webgpu";
    }
    if (backend == "qnn" || backend == "npu-hexagon" || backend == "npu-qualcomm") {
        return "qnn";
    }
    if (backend == "vitisai" || backend == "npu-amd") {
        return "VitisAI";
    }
    if (backend == "openvino" || backend == "npu-intel") {
        return "OpenVINO";
    }
    return "";
}

std::string python_script(const ConfigContext& context, const std::string& folder,
                          const std::string& provider) {
    const auto& s = context.settings;
    std::string py = "#!/usr/bin/env python3\n\"\"\"Runs " + context.chosen.model_id + " " +
                     s.quantization +
                     " with ONNX Runtime GenAI using the plan's settings (written by edgeplan).\"\"\"\n";
    py += "import onnxruntime_genai as og\n\n";
    py += fmt::format("MODEL_DIR = \"{}\"\nMAX_LENGTH = {}\nPROVIDER = \"{}\"\n\n\n", folder,
                      s.context_tokens, provider);
    py += "def main():\n"
          "    config = og.Config(MODEL_DIR)\n"
          "    config.clear_providers()\n"
          "    if PROVIDER:\n"
          "        config.append_provider(PROVIDER)\n"
          "    model = og.Model(config)\n"
          "    tokenizer = og.Tokenizer(model)\n"
          "    stream = tokenizer.create_stream()\n"
          "    params = og.GeneratorParams(model)\n"
          "    params.set_search_options(max_length=MAX_LENGTH)\n"
          "    generator = og.Generator(model, params)\n"
          "    generator.append_tokens(tokenizer.encode(\"Say hello in one sentence.\"))\n"
          "    while not generator.is_done():\n"
          "        generator.generate_next_token()\n"
          "        print(stream.decode(generator.get_next_tokens()[0]), end=\"\", flush=True)\n"
          "    print()\n\n\n"
          "if __name__ == \"__main__\":\n    main()\n";
    return py;
}

} // namespace

DeploymentConfig write_onnx_genai_config(const ConfigContext& context) {
    const auto& s = context.settings;
    DeploymentConfig config{s.engine_id, s.host, 0, {}, {}, {}, {}, {}, {}};
    const std::string folder = "models/" + context.chosen.model_id + "-onnx";
    const std::string provider = execution_provider(s.backend);

    nlohmann::ordered_json overrides;
    overrides["_comment"] = fmt::format("Plan settings for {} {}, written by edgeplan; merged "
                                        "into {}/genai_config.json by convert.sh.",
                                        context.chosen.model_id, s.quantization, folder);
    overrides["model"]["decoder"]["session_options"]["provider_options"] =
        provider.empty() ? nlohmann::ordered_json::array()
                         : nlohmann::ordered_json::array({{{provider, nlohmann::ordered_json::object()}}});
    overrides["search"]["max_length"] = s.context_tokens;
    // One buffer for past and present KV: the cache is allocated once at max_length.
    overrides["search"]["past_present_share_buffer"] = true;
    config.files.push_back(
        {"genai_config.overrides.json", "json", "genai_config.json", overrides.dump(2) + "\n"});
    config.files.push_back(json_overrides_script());

    // The model builder's -e: cpu, cuda and dml are the verified targets.
    const std::string target = provider == "cuda" || provider == "dml" ? provider : "cpu";
    const std::string source = context.no_download || !s.artifact_repository
                                   ? local_model_path(s, context.chosen.model_id)
                                   : *s.artifact_repository;
    ShellCommand build("python3 -m onnxruntime_genai.models.builder");
    build.option("-m", source);
    build.option("-p", "int4");
    build.option("-e", target);
    build.option("-o", folder);
    std::string convert = shell_header(
        {fmt::format("Converts {} to ONNX (int4, {}) and applies the plan's settings.",
                     context.chosen.model_id, target),
         "Runs once, on a machine with the onnxruntime-genai Python package."});
    convert += "set -e\n";
    if (context.no_download) {
        convert += "export HF_HUB_OFFLINE=1\n";
        add_weights_fetch(context, config, source);
    }
    convert += build.render_command();
    convert += "python3 apply_overrides.py genai_config.overrides.json " + folder +
               "/genai_config.json\n";
    config.files.push_back({"convert.sh", "sh", "onnxruntime_genai.models.builder", convert});
    config.files.push_back(
        {"run_onnx_genai.py", "python", "", python_script(context, folder, provider)});

    config.start.push_back("./convert.sh   # once");
    config.start.push_back("./run_onnx_genai.py");
    config.stop.push_back("# The script exits after one answer; an app releases the og.Model.");
    config.check.push_back("./run_onnx_genai.py   # prints one answer");
    if (provider != target && !provider.empty()) {
        config.notes.push_back("The model builder targets cpu here; the " + provider +
                               " execution provider runs it (NPU builds often come pre-converted "
                               "from the vendor: use those when they exist).");
    }
    config.notes.push_back("ONNX Runtime GenAI sizes its KV cache itself; the plan's KV type " +
                           s.kv_cache_type + " is not a setting it exposes.");
    return config;
}

} // namespace edgeplan::report_detail
