// Text-to-speech voices the estimator can plan: the reference measurements and vocoder shapes
// of each, with where they were read. A voice missing here is refused by the planner as
// unmodelled (no measurement to scale), never guessed. docs/estimation.md, "Text-to-speech".
#include <edgeplan/estimate/tts.hpp>

namespace edgeplan {

namespace {

/// Raspberry Pi 4 Model B Rev 1.5: BCM2711, four Cortex-A72 at 1.8 GHz. 16 FP32 FLOPs per
/// cycle is what cpu_flops_per_cycle rates any non-Apple NEON core (two 128-bit FMA pipes),
/// so the reference and the target are rated the same way.
constexpr double pi4_ghz = 1.8;
constexpr double pi4_flops_per_cycle = 16;
constexpr const char* pi4 = "Raspberry Pi 4 Model B Rev 1.5 (4x Cortex-A72, 1.8 GHz)";

/// k2-fsa/sherpa docs/source/onnx/tts/pretrained_models/rtf.rst at 0dd43df7: RTF of
/// sherpa-onnx-offline-tts on that board at --num-threads 1, 2, 3, 4.
constexpr const char* rtf_table =
    "https://github.com/k2-fsa/sherpa/blob/0dd43df79034f2cbafa2d46d1330a164f1d7c87c/docs/"
    "source/onnx/tts/pretrained_models/rtf.rst";

TtsVoiceFacts kokoro() {
    TtsVoiceFacts f;
    f.model_id = "kokoro-82m";
    f.sample_rate_hz = 24000;
    // iSTFTNet generator (hexgrad/Kokoro-82M config.json): 512 channels halved per upsampling
    // stage, rates 10 and 6, then an inverse STFT with hop 5: the last stage holds 128
    // channels at 24000 / 5 = 4800 frames per second of audio.
    f.widest_stage_elements_per_audio_s = 128.0 * 4800.0;
    // voices.bin: per voice a 510 x 256 float32 style table (one row per input length);
    // kokoro-onnx's voices-v1.0.bin is 28,214,398 B for 54 voices = 54 x 510 x 256 x 4 B
    // plus its archive header. sherpa-onnx's kokoro-multi-lang-v1_0 packs 53 speakers.
    f.style_rows = 510;
    f.style_width = 256;
    f.voices = 53;
    f.reference_device = pi4;
    f.reference_ghz = pi4_ghz;
    f.reference_flops_per_cycle = pi4_flops_per_cycle;
    // kokoro-en-v0_19, the same 82M-parameter network as v1.0 (v1.0 retrained it on more
    // data and languages; the graph is unchanged): 6.629, 3.870, 2.999, 2.774.
    f.reference_rtf = {6.629, 3.870, 2.999, 2.774};
    f.source = rtf_table;
    return f;
}

TtsVoiceFacts piper_lessac_medium() {
    TtsVoiceFacts f;
    f.model_id = "piper-en-us-lessac-medium";
    f.sample_rate_hz = 22050;
    // VITS HiFi-GAN decoder (Piper "medium" = the VITS defaults): 512 channels halved at
    // each of the upsampling rates 8, 8, 2, 2; the last three stages each hold
    // 705,600 elements per second of audio (128 x 5512.5 = 64 x 11025 = 32 x 22050).
    f.widest_stage_elements_per_audio_s = 32.0 * 22050.0;
    f.reference_device = pi4;
    f.reference_ghz = pi4_ghz;
    f.reference_flops_per_cycle = pi4_flops_per_cycle;
    f.reference_rtf = {0.774, 0.482, 0.390, 0.357}; // vits-piper-en_US-lessac-medium
    f.source = rtf_table;
    return f;
}

} // namespace

std::optional<TtsVoiceFacts> tts_voice_facts(const std::string& model_id) {
    if (model_id == "kokoro-82m") {
        return kokoro();
    }
    if (model_id == "piper-en-us-lessac-medium") {
        return piper_lessac_medium();
    }
    return std::nullopt;
}

} // namespace edgeplan
