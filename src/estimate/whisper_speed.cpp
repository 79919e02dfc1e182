// Whisper on whisper.cpp, the speed side. The encoder runs once per 30-second window over
// 1500 positions: compute-bound matrix products, the same physics (and calibration) as
// llama.cpp's prompt processing, with non-causal attention (every position sees all 1500).
// The decoder emits one transcript token per step: bandwidth-bound like LLM decode, reading
// its matrices, the output projection and the cross-attention cache of the window.
// docs/estimation.md ("Whisper on whisper.cpp").
#include <edgeplan/estimate/calibration.hpp>
#include <edgeplan/estimate/whisper.hpp>

#include <cmath>

namespace edgeplan {

namespace {

constexpr double window_seconds = 30;

} // namespace

Result<WhisperSpeed> estimate_whisper_speed(const WhisperSpeedInputs& in) {
    const WhisperDims& d = in.dims;
    const WhisperParameters p = whisper_parameters(d);
    const double bytes_per_matrix_weight = in.matrix_bits_per_weight / 8.0;

    DeviceShare encoder = in.device;
    // conv1 runs over 3000 frames, conv2 over 1500: as "parameters per position" of a
    // 1500-position pass, conv1 counts twice.
    const double conv1 = 3.0 * d.n_audio_state * d.n_mels;
    encoder.active_parameters = p.encoder_matrices + 2 * conv1 + (p.conv - conv1);
    encoder.weight_bytes = p.encoder_matrices * bytes_per_matrix_weight + p.conv * 2;
    encoder.layers = d.n_audio_layer;
    // The prefill model charges each token half the positions (causal); the encoder attends to
    // all of them, hence 2 x (4 x layers x width).
    encoder.attention_flops_per_context_token = 8.0 * d.n_audio_layer * d.n_audio_state;
    encoder.kv_bytes_per_context_token = 0;
    PrefillInputs prefill;
    prefill.devices = {encoder};
    prefill.prompt_tokens = d.n_audio_ctx;
    prefill.ubatch_tokens = d.n_audio_ctx;
    prefill.batch_tokens = d.n_audio_ctx;
    auto encoded = estimate_prefill(prefill);
    if (!encoded) {
        return encoded.error();
    }

    DeviceShare decoder = in.device;
    const double cross_cache_bytes = 2.0 * d.n_text_layer * d.n_text_state * d.n_audio_ctx * 2;
    decoder.weight_bytes =
        (p.decoder_matrices + p.token_embedding) * bytes_per_matrix_weight + cross_cache_bytes;
    decoder.active_parameters = p.decoder_matrices + p.token_embedding;
    decoder.kv_bytes_per_context_token = 2.0 * d.n_text_layer * d.n_text_state * 2;
    decoder.layers = d.n_text_layer;
    decoder.attention_flops_per_context_token = 4.0 * d.n_text_layer * d.n_text_state;
    auto step = decode_step({decoder}, in.decoder_context);
    if (!step) {
        return step.error();
    }

    auto full = decode_step({decoder}, d.n_text_ctx);
    if (!full) {
        return full.error();
    }

    WhisperSpeed s;
    s.encode_s = encoded->prompt_s;
    s.encoder_positions_per_s = encoded->tokens_per_s;
    s.decode_s_per_token = step->total_s();
    s.decode_tokens_per_s = 1.0 / s.decode_s_per_token;
    s.short_context_tokens = in.decoder_context;
    s.decode_tokens_per_s_full = full->tokens_per_s();
    const double windows = 60.0 / window_seconds;
    const double tokens = 60.0 * in.tokens_per_audio_second;
    s.seconds_per_audio_minute = windows * s.encode_s + tokens * s.decode_s_per_token;
    s.real_time_factor = s.seconds_per_audio_minute / 60.0;
    s.transcript_tokens_per_s = tokens / s.seconds_per_audio_minute;
    return s;
}

std::optional<DeviceShare> whisper_device(const HardwareProfile& profile, bool use_gpu,
                                          std::string& why) {
    if (use_gpu) {
        for (const auto& gpu : profile.gpus) {
            const auto backend = classify_gpu(gpu);
            const bool unified = gpu.memory_kind.value == std::optional<std::string>("unified");
            std::optional<double> bandwidth = gpu.memory_bandwidth_gbps.value;
            if (!bandwidth && unified) {
                bandwidth = profile.memory.bandwidth_gbps.value; // the GPU reads the same DRAM
            }
            if (!backend || !bandwidth || !gpu.fp16_tflops.value) {
                continue;
            }
            DeviceShare d;
            d.device_id = gpu.id;
            d.backend = *backend;
            d.bandwidth_gbps = *bandwidth;
            d.compute_tflops = *gpu.fp16_tflops.value;
            return d;
        }
        why = "no GPU with a known backend, bandwidth and FP16 peak";
        return std::nullopt;
    }
    DeviceShare d;
    d.device_id = "cpu";
    d.backend = BackendClass::cpu;
    if (profile.memory.measured_read_gbps.value) {
        d.bandwidth_gbps = *profile.memory.measured_read_gbps.value;
        d.bandwidth_kind = BandwidthKind::measured;
    } else if (profile.memory.bandwidth_gbps.value) {
        d.bandwidth_gbps = *profile.memory.bandwidth_gbps.value;
    } else {
        why = "system memory bandwidth is unknown"; // the speed models then say so
    }
    const auto per_cycle = cpu_flops_per_cycle(profile.cpu);
    const auto& cores = profile.cpu.cores.value;
    const auto& mhz = profile.cpu.frequency_max_mhz.value;
    if (per_cycle && cores && mhz) {
        d.compute_tflops = *cores * (*mhz / 1000.0) * *per_cycle / 1000.0;
    } else {
        why = "CPU compute peak is unknown (cores, maximum frequency or ISA)";
    }
    return d; // the CPU always exists: memory is planned, unknown peaks make speed unknown
}

} // namespace edgeplan
