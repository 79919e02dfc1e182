// Verification steps for speech-to-text on whisper.cpp: whisper-bench reproduces the
// encoder's window time and the per-token decode time; a timed /inference request on a
// one-minute recording checks the real-time factor end to end. Flags go through CommandLine,
// which keeps only those the catalogue lists for whisper-bench (bench.cpp at 0cc4f5eb).
#include "verification.hpp"

#include "section_text.hpp"

#include <fmt/format.h>

namespace edgeplan::planner_detail {

void whisper_cpp_steps(const VerifyInputs& in, std::vector<VerificationStep>& out) {
    const DeploymentSettings& s = in.chosen.settings;
    const SpeedProjection& speed = in.chosen.speed;
    const std::string file = "models/" + s.artifact_file.value_or(in.chosen.model_id + ".bin");

    CommandLine bench(in.engine, "whisper-bench", "whisper-bench");
    bench.option("-m", file);
    if (s.threads > 0) {
        bench.option("-t", std::to_string(s.threads));
    }
    if (s.backend == "cpu") {
        bench.flag("-ng");
    }
    if (s.flash_attention) {
        bench.flag("-fa"); // whisper-bench leaves it off unless asked; the server turns it on
    }
    std::string expect;
    if (speed.audio_encode_ms) {
        expect = fmt::format("encode time per run {} ms projected (investigate above {} ms); ",
                             number_text(*speed.audio_encode_ms),
                             number_text(*speed.audio_encode_ms * (1 + verify_prefill_tolerance)));
    }
    if (speed.tpot_ms) {
        expect += fmt::format("decode time per run {} ms projected at a {}-token context "
                              "(whisper-bench averages contexts 0-255, so expect somewhat more)",
                              number_text(*speed.tpot_ms), speed.short_context_tokens);
    }
    out.push_back({"Benchmark the encoder window and per-token decode with whisper-bench",
                   bench.text(), expect});

    std::string rtf = "the projection is unknown";
    if (speed.seconds_per_audio_minute) {
        rtf = fmt::format("about {} s for 60 s of speech projected (real-time factor {}); "
                          "investigate above {} s",
                          number_text(*speed.seconds_per_audio_minute),
                          number_text(speed.real_time_factor.value_or(0)),
                          number_text(*speed.seconds_per_audio_minute *
                                      (1 + verify_prefill_tolerance)));
    }
    out.push_back(
        {"Transcribe a one-minute 16 kHz WAV through the running whisper-server and time it",
         fmt::format("curl -s -o /dev/null -w '%{{time_total}}\\n' {}/inference -F "
                     "file=@one-minute.wav -F response_format=json",
                     base_url(in)),
         rtf});
}

} // namespace edgeplan::planner_detail
