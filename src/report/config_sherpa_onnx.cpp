// sherpa-onnx (text-to-speech): a speak.sh script around sherpa-onnx-offline-tts with the
// plan's voice package, threads and provider. sherpa-onnx has no text-to-speech server in its
// C++ binaries, so there is no port: each request is one process that writes a WAV file.
// Every flag is in the catalogue's sherpa-onnx-offline-tts list (csrc at 829159a3,
// offline-tts.cc at bab55663, offline-tts-kokoro-model-config.cc at 6856d2cb).

#include "config_writers.hpp"

#include <edgeplan/core/tts_package.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace edgeplan::report_detail {

DeploymentConfig write_sherpa_onnx_config(const ConfigContext& context) {
    const auto& s = context.settings;
    DeploymentConfig config{s.engine_id, s.host, 0, {}, {}, {}, {}, {}, {}};
    const std::string archive = s.artifact_file.value_or(context.chosen.model_id + ".tar.bz2");
    const std::string dir = sherpa_tts_package_dir(archive);
    const Model* model = context.catalog.find_model(context.chosen.model_id);
    const std::string family = model != nullptr ? model->family : std::string();

    ShellCommand tts("sherpa-onnx-offline-tts");
    for (const auto& [flag, value] : sherpa_tts_model_flags(family, dir)) {
        tts.flag(flag + "=" + shell_quote(value)); // sherpa-onnx parses only --name=value
    }
    tts.flag("--num-threads=" + std::to_string(std::max(1, s.threads)));
    tts.flag("--provider=cpu"); // the plan's speed is for ONNX Runtime's CPU provider
    // One sentence per pass (the default, written out): memory stays that of one sentence.
    tts.flag("--tts-max-num-sentences=1");
    std::string command = tts.render();
    command.pop_back(); // continue the command with the caller's text and output file
    command += " \\\n  --output-filename=\"$out\" \\\n  \"$text\"\n";

    std::string content = shell_header(
        {fmt::format("sherpa-onnx text-to-speech for {} {} (CPU, {} threads), written by edgeplan.",
                     context.chosen.model_id, s.quantization, std::max(1, s.threads)),
         "Usage: ./speak.sh \"Text to say.\" [out.wav]  (no server, no port: one process per "
         "request; the real-time factor is printed on stderr)"});
    content += "text=${1:?usage: ./speak.sh \"text\" [out.wav]}\n";
    content += "out=${2:-speech.wav}\n";
    content += command;
    config.files.push_back({"speak.sh", "sh", "sherpa-onnx-offline-tts", content});

    config.fetch.push_back({"`" + s.artifact_repository.value_or("k2-fsa/sherpa-onnx") +
                                "` GitHub release `tts-models`, archive `" + archive +
                                "` (unpack with `tar xf`)",
                            dir, std::nullopt});
    config.notes.push_back("sherpa-onnx-offline-tts downloads nothing: unpack `" + archive +
                           "` into `models/` first (it holds the ONNX voice, tokens.txt and "
                           "espeak-ng-data).");
    config.notes.push_back(
        "Phonemes come from espeak-ng (GPL-3.0), built into sherpa-onnx's TTS binaries and "
        "shipped as espeak-ng-data in the package: check that licence before distributing a "
        "product that bundles them.");
    config.start.push_back("./speak.sh \"Hello from this device.\" hello.wav");
    config.stop.push_back("# nothing runs between requests: each ./speak.sh exits when done");
    config.check.push_back("./speak.sh \"The quick brown fox jumps over the lazy dog.\" check.wav "
                           "2>&1 | grep 'Real-time factor'");
    return config;
}

} // namespace edgeplan::report_detail
