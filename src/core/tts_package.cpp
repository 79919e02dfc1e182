// sherpa-onnx text-to-speech package layouts (see the header for the sources).
#include <edgeplan/core/tts_package.hpp>

namespace edgeplan {

std::string sherpa_tts_package_dir(const std::string& archive) {
    const std::string suffix = ".tar.bz2";
    std::string name = archive;
    if (name.size() > suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
        name.resize(name.size() - suffix.size());
    }
    return "models/" + name;
}

std::vector<std::pair<std::string, std::string>> sherpa_tts_model_flags(const std::string& family,
                                                                        const std::string& dir) {
    if (family == "kokoro") {
        // Kokoro >= 1.0 needs a lexicon or --kokoro-lang; the lexicon works on every release.
        return {{"--kokoro-model", dir + "/model.onnx"},
                {"--kokoro-voices", dir + "/voices.bin"},
                {"--kokoro-tokens", dir + "/tokens.txt"},
                {"--kokoro-lexicon", dir + "/lexicon-us-en.txt"},
                {"--kokoro-data-dir", dir + "/espeak-ng-data"}};
    }
    // "models/vits-piper-en_US-lessac-medium" holds en_US-lessac-medium.onnx.
    std::string voice = dir.substr(dir.find_last_of('/') + 1);
    const std::string prefix = "vits-piper-";
    if (voice.rfind(prefix, 0) == 0) {
        voice = voice.substr(prefix.size());
    }
    return {{"--vits-model", dir + "/" + voice + ".onnx"},
            {"--vits-tokens", dir + "/tokens.txt"},
            {"--vits-data-dir", dir + "/espeak-ng-data"}};
}

} // namespace edgeplan
