// Speech-to-text with Whisper on whisper.cpp (docs/planner.md, "Speech-to-text"). whisper.cpp
// keeps the whole model on one device (no layer split), so each option is either "full GPU"
// or "CPU only"; memory is what whisper_init_state allocates, speed the encoder window plus
// the transcript tokens, and the option is scored with the same weights as any other.
#include "speech_route.hpp"

#include "section_text.hpp"

#include <edgeplan/estimate/memory.hpp>
#include <edgeplan/estimate/whisper.hpp>

#include <algorithm>

namespace edgeplan::planner_detail {

namespace {

/// whisper-server's defaults the plan keeps (server.cpp at 0349811d): --best-of 2 (two
/// decoders on temperature fallback), one processor, flash attention on.
constexpr int server_decoders = 2;
constexpr int server_processors = 1;

const Artifact* ggml_artifact(const Model& model) {
    for (const auto& a : model.artifacts) {
        if (a.format == "ggml") {
            return &a;
        }
    }
    return nullptr;
}

/// ggml type of a preset id (F16 -> f16, Q5_0 -> q5_0) and its bits per weight.
std::optional<double> matrix_bits(const std::string& quantization, const Catalog& catalog) {
    const GgmlType* type = catalog.find_ggml_type(lower(quantization));
    return type != nullptr ? std::optional<double>(type->bits_per_weight) : std::nullopt;
}

/// "ggml-large-v3-turbo-q5_0.bin": the file names of ggerganov/whisper.cpp.
std::string ggml_file(const Model& model, const std::string& quantization) {
    std::string size = model.id;
    if (size.rfind("whisper-", 0) == 0) {
        size = size.substr(8);
    }
    return "ggml-" + size + (quantization == "F16" ? "" : "-" + lower(quantization)) + ".bin";
}

std::string backend_name(BackendClass backend, const PlatformFacts& facts) {
    switch (backend) {
    case BackendClass::cuda_discrete:
        return "cuda";
    case BackendClass::apple_metal:
        return "metal";
    case BackendClass::integrated_gpu:
        return facts.backend == "cuda" ? "cuda" : "vulkan";
    case BackendClass::cpu:
        break;
    }
    return "cpu";
}

const MemoryDevice* find_device(const std::vector<MemoryDevice>& devices, const std::string& id) {
    for (const auto& d : devices) {
        if (d.id == id) {
            return &d;
        }
    }
    return nullptr;
}

DeviceMemory device_use(const MemoryDevice& device, std::string description,
                        std::uint64_t weights, std::uint64_t kv, std::uint64_t compute,
                        std::uint64_t overhead) {
    DeviceMemory d;
    d.device = device.id;
    d.description = std::move(description);
    d.weights_bytes = weights;
    d.kv_cache_bytes = kv;
    d.compute_bytes = compute;
    d.overhead_bytes = overhead;
    d.total_bytes = weights + kv + compute + overhead;
    d.usable_bytes = device.usable_bytes();
    d.margin_bytes =
        static_cast<std::int64_t>(d.usable_bytes) - static_cast<std::int64_t>(d.total_bytes);
    d.fits = d.margin_bytes >= 0;
    return d;
}

std::string gpu_description(const HardwareProfile& profile, const std::string& id) {
    for (const auto& gpu : profile.gpus) {
        if (gpu.id == id) {
            return gpu.model.value.value_or(gpu.vendor.value.value_or("GPU"));
        }
    }
    return "GPU";
}

} // namespace

std::optional<WholeModelRoute> place_whole_model(const HardwareProfile& profile,
                                                 const std::vector<MemoryDevice>& devices,
                                                 bool gpu, std::uint64_t weights, std::uint64_t kv,
                                                 std::uint64_t compute, std::uint64_t host_bytes,
                                                 std::string& why) {
    auto device = whisper_device(profile, gpu, why);
    if (!device) {
        return std::nullopt;
    }
    const MemoryDevice* system = find_device(devices, "system");
    if (system == nullptr) {
        why = "system memory size is unknown";
        return std::nullopt;
    }
    WholeModelRoute r;
    r.device = *device;
    const std::string ram = "system RAM";
    if (gpu) {
        const MemoryDevice* vram = find_device(devices, device->device_id);
        if (vram == nullptr) {
            why = device->device_id + " memory size is unknown";
            return std::nullopt;
        }
        DeviceMemory on_gpu =
            device_use(*vram, gpu_description(profile, vram->id), weights, kv, compute, 0);
        // Unified memory: the GPU's bytes come out of the same RAM as the host buffers.
        const std::uint64_t shared = vram->shares_system_memory ? on_gpu.total_bytes : 0;
        on_gpu.counted_in_system = vram->shares_system_memory;
        DeviceMemory host = device_use(*system, ram, 0, 0, 0, host_bytes + shared);
        r.fits = on_gpu.fits && host.fits;
        r.memory = {on_gpu, host};
    } else {
        DeviceMemory host = device_use(*system, ram, weights, kv, compute, host_bytes);
        r.fits = host.fits;
        r.memory = {host};
    }
    return r;
}

namespace {

Candidate candidate(const Model& model, const std::string& quantization,
                    const WholeModelRoute& route,
                    const WhisperSpeed& speed, const PlanRequest& request,
                    const PlatformFacts& facts, const Engine& engine, const Artifact& artifact,
                    bool gpu) {
    Candidate c;
    c.model_id = model.id;
    c.model_name = model.name;
    c.quantization = quantization;
    c.engine_id = engine.id;
    c.placement = gpu ? "full GPU" : "CPU only";
    c.parameters = model.parameters_total.value_or(0);
    c.memory = route.memory;
    c.fits = route.fits;
    SpeedProjection& s = c.speed;
    s.decode_tokens_per_s_short = speed.decode_tokens_per_s;
    s.decode_tokens_per_s_full = speed.decode_tokens_per_s_full;
    s.short_context_tokens = static_cast<int>(speed.short_context_tokens);
    s.prefill_tokens_per_s = speed.encoder_positions_per_s;
    s.ttft_ms = (speed.encode_s + speed.decode_s_per_token) * 1000.0;
    s.tpot_ms = speed.decode_s_per_token * 1000.0;
    s.transcript_tokens_per_s = speed.transcript_tokens_per_s;
    s.audio_encode_ms = speed.encode_s * 1000.0;
    s.seconds_per_audio_minute = speed.seconds_per_audio_minute;
    s.real_time_factor = speed.real_time_factor;
    s.first_segment_ms = speed.first_segment_s * 1000.0;
    s.tokens_per_window = speed.tokens_per_window;
    DeploymentSettings& d = c.settings;
    d.engine_id = engine.id;
    d.backend = backend_name(route.device.backend, facts);
    d.weights_format = "ggml";
    d.quantization = quantization;
    d.artifact_repository = artifact.repository;
    d.artifact_file = ggml_file(model, quantization);
    d.context_tokens = model.architecture.max_context_tokens.value_or(448);
    d.flash_attention = true;
    d.threads = facts.performance_cores;
    d.parallel_slots = server_processors;
    d.port = engine.serving.default_port.value_or(8080);
    d.mmap = false;
    (void)request;
    return c;
}

} // namespace

bool routed_to_whisper_cpp(const Model& model) {
    return model.architecture.kind == std::optional<std::string>("encoder-decoder") &&
           ggml_artifact(model) != nullptr && static_cast<bool>(whisper_dims(model));
}

void add_whisper_options(const PlanRequest& request, const PlatformFacts& facts,
                         const HardwareProfile& profile, const Catalog& catalog, Plan& plan,
                         std::vector<Scored>& scored) {
    if (request.task != "speech-to-text") {
        return;
    }
    const Engine* engine = catalog.find_engine(whisper_cpp_id);
    if (engine == nullptr || (request.engine && *request.engine != whisper_cpp_id)) {
        return;
    }
    if (request.keeps_data_local() && (engine->cloud_only || engine->telemetry != "none")) {
        fire(plan, "P1-offline", "rejected", engine->id,
             "telemetry '" + engine->telemetry + "' in the catalogue");
        return;
    }
    if (std::find(engine->platforms.begin(), engine->platforms.end(), facts.os) ==
        engine->platforms.end()) {
        fire(plan, "E1-engine", "rejected", engine->id, engine->name + " does not run on " + facts.os);
        return;
    }
    const std::vector<MemoryDevice> devices = memory_devices(profile, BudgetRules{});
    const bool try_gpu = facts.kind != PlatformKind::cpu_only;
    std::vector<std::string> refused;
    int evaluated = 0;
    int fitting = 0;
    for (const auto& model : catalog.models) {
        if ((request.model && model.id != *request.model) || !routed_to_whisper_cpp(model)) {
            continue;
        }
        const Artifact& artifact = *ggml_artifact(model);
        const WhisperDims dims = *whisper_dims(model);
        const WhisperParameters params = whisper_parameters(dims);
        const TaskQuality tq = task_quality(model, request.task, catalog);
        for (const auto& q : artifact.quantizations) {
            if (request.quant && lower(*request.quant) != lower(q)) {
                continue;
            }
            const auto bits = matrix_bits(q, catalog);
            if (!bits) {
                continue;
            }
            ++evaluated;
            const std::uint64_t weights = whisper_weight_bytes(params, *bits);
            const WhisperMemory m =
                whisper_memory({dims, server_decoders, server_processors, true});
            std::string why;
            bool gpu = try_gpu;
            std::optional<WholeModelRoute> route;
            const auto place = [&](bool on_gpu) {
                return place_whole_model(profile, devices, on_gpu, weights, m.kv_total(),
                                         m.compute_total(), m.host_logits, why);
            };
            if (gpu) {
                route = place(true);
                if (!route || !route->fits) {
                    gpu = false; // whisper.cpp does not split a model: all on the GPU or none
                }
            }
            if (!gpu) {
                route = place(false);
            }
            if (!route || !route->fits) {
                refused.push_back(model.id + " " + q + (route ? " (does not fit)" : " (" + why + ")"));
                continue;
            }
            WhisperSpeedInputs in;
            in.dims = dims;
            in.device = route->device;
            in.matrix_bits_per_weight = *bits;
            auto speed = estimate_whisper_speed(in);
            if (!speed) {
                refused.push_back(model.id + " " + q + " (" + speed.error().message + ")");
                continue;
            }
            Scored s;
            s.option.model = &model;
            s.option.engine = engine;
            s.option.quantization = q;
            s.option.weights_format = "ggml";
            s.option.artifact = &artifact;
            s.option.artifact_has_quant = true;
            s.option.context_tokens = dims.n_text_ctx;
            s.option.retention = quantization_retention(q, catalog);
            s.option.quality = tq.score * s.option.retention.retention;
            s.option.quality_estimated = tq.estimated;
            s.option.quality_basis =
                tq.basis + "; x " + s.option.retention.basis + " = " + number_text(s.option.quality);
            s.candidate =
                candidate(model, q, *route, *speed, request, facts, *engine, artifact, gpu);
            s.candidate.quality = s.option.quality;
            s.candidate.quality_basis = s.option.quality_basis;
            score(s, request, facts);
            if (speed->real_time_factor > 1.0) {
                // Speech arrives in real time: a transcriber slower than that falls further
                // behind with every minute, so keeping up is a requirement, not a preference.
                s.meets_user_targets = false;
                s.misses.push_back("S1: slower than real time (60 s of speech take " +
                                   number_text(speed->seconds_per_audio_minute) +
                                   " s, real-time factor " + number_text(speed->real_time_factor) +
                                   ")");
            }
            scored.push_back(std::move(s));
            ++fitting;
        }
    }
    fire(plan, "P2-memory-breakdown", "noted", engine->id,
         std::to_string(evaluated) + " Whisper option(s) evaluated with the whisper.cpp memory "
         "model (weights, self/cross/pad KV caches, four compute buffers): " +
             std::to_string(fitting) + " fit");
    if (!refused.empty()) {
        fire(plan, "F1-headroom", "rejected", std::to_string(refused.size()) + " Whisper options",
             join(refused, "; "));
    }
}

bool task_has_modelled_model(const PlanRequest& request, const Catalog& catalog) {
    for (const auto& m : catalog.models) {
        if ((request.model && m.id != *request.model) ||
            std::find(m.tasks.begin(), m.tasks.end(), request.task) == m.tasks.end()) {
            continue;
        }
        const std::string kind = m.architecture.kind.value_or("");
        const bool encoder = kind == "encoder" || kind == "encoder-decoder";
        if (routed_to_whisper_cpp(m) || (encoder && m.architecture.gguf_architecture &&
                                         m.parameters_total && m.architecture.layers) ||
            (!encoder && m.architecture.layers)) {
            return true;
        }
    }
    return false;
}

std::string unserved_task_verdict(const PlanRequest& request, const Catalog& catalog, Plan& plan) {
    std::vector<std::string> models;
    for (const auto& m : catalog.models) {
        if (std::find(m.tasks.begin(), m.tasks.end(), request.task) != m.tasks.end() &&
            (!request.model || m.id == *request.model)) {
            models.push_back(m.id);
        }
    }
    const std::string what =
        models.empty() ? "no catalogue model lists " + request.task
                       : join(models, ", ") + " serve " + request.task +
                             " but run on runtimes the estimator has no memory model for (their "
                             "catalogue entries name them: edgeplan catalog show <model>)";
    fire(plan, "P2-memory-breakdown", "flagged", request.task,
         "no catalogue engine with a memory model serves " + request.task + ": " + what +
             "; this is not a memory shortfall, so no smaller alternative is searched");
    return "no modelled engine serves " + request.task + " (not a memory shortfall): " + what;
}

} // namespace edgeplan::planner_detail
