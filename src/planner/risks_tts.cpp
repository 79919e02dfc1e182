// Risks of a text-to-speech plan (sherpa-onnx): the phonemizer's licence, the voice's licence,
// one very long sentence, synthesis sharing the CPU, and a speed projected from another CPU.
// Figures come from the plan (tts_route.cpp) and the catalogue; docs/estimation.md,
// "Text-to-speech on sherpa-onnx".
#include "risks.hpp"

#include "section_text.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace edgeplan::planner_detail {

namespace {

void add_licence_risks(const RiskInputs& in, std::vector<Risk>& out) {
    out.push_back(
        {"R-tts-phonemizer",
         "Phonemizer licence: sherpa-onnx turns text into phonemes with espeak-ng (GPL-3.0), "
         "linked into its text-to-speech binaries and shipped as espeak-ng-data in the voice "
         "package",
         "medium", "medium",
         "Running it on your own device is unaffected; before distributing a product that "
         "bundles the binaries or espeak-ng-data, meet GPL-3.0's source obligations or have "
         "the licence reviewed. Piper's own successor (OHF-Voice/piper1-gpl) is GPL-3.0 for "
         "the same reason.",
         ""});
    const Model* model = in.catalog.find_model(in.chosen.model_id);
    if (model == nullptr) {
        return;
    }
    const bool stated = model->license && model->license->spdx;
    out.push_back(
        {"R-tts-voice-licence",
         stated ? "Voice licence: " + in.chosen.model_id + " is " + *model->license->spdx +
                      " in the catalogue"
                : "Voice licence: the catalogue states no licence for " + in.chosen.model_id +
                      "'s weights (its training data and terms: edgeplan catalog show " +
                      in.chosen.model_id + ")",
         stated ? "low" : "high", stated ? "low" : "high",
         stated ? std::string("None needed beyond keeping the licence notice with the voice.")
                : "Read the voice's MODEL_CARD and training-data terms before any commercial "
                  "use, or pick a voice with a stated licence (Kokoro-82M is Apache-2.0; Piper "
                  "voices trained on LJSpeech, public domain, or LibriTTS-R, CC BY 4.0).",
         ""});
}

void add_sentence_risk(const RiskInputs& in, std::vector<Risk>& out) {
    const Candidate& c = in.chosen;
    std::uint64_t activations = 0;
    std::int64_t margin = 0;
    for (const auto& d : c.memory) {
        activations += d.compute_bytes;
        margin = d.margin_bytes;
    }
    // The plan sized the activations for a 30 s sentence; they grow linearly with it.
    const double per_audio_s = static_cast<double>(activations) / 30.0;
    const double fits_s = per_audio_s > 0 ? 30.0 + static_cast<double>(margin) / per_audio_s : 0;
    out.push_back(
        {"R-tts-long-sentence",
         fmt::format("One very long sentence (a pasted list, code, text without full stops) is "
                     "synthesised in one pass: activations grow by about {} per second of its "
                     "audio; the plan holds a 30 s sentence ({}), the memory left would hold "
                     "one of about {} s",
                     bytes_text(static_cast<std::uint64_t>(per_audio_s)), bytes_text(activations),
                     number_text(std::floor(fits_s))),
         "medium", margin > 0 && fits_s > 120 ? "low" : "high",
         "Split text on punctuation and cap each chunk at about 40 words before calling "
         "speak.sh; keep --tts-max-num-sentences=1 (one sentence per pass) as written.",
         ""});
}

void add_realtime_risk(const RiskInputs& in, std::vector<Risk>& out) {
    const SpeedProjection& s = in.chosen.speed;
    const double multiple = s.audio_speed_multiple.value_or(0);
    const int streams = std::max(1, in.request.concurrency);
    out.push_back(
        {"R-tts-realtime",
         fmt::format("Playback stalls when synthesis falls below real time: projected {}x real "
                     "time on {} threads ({}x per stream at concurrency {}), shared with "
                     "anything else on the same cores (an LLM decoding the next answer)",
                     number_text(multiple), in.chosen.settings.threads,
                     number_text(multiple / streams), streams),
         multiple / streams >= 2 ? "low" : "high", "high",
         "Run the verification step under the real load (LLM and TTS together); if the "
         "real-time factor it prints nears 1, pin the voice to its own cores (taskset), lower "
         "the LLM's threads or queue requests instead of running them at once.",
         ""});
    out.push_back(
        {"R-tts-projection",
         "Speed projected from another CPU: a published sherpa-onnx real-time factor on a "
         "Raspberry Pi 4 (Cortex-A72), scaled by per-core FP32 peak and thread count",
         "medium", "medium",
         "Check it with the verification step (section 7) before relying on it: on the "
         "Pi 4's own thread rows the scaling errs by up to 14% (slow side); against Kokoro on "
         "other CPUs it was 24% optimistic (Galaxy S10) to about 3x pessimistic (Apple M1) "
         "(docs/estimation.md).",
         ""});
}

} // namespace

void add_tts_risks(const RiskInputs& in, std::vector<Risk>& out) {
    if (in.chosen.engine_id != "sherpa-onnx") {
        return;
    }
    add_licence_risks(in, out);
    add_sentence_risk(in, out);
    add_realtime_risk(in, out);
}

} // namespace edgeplan::planner_detail
