#pragma once

// Where sherpa-onnx's text-to-speech packages keep their files, shared by the config writer
// (section 4) and the verification steps (section 7) so both name the same paths. Layouts
// from the k2-fsa/sherpa docs (tts/pretrained_models kokoro.rst at 6ba6a85c; the
// sherpa-onnx-offline-tts usage text at 829159a3 for VITS/Piper packages).

#include <string>
#include <utility>
#include <vector>

namespace edgeplan {

/// "models/vits-piper-en_US-lessac-medium" for the release archive
/// "vits-piper-en_US-lessac-medium.tar.bz2" (the directory it unpacks to, under models/).
std::string sherpa_tts_package_dir(const std::string& archive);

/// The model flags of sherpa-onnx-offline-tts for a package: Kokoro (family "kokoro":
/// model.onnx, voices.bin, tokens.txt, lexicon-us-en.txt, espeak-ng-data) or a VITS/Piper
/// voice (<name>.onnx, tokens.txt, espeak-ng-data). Pairs of flag and value.
std::vector<std::pair<std::string, std::string>>
sherpa_tts_model_flags(const std::string& family, const std::string& package_dir);

} // namespace edgeplan
