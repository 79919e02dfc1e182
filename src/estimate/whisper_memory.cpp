// Whisper on whisper.cpp, the memory side: dimensions from the catalogue, parameter groups by
// the type a ggml file stores them in, and the per-state allocations of whisper_init_state
// (src/whisper.cpp at 0002ecb9). docs/estimation.md ("Whisper on whisper.cpp") has every
// formula with its source and the error against published logs and file sizes.
#include <edgeplan/estimate/whisper.hpp>

#include <cmath>

namespace edgeplan {

namespace {

constexpr double f16_bytes = 2;
constexpr double f32_bytes = 4;

/// GGML_PAD(x, 256), as whisper_init_state pads both cache lengths.
double pad256(int x) {
    return std::ceil(static_cast<double>(x) / 256.0) * 256.0;
}

/// whisper_full re-creates the self-attention cache this many times larger once a request
/// uses more than one decoder (beam search or best-of on temperature fallback): a base model
/// run with 5 beams logs "kv self size = 18.87 MB", 3 x the 6.29 MB of one decoder.
constexpr double multi_decoder_kv_factor = 3;

// Compute buffers (ggml-alloc'ed graphs, one scheduler each). Fitted to whisper.cpp's
// "compute buffer (...)" log lines; the terms follow the largest live tensors.
/// conv: per encoder width, 3000 frames x (f32 conv1 output + its GELU) = 24000 B.
constexpr double conv_bytes_per_state = 3000 * 2 * f32_bytes;
/// conv: per mel bin, the f32 input (3000 frames) and conv1's f16 im2col (3 taps).
constexpr double conv_bytes_per_mel = 3000 * f32_bytes + 3 * 3000 * f16_bytes;
/// conv: what the log shows beyond both terms (tiny and base agree on it).
constexpr double conv_fixed_bytes = 1.7e6;
/// encode (flash attention on): 8 f32 activations of 1500 x n_audio_state live at once
/// (residual, norm, Q/K/V, the 4x-wide MLP hidden).
constexpr double encode_activations = 8;
/// cross: 1.5 f32 copies of the 1500 x n_text_state encoder output.
constexpr double cross_activations = 1.5;
/// decode: the worst-case graph decodes n_text_ctx tokens at once: their f32 logits plus
/// 3.5 activations of n_text_state each.
constexpr double decode_activations = 3.5;

} // namespace

Result<WhisperDims> whisper_dims(const Model& model) {
    const ModelArchitecture& a = model.architecture;
    if (!a.encoder) {
        return make_error(ExitCode::internal, model.id, "no encoder stack in the catalogue");
    }
    const EncoderStack& e = *a.encoder;
    if (!e.mel_bins) {
        return make_error(ExitCode::internal, model.id,
                          "no mel_bins: whisper.cpp's audio stem needs them");
    }
    if (!a.layers || !a.hidden_size || !a.attention_heads || !a.vocab_size) {
        return make_error(ExitCode::internal, model.id,
                          "decoder layers, width, heads or vocabulary missing");
    }
    WhisperDims d;
    d.n_mels = *e.mel_bins;
    d.n_audio_ctx = e.max_source_positions.value_or(1500);
    d.n_audio_state = e.hidden_size;
    d.n_audio_head = e.attention_heads;
    d.n_audio_layer = e.layers;
    d.n_text_ctx = a.max_context_tokens.value_or(448);
    d.n_text_state = *a.hidden_size;
    d.n_text_head = *a.attention_heads;
    d.n_text_layer = *a.layers;
    d.n_vocab = *a.vocab_size;
    return d;
}

WhisperParameters whisper_parameters(const WhisperDims& d) {
    // openai/whisper model.py: attention q, k, v, out (k has no bias), MLP 4x wide, GELU.
    const double ne = d.n_audio_state;
    const double ffe = 4 * ne;
    const double nt = d.n_text_state;
    const double fft = 4 * nt;
    WhisperParameters p;
    p.encoder_matrices = d.n_audio_layer * (4 * ne * ne + 2 * ne * ffe);
    p.decoder_matrices = d.n_text_layer * (8 * nt * nt + 2 * nt * fft);
    p.token_embedding = static_cast<double>(d.n_vocab) * nt;
    p.conv = 3 * ne * d.n_mels + 3 * ne * ne;
    const double encoder_vectors = d.n_audio_layer * (8 * ne + ffe) + 2 * ne + 2 * ne;
    const double decoder_vectors = d.n_text_layer * (13 * nt + fft) + 2 * nt;
    const double positions = d.n_audio_ctx * ne + d.n_text_ctx * nt;
    p.f32 = encoder_vectors + decoder_vectors + positions;
    return p;
}

std::uint64_t whisper_weight_bytes(const WhisperParameters& p, double matrix_bits_per_weight) {
    const double bytes =
        p.matrices() * matrix_bits_per_weight / 8.0 + p.conv * f16_bytes + p.f32 * f32_bytes;
    return static_cast<std::uint64_t>(std::llround(bytes));
}

WhisperMemory whisper_memory(const WhisperMemoryInputs& in) {
    const WhisperDims& d = in.dims;
    const double processors = std::max(1, in.processors);
    const double self_factor = in.decoders > 1 ? multi_decoder_kv_factor : 1.0;
    auto bytes = [&](double value) {
        return static_cast<std::uint64_t>(std::llround(value * processors));
    };
    WhisperMemory m;
    m.kv_self = bytes(2.0 * d.n_text_layer * d.n_text_state * pad256(d.n_text_ctx) * f16_bytes *
                      self_factor);
    m.kv_cross =
        bytes(2.0 * d.n_text_layer * d.n_text_state * pad256(d.n_audio_ctx) * f16_bytes);
    m.kv_pad = bytes(2.0 * d.n_audio_state * pad256(d.n_audio_ctx) * f16_bytes);
    m.compute_conv = bytes(conv_bytes_per_state * d.n_audio_state +
                           conv_bytes_per_mel * d.n_mels + conv_fixed_bytes);
    double encode = encode_activations * d.n_audio_ctx * d.n_audio_state * f32_bytes;
    if (!in.flash_attention) {
        // Without flash attention the KQ scores of every head are materialised in f32.
        encode += static_cast<double>(d.n_audio_head) * d.n_audio_ctx * d.n_audio_ctx * f32_bytes;
    }
    m.compute_encode = bytes(encode);
    m.compute_cross = bytes(cross_activations * d.n_audio_ctx * d.n_text_state * f32_bytes);
    m.compute_decode = bytes(static_cast<double>(d.n_text_ctx) *
                             (static_cast<double>(d.n_vocab) + decode_activations * d.n_text_state) *
                             f32_bytes);
    m.host_logits =
        bytes(static_cast<double>(d.n_vocab) * static_cast<double>(d.n_text_ctx) * f32_bytes);
    return m;
}

} // namespace edgeplan
