// Verification steps for text-to-speech on sherpa-onnx: sherpa-onnx-offline-tts prints
// "Real-time factor (RTF): elapsed/duration = rtf" on stderr (csrc at 829159a3), so one run on
// a paragraph checks the projected RTF; the same run under /usr/bin/time gives the peak
// resident memory to compare with the plan's total. Flags go through CommandLine, which keeps
// only those the catalogue lists for sherpa-onnx-offline-tts.
#include "verification.hpp"

#include "section_text.hpp"

#include <edgeplan/core/tts_package.hpp>

#include <fmt/format.h>

namespace edgeplan::planner_detail {

namespace {

/// About 60 s of speech at 150 words a minute: long enough that load time does not dominate.
constexpr const char* paragraph_text =
    "'Edge devices now run speech models that once needed a data centre. A small voice can "
    "read a message aloud while the main model thinks about the next answer. This paragraph "
    "is long enough to measure the real-time factor without the start-up time of the process "
    "dominating the figure. It has several sentences, so the synthesiser works through them "
    "one at a time, as it would for a long reply from an assistant. Listen to the result as "
    "well: a fast voice that mispronounces names is not a good voice.'";

} // namespace

void sherpa_onnx_tts_steps(const VerifyInputs& in, std::vector<VerificationStep>& out) {
    const DeploymentSettings& s = in.chosen.settings;
    const SpeedProjection& speed = in.chosen.speed;
    const std::string dir =
        sherpa_tts_package_dir(s.artifact_file.value_or(in.chosen.model_id + ".tar.bz2"));
    const Model* model = in.catalog.find_model(in.chosen.model_id);
    CommandLine tts(in.engine, "sherpa-onnx-offline-tts", "sherpa-onnx-offline-tts");
    for (const auto& [flag, value] :
         sherpa_tts_model_flags(model != nullptr ? model->family : std::string(), dir)) {
        tts.assign(flag, value);
    }
    tts.assign("--num-threads", std::to_string(std::max(1, s.threads)));
    tts.assign("--provider", "cpu");
    tts.assign("--output-filename", "check.wav");
    std::string expect = "the projection is unknown";
    if (speed.real_time_factor) {
        expect = fmt::format("RTF about {} projected ({} s for 60 s of audio); investigate above "
                             "{} and treat anything above 1 as a failure (playback would stall)",
                             number_text(*speed.real_time_factor),
                             number_text(speed.seconds_per_audio_minute.value_or(0)),
                             number_text(*speed.real_time_factor * (1 + verify_prefill_tolerance)));
    }
    out.push_back({"Synthesise a one-minute paragraph and read the real-time factor it prints",
                   tts.text() + " " + paragraph_text + " 2>&1 | grep 'Real-time factor'", expect});

    const std::uint64_t total = in.chosen.resident_bytes();
    const bool mac = in.platform == DevicePlatform::os_macos;
    out.push_back(
        {"Measure the peak resident memory of the same run",
         std::string(mac ? "/usr/bin/time -l " : "/usr/bin/time -v ") + "./speak.sh " +
             paragraph_text + " check.wav 2>&1 | grep -i " +
             (mac ? "'maximum resident'" : "'Maximum resident'"),
         fmt::format("about {} MB (ONNX file, style vectors, activations of a 30 s sentence, "
                     "process); investigate above {} MB{}",
                     count_text(static_cast<long long>(static_cast<double>(total) / 1e6)),
                     count_text(static_cast<long long>(static_cast<double>(total) *
                                                       (1 + verify_memory_tolerance) / 1e6)),
                     mac ? " (macOS prints bytes)" : " (Linux prints kbytes)")});
}

} // namespace edgeplan::planner_detail
