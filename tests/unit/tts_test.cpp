// Text-to-speech on sherpa-onnx: the memory and speed formulas pinned to their sources
// (docs/estimation.md, "Text-to-speech on sherpa-onnx"), the planner's choices on a Pi 5 and a
// laptop, and the speak.sh script the config writer emits.
#include "cli/target_profile.hpp"

#include <edgeplan/catalog/catalog.hpp>
#include <edgeplan/estimate/tts.hpp>
#include <edgeplan/planner/planner.hpp>
#include <edgeplan/report/config_files.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <string>

using namespace edgeplan;

namespace {

const Catalog& catalog() {
    static const Catalog loaded = *load_catalog(CatalogSource::embedded());
    return loaded;
}

HardwareProfile target(const std::string& id) {
    cli::TargetOverrides overrides;
    std::string hint;
    auto profile = cli::target_profile(catalog(), id, overrides, hint);
    REQUIRE(profile);
    return *profile;
}

PlanRequest tts() {
    PlanRequest r;
    r.task = "text-to-speech";
    r.offline = true;
    return r;
}

/// A Raspberry Pi 4 Model B Rev 1.5 core as the reference measured it.
TtsCpu pi4(int threads) {
    return {1.8 * 16, threads};
}

} // namespace

TEST_CASE("tts memory: Kokoro's style vectors and the vocoder arena follow the formulas",
          "[estimate][tts]") {
    const auto kokoro = tts_voice_facts("kokoro-82m");
    REQUIRE(kokoro);
    TtsMemoryInputs in;
    in.facts = *kokoro;
    in.onnx_file_bytes = 328'000'000; // 82M parameters x 4 B
    const TtsMemory m = tts_memory(in);
    // 53 voices x 510 x 256 x 4 B; kokoro-onnx's 54-voice voices-v1.0.bin is 28,214,398 B,
    // i.e. the same table per voice plus its archive header (within 0.05%).
    CHECK(m.voices == 53ull * 510 * 256 * 4);
    CHECK(std::abs(54.0 * 510 * 256 * 4 / 28'214'398.0 - 1) < 0.0005);
    // 4 live tensors x 128 channels x 4800 frames/s x 4 B x 30 s.
    CHECK(m.activations == 4ull * 128 * 4800 * 4 * 30);
    CHECK(m.total() == m.weights + m.voices + m.activations + m.runtime);
    in.longest_chunk_audio_s = 15;
    CHECK(tts_memory(in).activations * 2 == m.activations); // linear in the sentence
}

TEST_CASE("tts memory: Piper keeps no voices file and sizes by the widest HiFi-GAN stage",
          "[estimate][tts]") {
    const auto piper = tts_voice_facts("piper-en-us-lessac-medium");
    REQUIRE(piper);
    TtsMemoryInputs in;
    in.facts = *piper;
    in.onnx_file_bytes = 63'201'294;
    const TtsMemory m = tts_memory(in);
    CHECK(m.voices == 0);
    CHECK(m.weights == 63'201'294);
    CHECK(m.activations == 4ull * 32 * 22050 * 4 * 30);
    CHECK_FALSE(tts_voice_facts("qwen3-tts-12hz-0.6b")); // no measurement: not guessed
}

TEST_CASE("tts speed: the reference CPU reproduces its own 1-thread RTF and the thread "
          "scaling is within 14% on the hold-out voice",
          "[estimate][tts]") {
    const auto kokoro = *tts_voice_facts("kokoro-82m");
    const auto piper = *tts_voice_facts("piper-en-us-lessac-medium");
    for (const auto& voice : {kokoro, piper}) {
        TtsSpeedInputs in;
        in.facts = voice;
        in.cpu = pi4(1);
        CHECK(estimate_tts_speed(in).real_time_factor == Approx(voice.reference_rtf[0]));
    }
    // Parallel fraction fitted on Piper's rows; Kokoro's are the hold-out (rtf.rst at 0dd43df7).
    for (int threads = 2; threads <= 4; ++threads) {
        TtsSpeedInputs in;
        in.facts = kokoro;
        in.cpu = pi4(threads);
        const double error =
            estimate_tts_speed(in).real_time_factor / kokoro.reference_rtf[threads - 1] - 1;
        INFO("kokoro " << threads << " threads: " << error);
        CHECK(error > 0);    // errs on the slow (safe) side
        CHECK(error < 0.14); // +8.8%, +13.5%, +8.1% (docs/estimation.md)
        in.facts = piper;
        const double fit =
            estimate_tts_speed(in).real_time_factor / piper.reference_rtf[threads - 1] - 1;
        CHECK(std::abs(fit) < 0.03);
    }
    CHECK(tts_thread_speedup(1) == Approx(1.0));
    CHECK(tts_thread_speedup(4) == Approx(1.0 / (0.27 + 0.73 / 4)));
}

TEST_CASE("tts speed: cross-CPU hold-out, Kokoro on a Galaxy S10, is pinned at -24%",
          "[estimate][tts]") {
    // voiceping-ai/android-offline-tts-eval README at 31951e34: kokoro-en-v0_19 on sherpa-onnx,
    // SM-G973C (Exynos 9820, fastest cores 2.73 GHz), 4 threads, median RTF 2.608.
    TtsSpeedInputs in;
    in.facts = *tts_voice_facts("kokoro-82m");
    in.cpu = {2.73 * 16, 4};
    const double error = estimate_tts_speed(in).real_time_factor / 2.608 - 1;
    CHECK(error == Approx(-0.24).margin(0.01)); // docs/estimation.md validation table
}

TEST_CASE("tts speed: a faster core scales the RTF down and first audio is one sentence",
          "[estimate][tts]") {
    TtsSpeedInputs in;
    in.facts = *tts_voice_facts("piper-en-us-lessac-medium");
    in.cpu = {2.4 * 16, 4}; // Pi 5: Cortex-A76 at 2.4 GHz
    const TtsSpeed s = estimate_tts_speed(in);
    CHECK(s.real_time_factor == Approx(0.774 * 1.8 / 2.4 / tts_thread_speedup(4)));
    CHECK(s.seconds_per_audio_minute == Approx(60 * s.real_time_factor));
    CHECK(s.first_audio_s == Approx(6 * s.real_time_factor));
    CHECK(s.speed_multiple == Approx(1 / s.real_time_factor));
}

TEST_CASE("tts planner: a Pi 5 runs Piper offline on sherpa-onnx, faster than real time with "
          "headroom",
          "[planner][tts]") {
    auto plan = plan_deployment(tts(), target("raspberry-pi-5-8gb"), catalog());
    REQUIRE(plan);
    REQUIRE(plan->approved);
    const Candidate& c = *plan->chosen;
    CHECK(c.engine_id == "sherpa-onnx");
    CHECK(c.model_id == "piper-en-us-lessac-medium");
    CHECK(c.placement == "CPU only");
    CHECK(c.settings.port == 0); // a CLI: nothing listens
    REQUIRE(c.speed.real_time_factor);
    CHECK(*c.speed.real_time_factor < 0.5);
    CHECK_FALSE(c.speed.decode_tokens_per_s_short); // no token rates for a voice
    for (const auto& d : c.memory) {
        CHECK(d.fits);
        CHECK(d.kv_cache_bytes == 0);
        CHECK(d.margin_bytes > static_cast<std::int64_t>(d.usable_bytes / 5));
    }
    // Kokoro fits but is slower than real time on a Pi 5: a runner-up that misses S1.
    REQUIRE_FALSE(plan->runner_ups.empty());
    CHECK(plan->runner_ups.front().model_id == "kokoro-82m");
    CHECK(*plan->runner_ups.front().speed.real_time_factor > 1.0);
}

TEST_CASE("tts planner: a laptop CPU is approved; --min-tps does not apply to audio",
          "[planner][tts]") {
    PlanRequest r = tts();
    r.min_tokens_per_s = 500; // tokens per second mean nothing for a synthesiser
    auto plan = plan_deployment(r, target("intel-core-ultra-7-258v"), catalog());
    REQUIRE(plan);
    CHECK(plan->approved);
    CHECK(plan->chosen->engine_id == "sherpa-onnx");
    CHECK(*plan->chosen->speed.audio_speed_multiple > 2.0);
}

TEST_CASE("tts planner: concurrent requests share the CPU, so real time is per stream",
          "[planner][tts]") {
    PlanRequest r = tts();
    r.concurrency = 8; // Piper on a Pi 5 runs ~3.8x real time: 8 streams get ~0.5x each
    auto plan = plan_deployment(r, target("raspberry-pi-5-8gb"), catalog());
    REQUIRE(plan);
    CHECK_FALSE(plan->approved);
    CHECK(plan->verdict.find("slower than real time") != std::string::npos);
    r.concurrency = 2; // ~1.9x each: real time kept
    auto two = plan_deployment(r, target("raspberry-pi-5-8gb"), catalog());
    REQUIRE(two);
    CHECK(two->approved);
}

TEST_CASE("tts planner: an unknown CPU clock is a speed that cannot be projected, not approved",
          "[planner][tts]") {
    auto plan = plan_deployment(tts(), target("desktop-rtx-4090"), catalog());
    REQUIRE(plan);
    CHECK_FALSE(plan->approved);
    CHECK_FALSE(plan->task_unserved);
    REQUIRE(plan->chosen); // the memory is known and shown; the speed is not guessed
    CHECK(plan->chosen->engine_id == "sherpa-onnx");
    CHECK_FALSE(plan->chosen->speed.real_time_factor);
    CHECK(plan->verdict.find("maximum frequency") != std::string::npos);
}

TEST_CASE("tts config: speak.sh parses, names the package's files and the plan's threads",
          "[report][config][tts]") {
    auto plan = plan_deployment(tts(), target("raspberry-pi-5-8gb"), catalog());
    REQUIRE(plan);
    REQUIRE(plan->chosen);
    const DeploymentConfig config = deployment_config(*plan, catalog());
    REQUIRE(config.files.size() == 1);
    const ConfigFile& script = config.files.front();
    CHECK(script.name == "speak.sh");
    CHECK(config.port == 0);
    for (const char* needle :
         {"sherpa-onnx-offline-tts",
          "--vits-model=models/vits-piper-en_US-lessac-medium/"
          "en_US-lessac-medium.onnx",
          "--vits-data-dir=models/vits-piper-en_US-lessac-medium/espeak-ng-data", "--num-threads=4",
          "--provider=cpu", "--tts-max-num-sentences=1"}) {
        INFO(needle << "\n" << script.content);
        CHECK(script.content.find(needle) != std::string::npos);
    }
    const Engine* engine = catalog().find_engine("sherpa-onnx");
    REQUIRE(engine != nullptr);
    const auto& listed = engine->flags.at("sherpa-onnx-offline-tts");
    std::size_t at = 0;
    while ((at = script.content.find("--", at)) != std::string::npos) {
        const auto end = script.content.find_first_of("= \n", at);
        const std::string flag = script.content.substr(at, end - at);
        INFO(flag);
        CHECK(std::find(listed.begin(), listed.end(), flag) != listed.end());
        at = end;
    }
    const std::string path = "tts_speak_check.sh";
    std::ofstream(path) << script.content;
    CHECK(std::system(("sh -n " + path).c_str()) == 0);
    std::remove(path.c_str());
}

TEST_CASE("tts sections: section 7 checks the printed RTF and section 6 names the licences",
          "[planner][tts]") {
    auto plan = plan_deployment(tts(), target("raspberry-pi-5-8gb"), catalog());
    REQUIRE(plan);
    bool rtf = false;
    for (const auto& step : plan->verification) {
        rtf = rtf || step.command.find("grep 'Real-time factor'") != std::string::npos;
    }
    CHECK(rtf);
    int found = 0;
    for (const auto& risk : plan->risks) {
        found += risk.id == "R-tts-phonemizer" || risk.id == "R-tts-voice-licence" ||
                 risk.id == "R-tts-long-sentence";
    }
    CHECK(found == 3);
}
