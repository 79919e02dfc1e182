// P2/F1/M1: one option through the estimator (fit.hpp), retried with a quantized KV cache
// when memory is tight or the context long, and turned into the Candidate the report shows.
#include "section_text.hpp"
#include "select_internal.hpp"

#include <edgeplan/core/embedding_serving.hpp>
#include <edgeplan/estimate/speed.hpp>
#include <edgeplan/estimate/weights.hpp>

#include <algorithm>

namespace edgeplan::planner_detail {

namespace {

/// F1: system RAM keeps this fraction of its usable memory free. Usable already excludes the
/// OS reserve; this is for what no estimate sees: allocator fragmentation, the page cache of
/// mapped weights, other processes growing. Engineering default (docs/planner.md, F1).
constexpr double min_headroom_fraction = 0.05;
/// M1: a device margin below this fraction of its usable memory counts as tight.
constexpr double tight_margin_fraction = 0.10;
/// M1: from this context on, the KV cache is quantized whenever that still fits.
constexpr int long_context_tokens = 32768;
/// W1: a zone within 10 C of a trip point will throttle sooner: plan on 85 % of sustained.
constexpr double hot_zone_factor = 0.85;

/// The smallest free fraction of system RAM (1 when the plan puts nothing there).
double system_free_fraction(const FitEvaluation& e) {
    double tightest = 1.0;
    for (const auto& d : e.memory.plan.devices) {
        if (d.kind == MemoryDeviceKind::system && d.total_bytes() > 0 && d.usable_bytes > 0) {
            tightest = std::min(tightest, static_cast<double>(d.margin_bytes()) /
                                              static_cast<double>(d.usable_bytes));
        }
    }
    return tightest;
}

/// Fits with headroom: every device within its usable memory, and system RAM with
/// min_headroom_fraction free. GPUs already keep llama.cpp's --fit margin (1 GiB) and paged
/// engines the memory outside their utilisation limit; SSD streaming fills RAM by design
/// (the page cache gives pages back), so only RAM under the other placements is asked.
bool fits(const FitEvaluation& e) {
    const bool ram_filled_by_design = e.memory.plan.strategy == PlacementStrategy::ssd_streaming;
    return e.verdict != FitVerdict::does_not_fit && e.memory.plan.fits &&
           std::all_of(e.memory.plan.devices.begin(), e.memory.plan.devices.end(),
                       [](const DeviceMemoryUse& d) { return d.fits(); }) &&
           (ram_filled_by_design || system_free_fraction(e) >= min_headroom_fraction);
}

double tightest_fraction(const FitEvaluation& e) {
    double tightest = 1.0;
    for (const auto& d : e.memory.plan.devices) {
        if (d.total_bytes() == 0 || d.kind == MemoryDeviceKind::disk || d.usable_bytes == 0) {
            continue;
        }
        tightest = std::min(tightest, static_cast<double>(d.margin_bytes()) /
                                          static_cast<double>(d.usable_bytes));
    }
    return tightest;
}

/// The canonical id of a quantization id or alias ("fp8" -> "fp8-e4m3-per-tensor").
std::string canonical_quantization(const std::string& id, const Catalog& catalog) {
    const QuantizationRef ref = catalog.find_quantization(id);
    return ref.preset ? ref.preset->id : ref.format ? ref.format->id : id;
}

/// The 8-bit KV cache an option's engine takes (M1), as it spells it.
const char* quantized_kv(const Option& option) {
    if (option.weights_format == "gguf") {
        return "q8_0";
    }
    return option.fit_engine == FitEngine::mlx_lm ? "8" : "fp8";
}

std::string device_description(const DeviceMemoryUse& use, const HardwareProfile& profile) {
    for (const auto& gpu : profile.gpus) {
        if (gpu.id == use.device) {
            std::string text = gpu.model.value.value_or(gpu.vendor.value.value_or("GPU"));
            if (gpu.memory_total_bytes.value) {
                text +=
                    " (" + bytes_text(*gpu.memory_total_bytes.value) +
                    (gpu.memory_kind.value == std::optional<std::string>("unified") ? " unified)"
                                                                                    : " VRAM)");
            }
            return text;
        }
    }
    if (use.kind == MemoryDeviceKind::system) {
        return "system RAM" + (profile.memory.total_bytes.value
                                   ? " (" + bytes_text(*profile.memory.total_bytes.value) + ")"
                                   : std::string());
    }
    return "models disk (weights streamed)";
}

/// Paged engines on a multi-GPU host: the GPUs used and the ones left free.
std::string tensor_parallel_text(const FitMemory& m) {
    const int free_gpus = m.gpus_available - m.tensor_parallel;
    return "full GPU, tensor parallel " + std::to_string(m.tensor_parallel) + " of " +
           std::to_string(m.gpus_available) + " GPUs" +
           (free_gpus > 0 ? ", " + std::to_string(free_gpus) + " free for replicas" : "");
}

/// TTFT of the last of `streams` requests that arrive at once: prefill is compute-bound, so
/// batching the prompts does not raise its rate and they are done after streams x prompt /
/// prefill (docs/estimation.md, "Concurrency"); one decode step follows, as for one stream.
std::optional<double> ttft_when_arriving_together(const SpeedProjection& speed,
                                                  int prompt_tokens, int streams) {
    if (!speed.ttft_ms || !speed.prefill_tokens_per_s || *speed.prefill_tokens_per_s <= 0) {
        return std::nullopt;
    }
    const double prompt_ms = 1000.0 * prompt_tokens / *speed.prefill_tokens_per_s;
    return *speed.ttft_ms + (streams - 1) * prompt_ms;
}

} // namespace

std::string placement_text(const FitEvaluation& e) {
    const MemoryPlan& p = e.memory.plan;
    const int layers = e.settings.model->architecture.layers.value_or(0);
    switch (p.strategy) {
    case PlacementStrategy::gpu_full:
        return e.memory.gpus_available > 1 ? tensor_parallel_text(e.memory) : "full GPU";
    case PlacementStrategy::moe_experts_on_cpu:
        return "GPU, experts of " + std::to_string(p.cpu_moe_layers) + "/" +
               std::to_string(layers) + " layers in RAM";
    case PlacementStrategy::gpu_partial:
        return "partial offload " + std::to_string(p.gpu_layers) + "/" +
               std::to_string(layers + 1) + " layers on GPU";
    case PlacementStrategy::cpu_only:
        return "CPU only";
    case PlacementStrategy::ssd_streaming:
        return "SSD streaming";
    case PlacementStrategy::automatic:
        break;
    }
    return to_string(p.strategy);
}

Candidate candidate_from(const Option& option, const FitEvaluation& e, const PlanRequest& request,
                         const PlatformFacts& facts, const HardwareProfile& profile,
                         const Catalog& catalog) {
    (void)catalog;
    Candidate c;
    const Model& m = *option.model;
    c.model_id = m.id;
    c.model_name = m.name;
    c.quantization = e.settings.quantization;
    c.engine_id = option.engine->id;
    c.placement = placement_text(e);
    c.parameters = m.parameters_total.value_or(e.memory.weight_parameters);
    c.weights_file_bytes = e.memory.weight_bytes;
    c.weights_file_parameters = e.memory.weight_parameters;
    for (const auto& use : e.memory.plan.devices) {
        if (use.total_bytes() == 0) {
            continue;
        }
        DeviceMemory d;
        d.device = use.device;
        d.description = device_description(use, profile);
        d.weights_bytes = use.weights_bytes;
        d.kv_cache_bytes = use.kv_bytes;
        d.compute_bytes = use.compute_bytes;
        d.overhead_bytes = use.overhead_bytes;
        d.total_bytes = use.total_bytes();
        d.usable_bytes = use.usable_bytes;
        d.margin_bytes = use.margin_bytes();
        d.fits = use.fits();
        const auto device = std::find_if(
            e.memory.devices.begin(), e.memory.devices.end(),
            [&](const MemoryDevice& budget) { return budget.id == use.device; });
        d.counted_in_system = device != e.memory.devices.end() && device->shares_system_memory;
        c.memory.push_back(std::move(d));
    }
    const FitSpeed& s = e.speed;
    c.speed.decode_tokens_per_s_short = s.decode_short_tokens_per_s.value;
    c.speed.decode_tokens_per_s_full = s.decode_full_tokens_per_s.value;
    c.speed.short_context_tokens = static_cast<int>(s.short_context_tokens);
    c.speed.prefill_tokens_per_s = s.prefill_tokens_per_s.value;
    if (s.ttft_s.value) {
        c.speed.ttft_ms = *s.ttft_s.value * 1000.0;
    }
    if (s.decode_short_tokens_per_s.value && *s.decode_short_tokens_per_s.value > 0) {
        c.speed.tpot_ms = 1000.0 / *s.decode_short_tokens_per_s.value;
        PowerInputs p;
        p.tdp_watts = profile.power.tdp_watts.value;
        p.sustained_fraction = profile.power.sustained_fraction.value;
        p.cooling = facts.passive_cooling         ? Cooling::passive
                    : profile.power.cooling.value ? Cooling::active
                                                  : Cooling::unknown;
        p.peak_tokens_per_s = *s.decode_short_tokens_per_s.value;
        if (auto power = estimate_power(p)) {
            double sustained = power->sustained_tokens_per_s;
            if (facts.hot_zone) {
                sustained *= hot_zone_factor;
            }
            c.speed.sustained_tokens_per_s = sustained;
            c.speed.joules_per_token = power->joules_per_token_sustained;
        }
    } else {
        c.speed.unknown_reason = s.decode_short_tokens_per_s.unknown_reason;
    }
    for (const auto& row : s.concurrency) {
        LoadPoint lp;
        lp.streams = row.streams;
        lp.aggregate_tokens_per_s = row.aggregate_tokens_per_s;
        lp.per_stream_tokens_per_s = row.per_stream_tokens_per_s;
        lp.tpot_ms = row.tpot_s * 1000.0;
        lp.ttft_ms = ttft_when_arriving_together(c.speed, e.settings.prompt_tokens, row.streams);
        c.load.push_back(lp);
    }
    c.max_concurrent_sequences = e.memory.max_sequences;
    c.quality = option.quality;
    c.quality_basis = option.quality_basis;
    c.fits = fits(e);

    DeploymentSettings& d = c.settings;
    d.engine_id = option.engine->id;
    const bool on_gpu =
        e.memory.plan.gpu_layers > 0 || e.memory.plan.strategy == PlacementStrategy::gpu_full;
    d.backend = option.weights_format == "mlx"                   ? "metal"
                : on_gpu && facts.kind != PlatformKind::cpu_only ? facts.backend
                                                                 : "cpu";
    d.weights_format = option.weights_format;
    d.quantization = c.quantization;
    if (option.artifact != nullptr) {
        d.artifact_repository = option.artifact->repository;
        // The file of this quantization, where the catalogue recorded its name.
        for (const auto& [quant, file] : option.artifact->files) {
            if (option.artifact_has_quant &&
                canonical_quantization(quant, catalog) == option.quantization) {
                d.artifact_file = file;
            }
        }
    }
    if (e.settings.file != nullptr) {
        d.local_file = e.settings.file->path; // --model-file: the user's own file
    }
    for (const auto& a : m.artifacts) {
        if (a.format == "ollama" && a.tag &&
            (option.fit_engine == FitEngine::llama_cpp || option.fit_engine == FitEngine::ollama)) {
            d.ollama_tag = a.tag;
            break;
        }
    }
    d.context_tokens = e.settings.context_tokens;
    d.gpu_layers = e.memory.plan.gpu_layers;
    d.total_layers = m.architecture.layers.value_or(0) + 1;
    d.cpu_moe_layers = e.memory.plan.cpu_moe_layers;
    d.kv_cache_type = e.settings.kv_type;
    d.flash_attention = e.settings.flash_attention == FlashAttention::on;
    const bool cpu_work =
        d.backend == "cpu" || d.gpu_layers < d.total_layers || e.memory.plan.cpu_moe_layers > 0;
    d.threads = cpu_work ? facts.performance_cores : 0;
    d.parallel_slots = request.concurrency;
    d.port = option.engine->serving.default_port.value_or(8080);
    d.mmap = engine_model(option.fit_engine).ssd_streaming && option.weights_format == "gguf";
    if (option.fit_engine == FitEngine::vllm || option.fit_engine == FitEngine::tensorrt_llm) {
        // vLLM's --gpu-memory-utilization / TensorRT-LLM's free_gpu_memory_fraction: the
        // defaults (0.9) the estimator's KV pool assumes.
        d.gpu_memory_utilization = engine_model(option.fit_engine).kv_pool_fraction;
    }
    d.lora_adapters = request.lora_adapters;
    return c;
}

Evaluated evaluate_option(const Option& option, const PlanRequest& request,
                          const PlatformFacts& facts, const HardwareProfile& profile,
                          const Catalog& catalog) {
    Evaluated out;
    FitRequest req;
    req.model = option.model;
    req.quantization = option.quantization;
    req.engine = option.fit_engine;
    req.context_tokens = option.context_tokens;
    req.concurrency = request.concurrency;
    req.prompt_tokens = std::min(request.prompt_tokens, option.context_tokens);
    const bool embedding = request.task == "embedding" && option.engine->id == "llama.cpp";
    if (embedding) {
        // llama-server embeds one input per micro-batch; with the lm_head still in the graph
        // the compute buffer grows with -ub (llama.cpp issue #24713).
        req.ubatch_tokens =
            llama_cpp_embedding_batch(option.context_tokens, FitSettings{}.ubatch_tokens);
    }
    auto settings = resolve_fit_settings(req, profile, catalog);
    if (!settings) {
        out.why = "P2: " + settings.error().message;
        return out;
    }
    auto base = evaluate_fit(*settings, profile, catalog);
    if (!base) {
        out.why = "P2: " + base.error().message;
        return out;
    }
    FitEvaluation chosen = std::move(*base);
    const bool base_fits = fits(chosen);
    const Engine& engine = *option.engine;
    const auto kvq = engine.features.find("kv_quantization");
    const bool can_quantize_kv = kvq != engine.features.end() && kvq->second.value_or(false);
    const bool tight = !base_fits || tightest_fraction(chosen) < tight_margin_fraction;
    if (can_quantize_kv && (tight || option.context_tokens >= long_context_tokens) &&
        chosen.memory.kv_bytes > 0) {
        FitRequest kv_req = req;
        kv_req.kv_type = quantized_kv(option);
        if (auto s = resolve_fit_settings(kv_req, profile, catalog)) {
            if (auto q = evaluate_fit(*s, profile, catalog); q && fits(*q)) {
                chosen = std::move(*q);
            }
        }
    }
    if (fits(chosen)) {
        chosen = faster_tensor_parallel(std::move(chosen), request, profile, catalog);
    }
    if (!fits(chosen)) {
        out.failed = req;
        std::string shortage;
        for (const auto& sf : chosen.shortfall) {
            shortage += (shortage.empty() ? "" : ", ") + sf.device + " needs " +
                        bytes_text(sf.needed_bytes) + " of " + bytes_text(sf.usable_bytes);
        }
        out.why = "F1: does not fit" + (shortage.empty() ? std::string() : " (" + shortage + ")");
        if (shortage.empty() && chosen.memory.plan.fits) {
            out.why = "F1: system RAM margin " + percent_text(system_free_fraction(chosen)) +
                      " of usable, under the " + percent_text(min_headroom_fraction) +
                      " kept free for fragmentation";
        }
        return out;
    }
    if (uses_paged_kv(option) && chosen.memory.plan.strategy != PlacementStrategy::gpu_full) {
        out.why = "E1: " + option.engine->name + " needs the whole model in VRAM";
        return out;
    }
    Scored s;
    s.option = option;
    s.candidate = candidate_from(option, chosen, request, facts, profile, catalog);
    if (embedding) {
        s.candidate.settings.ubatch_tokens = chosen.settings.ubatch_tokens;
        s.candidate.settings.batch_tokens =
            std::max(s.candidate.settings.batch_tokens, chosen.settings.ubatch_tokens);
    }
    s.evaluation = std::move(chosen);
    out.scored = std::move(s);
    return out;
}

} // namespace edgeplan::planner_detail
