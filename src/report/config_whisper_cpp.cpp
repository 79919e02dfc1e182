// whisper.cpp: a whisper-server start script with the plan's model file, threads, port and
// GPU / flash-attention settings. Every flag is in the catalogue's whisper-server list
// (examples/server/server.cpp at 0349811d); the flags test checks the script against it.

#include "config_writers.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace edgeplan::report_detail {

DeploymentConfig write_whisper_cpp_config(const ConfigContext& context) {
    const auto& s = context.settings;
    DeploymentConfig config{s.engine_id, s.host, s.port, {}, {}, {}, {}, {}, {}};
    const std::string model = "models/" + s.artifact_file.value_or(context.chosen.model_id + ".bin");
    const bool gpu = s.backend != "cpu";

    ShellCommand server("whisper-server");
    server.option("--model", model);
    server.option("--host", s.host);
    server.option("--port", s.port);
    if (s.threads > 0) {
        server.option("--threads", s.threads);
    }
    server.option("--processors", std::max(1, s.parallel_slots));
    // Both are whisper-server's defaults at the checked version; written out so a later
    // default change cannot silently move the plan's memory and speed.
    server.flag(s.flash_attention ? "--flash-attn" : "--no-flash-attn");
    if (!gpu) {
        server.flag("--no-gpu"); // the plan placed the model in system RAM
    }
    std::string content = shell_header(
        {fmt::format("whisper-server for {} {} ({}), written by edgeplan.", context.chosen.model_id,
                     s.quantization, gpu ? s.backend + " GPU" : "CPU"),
         "POST audio to http://" + s.host + ":" + std::to_string(s.port) + "/inference"});
    content += server.render();
    config.files.push_back({"run-whisper-server.sh", "sh", "whisper-server", content});

    config.fetch.push_back({"`" + s.artifact_repository.value_or("ggerganov/whisper.cpp") +
                                "` file `" + s.artifact_file.value_or(model) + "`",
                            model, std::nullopt});
    config.notes.push_back("whisper-server downloads nothing itself: copy `" + model +
                           "` here first (whisper.cpp's models/download-ggml-model.sh fetches "
                           "the same file on a connected machine).");
    config.start.push_back("./run-whisper-server.sh");
    config.stop.push_back("# Ctrl-C or SIGTERM: whisper-server shuts down gracefully");
    config.check.push_back(fmt::format("curl -sf http://{}:{}/inference -F file=@sample.wav "
                                       "-F response_format=json",
                                       s.host == "0.0.0.0" ? "127.0.0.1" : s.host, s.port));
    if (gpu) {
        config.notes.push_back("whisper-server uses the GPU only when whisper.cpp was built with "
                               "that backend (" + s.backend + "); a CPU-only build runs the "
                               "same script far slower.");
    }
    config.notes.push_back("whisper-server transcribes one request at a time; --processors "
                           "splits one file across states (each one a full copy of the caches "
                           "and compute buffers).");
    return config;
}

} // namespace edgeplan::report_detail
