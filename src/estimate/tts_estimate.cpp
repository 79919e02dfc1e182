// Text-to-speech on sherpa-onnx: memory and speed. Kokoro and Piper are non-autoregressive:
// one pass of the network per sentence, so compute grows with the seconds of audio and the
// activations with the longest sentence synthesised at once. docs/estimation.md,
// "Text-to-speech on sherpa-onnx".
#include <edgeplan/estimate/calibration.hpp>
#include <edgeplan/estimate/tts.hpp>

#include <algorithm>
#include <cmath>

namespace edgeplan {

namespace {

constexpr double f32_bytes = 4;

/// Vocoder tensors of the widest stage alive at its peak: the stage input, the multi-receptive
/// field sum and the two temporaries of the residual convolution being computed (HiFi-GAN /
/// iSTFTNet resblocks). Unvalidated: no ONNX Runtime arena measurement was available.
constexpr double live_stage_tensors = 4;

/// The process around the model: libonnxruntime.so 1.17.1 and the sherpa-onnx libraries
/// mapped and touched, espeak-ng's phoneme tables for one language, the C++ runtime and the
/// intra-op thread pool. An assumption (about 40 MB), not a measurement.
constexpr double runtime_bytes = 40e6;

/// Parallel fraction of ONNX Runtime's intra-op threads, fitted on the Piper rows of the
/// reference table (0.774 -> 0.482 -> 0.390 -> 0.357 at 1..4 threads); the Kokoro rows are
/// the hold-out (docs/estimation.md).
constexpr double parallel_fraction = 0.73;

/// The reference measured 1..4 threads; more are not projected.
constexpr int max_threads = 4;

} // namespace

TtsMemory tts_memory(const TtsMemoryInputs& in) {
    const TtsVoiceFacts& f = in.facts;
    TtsMemory m;
    m.weights = in.onnx_file_bytes;
    m.voices = static_cast<std::uint64_t>(static_cast<double>(f.voices) * f.style_rows *
                                          f.style_width * f32_bytes);
    m.activations = static_cast<std::uint64_t>(
        std::llround(live_stage_tensors * f.widest_stage_elements_per_audio_s * f32_bytes *
                     in.longest_chunk_audio_s));
    m.runtime = static_cast<std::uint64_t>(runtime_bytes);
    return m;
}

Result<TtsCpu> tts_cpu(const CpuInfo& cpu, int performance_cores) {
    const auto per_cycle = cpu_flops_per_cycle(cpu);
    const auto& mhz = cpu.frequency_max_mhz.value;
    if (!per_cycle || !mhz) {
        return make_error(ExitCode::internal, "cpu",
                          std::string("per-core peak unknown (needs ") +
                              (!mhz ? "the maximum frequency" : "the ISA") + ")");
    }
    TtsCpu c;
    c.core_gflops = (*mhz / 1000.0) * *per_cycle;
    const int cores = performance_cores > 0 ? performance_cores : cpu.cores.value.value_or(1);
    c.threads = std::clamp(cores, 1, max_threads);
    return c;
}

double tts_thread_speedup(int threads) {
    const double n = std::max(1, threads);
    return 1.0 / ((1.0 - parallel_fraction) + parallel_fraction / n);
}

TtsSpeed estimate_tts_speed(const TtsSpeedInputs& in) {
    const TtsVoiceFacts& f = in.facts;
    const double reference_core = f.reference_ghz * f.reference_flops_per_cycle;
    const double one_thread = f.reference_rtf[0] * reference_core / in.cpu.core_gflops;
    TtsSpeed s;
    s.real_time_factor = one_thread / tts_thread_speedup(in.cpu.threads);
    s.seconds_per_audio_minute = 60.0 * s.real_time_factor;
    s.speed_multiple = 1.0 / s.real_time_factor;
    s.first_sentence_audio_s = in.first_sentence_audio_s;
    // sherpa-onnx synthesises one sentence per pass (--tts-max-num-sentences 1) and hands each
    // to its callback, so the first audio waits for the first sentence only.
    s.first_audio_s = s.real_time_factor * in.first_sentence_audio_s;
    return s;
}

} // namespace edgeplan
