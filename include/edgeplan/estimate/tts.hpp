#pragma once

// Text-to-speech on sherpa-onnx (ONNX Runtime, CPU): memory and speed for non-autoregressive
// voices (Kokoro = StyleTTS 2 + iSTFTNet, Piper = VITS). Pure functions of typed inputs.
// Memory: the ONNX file, the voice style vectors, ONNX Runtime's arena for the longest
// sentence chunk and the process. Speed: a published reference measurement (real-time factor
// on a named CPU at 1..4 threads) scaled by per-core FP32 peak and Amdahl thread scaling.
// Formulas, sources and measured error: docs/estimation.md ("Text-to-speech on sherpa-onnx").

#include <edgeplan/core/catalog.hpp>
#include <edgeplan/core/hardware_profile.hpp>
#include <edgeplan/core/result.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace edgeplan {

/// What the estimator knows about one TTS voice model: its vocoder's shape (for the
/// activation arena) and a published real-time factor on a reference CPU.
struct TtsVoiceFacts {
    std::string model_id;   ///< catalogue id
    int sample_rate_hz = 0; ///< output audio
    /// Elements (channels x samples) per second of audio of the widest vocoder stage: what
    /// the activation arena holds several copies of.
    double widest_stage_elements_per_audio_s = 0;
    /// Style vectors shipped beside the ONNX file (Kokoro voices.bin): per voice
    /// `style_rows x style_width` float32; 0 for models that embed speakers in the graph.
    int style_rows = 0;
    int style_width = 0;
    int voices = 0;                        ///< voices in the packaged voices file
    std::string reference_device;          ///< the CPU of the reference measurement
    double reference_ghz = 0;              ///< its maximum core clock
    double reference_flops_per_cycle = 0;  ///< per core, as cpu_flops_per_cycle rates its ISA
    std::array<double, 4> reference_rtf{}; ///< RTF at 1, 2, 3, 4 threads
    std::string source;                    ///< where the measurement and the shapes were read
};

/// The facts for a catalogue model id; nullopt when edgeplan has no measurement for it (the
/// planner then refuses the model as unmodelled).
std::optional<TtsVoiceFacts> tts_voice_facts(const std::string& model_id);

/// Memory of one sherpa-onnx process holding one voice.
struct TtsMemory {
    std::uint64_t weights = 0;     ///< the ONNX file, loaded whole into RAM
    std::uint64_t voices = 0;      ///< style vectors (Kokoro voices.bin)
    std::uint64_t activations = 0; ///< ONNX Runtime arena for the longest chunk
    std::uint64_t runtime = 0;     ///< process: ONNX Runtime library, espeak-ng data, threads
    [[nodiscard]] std::uint64_t total() const {
        return weights + voices + activations + runtime;
    }
};

/// Inputs of the memory model.
struct TtsMemoryInputs {
    TtsVoiceFacts facts;
    std::uint64_t onnx_file_bytes = 0; ///< published file size, or parameters x bytes
    double longest_chunk_audio_s = 30; ///< the longest sentence sherpa-onnx synthesises at once
};

/// Bytes of the process (docs/estimation.md, "Text-to-speech": memory).
TtsMemory tts_memory(const TtsMemoryInputs& in);

/// The sustained FP32 peak of one core of `cpu` (GHz x FLOPs per cycle) and the core count
/// the plan gives ONNX Runtime (at most 4: the reference measured 1..4 threads); an error
/// naming what is unknown.
struct TtsCpu {
    double core_gflops = 0;
    int threads = 0;
};
Result<TtsCpu> tts_cpu(const CpuInfo& cpu, int performance_cores);

/// Projected synthesis speed.
struct TtsSpeed {
    double real_time_factor = 0;         ///< seconds of compute per second of audio
    double seconds_per_audio_minute = 0; ///< compute for 60 s of audio
    double first_audio_s = 0;            ///< first sentence synthesised (sherpa-onnx's callback)
    double first_sentence_audio_s = 0;   ///< the typical sentence the first chunk holds
    double speed_multiple = 0;           ///< audio seconds per wall second (1 / RTF)
};

/// Inputs of the speed model.
struct TtsSpeedInputs {
    TtsVoiceFacts facts;
    TtsCpu cpu;
    double first_sentence_audio_s = 6; ///< 15 words at 150 words a minute
};

/// RTF = reference RTF at one thread x reference core peak / this core's peak / Amdahl
/// speed-up at `threads` (parallel fraction fitted on the reference's 1..4-thread rows).
TtsSpeed estimate_tts_speed(const TtsSpeedInputs& in);

/// Amdahl speed-up of ONNX Runtime's intra-op threads: 1 / ((1 - p) + p / threads).
double tts_thread_speedup(int threads);

} // namespace edgeplan
