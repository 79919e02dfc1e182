#pragma once

// The planner's answer, as plain data: what the seven-section report shows. The planner
// (src/planner) fills it from the estimator's results; the report (src/report) renders it
// as Markdown or JSON without computing anything. Sizes in bytes, rates per second.

#include <edgeplan/core/hardware_profile.hpp>
#include <edgeplan/core/request.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace edgeplan {

/// Version of the plan's JSON document (data/schema/plan.schema.json).
inline constexpr int plan_schema_version = 1;

/// One device's memory under the plan: weights + KV cache + runtime = total, vs usable.
struct DeviceMemory {
    std::string device;      ///< "gpu0", "system", "disk"
    std::string description; ///< "NVIDIA GeForce RTX 4090 (24 GiB VRAM)"
    std::uint64_t weights_bytes = 0;
    std::uint64_t kv_cache_bytes = 0;
    std::uint64_t compute_bytes = 0;  ///< activation / compute buffers
    std::uint64_t overhead_bytes = 0; ///< runtime context, output buffer, reserves
    std::uint64_t total_bytes = 0;
    std::uint64_t usable_bytes = 0;   ///< capacity after OS reserve, working-set limit, margin
    std::int64_t margin_bytes = 0;    ///< usable - total; negative: does not fit
    bool fits = false;
    /// A unified-memory GPU (Apple, Strix Halo, Jetson, GB10): its bytes come out of system
    /// RAM and are also in the "system" row, so sums over devices must skip it.
    bool counted_in_system = false;
};

/// Throughput and latency of one configuration; unknown stays nullopt with a reason.
struct SpeedProjection {
    std::optional<double> decode_tokens_per_s_short; ///< at a short context
    std::optional<double> decode_tokens_per_s_full;  ///< at the configured context
    int short_context_tokens = 0;
    std::optional<double> prefill_tokens_per_s;
    std::optional<double> ttft_ms;      ///< for the request's prompt
    std::optional<double> tpot_ms;      ///< time per output token, short context
    std::optional<double> sustained_tokens_per_s; ///< under the power/thermal budget
    std::optional<double> joules_per_token;
    std::optional<std::string> unknown_reason;
    /// Speech-to-text on an encoder-decoder engine (whisper.cpp): transcript tokens per
    /// wall-clock second including the encoder, which S1 compares with the target.
    std::optional<double> transcript_tokens_per_s;
    std::optional<double> audio_encode_ms;          ///< one 30-second window through the encoder
    std::optional<double> seconds_per_audio_minute; ///< time to transcribe 60 s of speech
    std::optional<double> real_time_factor;         ///< processing time / audio time
    /// Speech: one 30 s window encoded and its transcript tokens decoded (first text out).
    std::optional<double> first_segment_ms;
    std::optional<double> tokens_per_window; ///< speech: transcript tokens per 30 s window
    /// Text-to-speech (sherpa-onnx): seconds of audio per wall-clock second (1 / RTF), which
    /// S1 compares with the real-time target; set only for a synthesiser.
    std::optional<double> audio_speed_multiple;
    std::optional<double> first_audio_ms;         ///< TTS: first sentence synthesised
    std::optional<double> first_sentence_audio_s; ///< TTS: the sentence first_audio_ms is for
};

/// Aggregate and per-stream speed at one concurrency level.
struct LoadPoint {
    int streams = 1;
    double aggregate_tokens_per_s = 0;
    double per_stream_tokens_per_s = 0;
    double tpot_ms = 0;
    std::optional<double> ttft_ms;
};

/// The engine settings a deployment uses; the config writers turn them into files.
struct DeploymentSettings {
    std::string engine_id;           ///< catalogue engine id
    std::string backend;             ///< "cuda", "metal", "cpu", "vulkan", "rocm"...
    std::string weights_format;      ///< "gguf", "mlx", "safetensors"...
    std::string quantization;        ///< catalogue quantization id
    std::optional<std::string> artifact_repository; ///< where to fetch the weights
    std::optional<std::string> artifact_file;       ///< file within the repository
    /// A GGUF file the user already holds (--model-file): loaded as named, nothing fetched.
    std::optional<std::string> local_file;
    std::optional<std::string> ollama_tag;
    /// Context of one sequence (what each request may use). Engines that size one shared
    /// cache for all slots get context_tokens x parallel_slots (llama.cpp -c).
    int context_tokens = 0;
    int gpu_layers = 0;              ///< llama.cpp -ngl (0: CPU only)
    int total_layers = 0;
    int cpu_moe_layers = 0;          ///< --n-cpu-moe (experts of the first N layers in RAM)
    std::string kv_cache_type = "f16";
    bool flash_attention = false;
    int threads = 0;
    int batch_tokens = 2048;
    int ubatch_tokens = 512;
    int parallel_slots = 1;
    int port = 8080;
    std::string host = "127.0.0.1";
    bool mmap = true;
    bool ssd_streaming = false;
    std::optional<double> gpu_memory_utilization; ///< vLLM
    bool prefix_caching = false;
    bool chunked_prefill = false;
    std::optional<std::string> draft_model_id;     ///< speculative decoding
    std::optional<std::string> draft_quantization;
    int draft_tokens = 0;
    std::vector<std::string> lora_adapters;
    // NPU runtimes (E1-npu; nullopt on the GPU/CPU routes): what a Genie / OpenVINO / ONNX
    // Runtime GenAI / Core ML config writer needs besides the artifact repository.
    std::optional<std::string> npu_accelerator;  ///< "npu-hexagon", "npu-intel", "npu-amd"...
    std::optional<std::string> target_chipset;   ///< chip the context binaries are compiled for
    std::optional<int> compiled_context_tokens;  ///< fixed context of the compiled graph
    std::optional<int> prompt_chunk_tokens;      ///< prompt-processor pass width (Genie: 128)
};

/// A model x quantization x engine x placement the planner considered.
struct Candidate {
    std::string model_id;
    std::string model_name;
    std::string quantization;
    std::string engine_id;
    std::string placement;           ///< "full GPU", "partial offload 28/32 layers", "CPU only"...
    std::uint64_t parameters = 0;
    /// The weights' own size (the file's tensor data). On unified memory the breakdown lists
    /// them on the GPU and on the host, so a sum over devices counts them twice; 0 where the
    /// route does not know it (then the device sum stands in).
    std::uint64_t weights_file_bytes = 0;
    /// Elements of those tensors (bits per weight = 8 x bytes / this); 0 where unknown.
    std::uint64_t weights_file_parameters = 0;
    std::vector<DeviceMemory> memory;
    SpeedProjection speed;
    std::vector<LoadPoint> load;     ///< 1..N concurrent streams
    int max_concurrent_sequences = 0;
    std::optional<double> quality;   ///< task score x quantization retention, 0..100
    std::string quality_basis;       ///< "MMLU-Pro 48.3 (source) x Q4_K_M retention 0.99"
    double score = 0;                ///< planner's total score (documented weights)
    bool fits = false;
    std::vector<std::string> lost_because; ///< for runner-ups and rejects: rule ids + reason
    /// For Plan::alternatives only: the concrete change from the request that makes this
    /// candidate, e.g. "Q4_K_M -> IQ3_M" or "context 32768 -> 8192"; nullopt elsewhere.
    std::optional<std::string> change;
    DeploymentSettings settings;

    /// Memory the candidate occupies in RAM and VRAM: every row but "disk", and a unified
    /// GPU's row once (its bytes are also in the system row).
    [[nodiscard]] std::uint64_t resident_bytes() const {
        std::uint64_t total = 0;
        for (const DeviceMemory& d : memory) {
            total += d.device == "disk" || d.counted_in_system ? 0 : d.total_bytes;
        }
        return total;
    }
};

/// One rule's decision, shown as "why this, and why not the runner-ups".
struct RuleFiring {
    std::string rule_id;  ///< e.g. "P1-offline", "F2-headroom", "Q3-fidelity"
    std::string outcome;  ///< "chose", "rejected", "flagged", "adjusted", "noted"
    std::string subject;  ///< what it applied to: a model, an engine, a setting
    std::string detail;   ///< one sentence with the numbers
};

struct Risk {
    std::string id;
    std::string title;      ///< what can go wrong, in one line
    std::string likelihood; ///< "low", "medium", "high"
    std::string impact;     ///< "low", "medium", "high"
    std::string mitigation;
    /// The evidence behind the title (catalogue facts, figures); "" when the title says it
    /// all. Markdown shows it in brackets after the title; JSON as "detail" when present.
    std::string detail;
};

struct VerificationStep {
    std::string purpose;
    std::string command;
    std::string expect; ///< the projected figure to compare with
};

/// A file a note asks the user to save as it is (a systemd unit, a launchd plist).
struct NoteFile {
    std::string path;     ///< where it goes: "/etc/systemd/system/edgeplan-batch.timer"
    std::string language; ///< fence language: "ini", "xml"
    std::string content;  ///< ends with a newline
};

/// Free-text sections with their facts: hybrid cloud, security at rest, lifecycle.
struct PlanNote {
    std::string title;
    std::vector<std::string> lines;
    std::vector<NoteFile> files; ///< shown after the lines, each as a code block
};

struct Plan {
    int schema_version = plan_schema_version;
    PlanRequest request;
    HardwareProfile hardware;
    bool approved = false;              ///< something fits with headroom and meets the rules
    std::string verdict;                ///< one line: what, or why nothing fits
    /// Not approved because no catalogue engine with a memory model serves the task (text-to-
    /// speech today): not a memory shortfall, so the report says so instead of "nothing fits".
    bool task_unserved = false;
    std::optional<Candidate> chosen;
    std::vector<Candidate> runner_ups;
    std::vector<Candidate> alternatives; ///< when nothing fits: concrete changes that would
    std::vector<RuleFiring> trace;
    std::vector<Risk> risks;
    std::vector<VerificationStep> verification;
    std::vector<PlanNote> notes;        ///< hybrid cloud-edge, security at rest, lifecycle...
};

} // namespace edgeplan
