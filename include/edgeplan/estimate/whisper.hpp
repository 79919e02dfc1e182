#pragma once

// whisper.cpp memory and speed for Whisper (encoder-decoder speech-to-text). Pure functions of
// typed inputs. Memory follows what whisper_init_state allocates (src/whisper.cpp at 0002ecb9):
// three KV caches and four compute buffers per state; speed reuses the prefill model for the
// encoder (one 30-second window = 1500 positions, compute-bound) and the decode model for the
// text decoder (bandwidth-bound per token). Formulas, sources and measured error:
// docs/estimation.md ("Whisper on whisper.cpp").

#include <edgeplan/core/catalog.hpp>
#include <edgeplan/core/hardware_profile.hpp>
#include <edgeplan/core/result.hpp>
#include <edgeplan/estimate/speed.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace edgeplan {

/// Whisper's hyper-parameters under whisper.cpp's names (its model-load log prints them).
struct WhisperDims {
    int n_mels = 0;
    int n_audio_ctx = 1500; ///< encoder positions for one 30-second window
    int n_audio_state = 0;
    int n_audio_head = 0;
    int n_audio_layer = 0;
    int n_text_ctx = 448; ///< decoder positions
    int n_text_state = 0;
    int n_text_head = 0;
    int n_text_layer = 0;
    int n_vocab = 0;
};

/// The dimensions of a catalogue model with an encoder stack and mel bins; an error naming
/// the missing field otherwise (Moonshine has no mel stem, so it is refused here).
Result<WhisperDims> whisper_dims(const Model& model);

/// Parameter counts by the type a whisper.cpp ggml file stores them in.
struct WhisperParameters {
    double encoder_matrices = 0; ///< attention and MLP matrices of the encoder blocks
    double decoder_matrices = 0; ///< self- and cross-attention and MLP matrices of the decoder
    double token_embedding = 0;  ///< n_vocab x n_text_state, also the output projection (tied)
    double conv = 0;             ///< the two 1-D convolution kernels (3-D tensors: kept f16)
    double f32 = 0;              ///< biases, layer norms and both position tables (f32)
    /// Matrices in the file's type: the only tensors whisper-quantize converts.
    [[nodiscard]] double matrices() const {
        return encoder_matrices + decoder_matrices + token_embedding;
    }
    [[nodiscard]] double total() const {
        return matrices() + conv + f32;
    }
};

/// Counts from the architecture (openai/whisper model.py layout).
WhisperParameters whisper_parameters(const WhisperDims& dims);

/// Bytes of the ggml file (and of the weights in memory) with matrices at
/// `matrix_bits_per_weight` (f16 16, q8_0 8.5, q5_1 6, q5_0 5.5), kernels f16, the rest f32.
std::uint64_t whisper_weight_bytes(const WhisperParameters& parameters,
                                   double matrix_bits_per_weight);

/// What one whisper.cpp state holds besides the weights.
struct WhisperMemoryInputs {
    WhisperDims dims;
    /// Decoders per state: whisper-server's --best-of 2 (used on temperature fallback) or the
    /// beam size. More than one makes whisper_full re-create the self-attention cache 3x larger.
    int decoders = 2;
    int processors = 1;          ///< --processors: each one is a full state
    bool flash_attention = true; ///< whisper-server's default
};

/// Bytes per state category, already multiplied by the processors.
struct WhisperMemory {
    std::uint64_t kv_self = 0;  ///< 2 x n_text_layer x n_text_state x pad(n_text_ctx) f16
    std::uint64_t kv_cross = 0; ///< 2 x n_text_layer x n_text_state x pad(n_audio_ctx) f16
    std::uint64_t kv_pad = 0;   ///< 2 x n_audio_state x pad(n_audio_ctx) f16 (encoder FA scratch)
    std::uint64_t compute_conv = 0;
    std::uint64_t compute_encode = 0;
    std::uint64_t compute_cross = 0;
    std::uint64_t compute_decode = 0;
    /// Host RAM: the logits vector whisper_init_state reserves (n_vocab x n_text_ctx f32).
    std::uint64_t host_logits = 0;
    [[nodiscard]] std::uint64_t kv_total() const {
        return kv_self + kv_cross + kv_pad;
    }
    [[nodiscard]] std::uint64_t compute_total() const {
        return compute_conv + compute_encode + compute_cross + compute_decode;
    }
};

/// KV caches exactly as whisper_kv_cache_init sizes them; compute buffers by the formulas in
/// docs/estimation.md, fitted to whisper.cpp's "compute buffer (...)" log lines.
WhisperMemory whisper_memory(const WhisperMemoryInputs& inputs);

/// Speed settings of one whisper.cpp state on one device.
struct WhisperSpeedInputs {
    WhisperDims dims;
    DeviceShare device;        ///< backend, bandwidth and compute peak; weight fields are filled here
    double weight_bytes = 0;   ///< whisper_weight_bytes of the chosen type
    double matrix_bits_per_weight = 16;
    /// Transcript tokens per second of speech: ~150 words/min x ~1.3 tokens/word, plus
    /// timestamp tokens (docs/estimation.md).
    double tokens_per_audio_second = 3.0;
    /// Mean decoder context for the per-token figure: 50 while transcribing a window (the
    /// task tokens plus half of ~90 transcript tokens); whisper-bench decodes at 0..255 (128).
    double decoder_context = 50;
};

/// Projected figures for transcribing speech.
struct WhisperSpeed {
    double encode_s = 0;           ///< one 30-second window through the encoder
    double decode_s_per_token = 0; ///< one transcript token (greedy, one decoder)
    double decode_tokens_per_s = 0;      ///< at short_context_tokens
    double short_context_tokens = 0;     ///< mean decoder context while transcribing a window
    double decode_tokens_per_s_full = 0; ///< at the full n_text_ctx
    double encoder_positions_per_s = 0;  ///< the encoder's "prefill" rate (1500 per window)
    double seconds_per_audio_minute = 0; ///< 2 windows + 60 s of transcript tokens
    double real_time_factor = 0;         ///< processing time / audio time (< 1: faster)
    /// Transcript tokens per wall-clock second including the encoder: what S1 compares.
    double transcript_tokens_per_s = 0;
};

/// Encoder through estimate_prefill (1500 positions, non-causal attention), decoder through
/// decode_step (decoder matrices + output projection + the cross-attention cache per token).
Result<WhisperSpeed> estimate_whisper_speed(const WhisperSpeedInputs& inputs);

/// The device whisper.cpp (or a llama.cpp encoder) runs on: the first GPU with a known
/// backend, bandwidth and FP16 peak when `use_gpu` (nullopt with `why` when none), else the
/// CPU, always returned; its unknown bandwidth or compute peak (0 / nullopt, `why` set) make
/// the speed models fail with a reason.
std::optional<DeviceShare> whisper_device(const HardwareProfile& profile, bool use_gpu,
                                          std::string& why);

} // namespace edgeplan
