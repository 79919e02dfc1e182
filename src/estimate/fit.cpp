// `fit`: one evaluation (memory plan -> speed -> verdict) and, when the request does not
// fit in memory, the search for concrete alternatives that do: a lower-bit quantization,
// a shorter context, a quantized KV cache, llama.cpp offload for vLLM/MLX, a smaller model
// of the same family, and SSD streaming as the last resort.
#include "fit_internal.hpp"

#include <edgeplan/estimate/model_tensors.hpp>

#include <algorithm>
#include <cstdio>

namespace edgeplan {

namespace {

using fit_detail::estimate_fit_speed;
using fit_detail::plan_fit_memory;
using fit_detail::weight_tensors;

bool has_gpu(const std::vector<MemoryDevice>& devices) {
    return std::any_of(devices.begin(), devices.end(),
                       [](const MemoryDevice& d) { return d.kind == MemoryDeviceKind::gpu; });
}

FitVerdict verdict_of(const MemoryPlan& plan, const std::vector<MemoryDevice>& devices) {
    if (!plan.fits || plan.strategy == PlacementStrategy::ssd_streaming) {
        return FitVerdict::does_not_fit;
    }
    if (plan.strategy == PlacementStrategy::gpu_full ||
        (plan.strategy == PlacementStrategy::cpu_only && !has_gpu(devices))) {
        return FitVerdict::fits;
    }
    return FitVerdict::fits_with_offload;
}

std::vector<FitShortfall> shortfall_of(const MemoryPlan& plan) {
    std::vector<FitShortfall> out;
    for (const auto& use : plan.devices) {
        if (!use.fits()) {
            out.push_back({use.device, use.total_bytes(), use.usable_bytes});
        }
    }
    return out;
}

/// Evaluates `settings` with `strategy` (automatic: the engine's own order).
Result<FitEvaluation> evaluate(const FitSettings& settings, const HardwareProfile& profile,
                               const Catalog& catalog, PlacementStrategy strategy) {
    auto list = llama_cpp_tensor_list(settings.model->architecture);
    if (!list) {
        Error e = list.error();
        e.where = settings.model->id + ": architecture";
        return e;
    }
    auto tensors = weight_tensors(settings, *list, catalog);
    if (!tensors) {
        return tensors.error();
    }
    auto memory = plan_fit_memory(settings, *tensors, profile, catalog, strategy);
    if (!memory) {
        return memory.error();
    }
    FitEvaluation eval;
    eval.settings = settings;
    eval.verdict = verdict_of(memory->plan, memory->devices);
    if (eval.verdict == FitVerdict::does_not_fit && strategy == PlacementStrategy::automatic) {
        // Show the placement the user wants (all on the GPU, or all in RAM) and what it
        // lacks; SSD streaming is offered among the alternatives.
        const PlacementStrategy wanted = has_gpu(memory->devices) ? PlacementStrategy::gpu_full
                                                                  : PlacementStrategy::cpu_only;
        auto shown = plan_fit_memory(settings, *tensors, profile, catalog, wanted);
        if (!shown) {
            return shown.error();
        }
        memory = std::move(shown);
    }
    eval.shortfall = eval.verdict == FitVerdict::does_not_fit ? shortfall_of(memory->plan)
                                                              : std::vector<FitShortfall>{};
    eval.memory = std::move(*memory);
    eval.speed = estimate_fit_speed(settings, eval.memory, *tensors, profile);
    if (settings.file != nullptr) {
        eval.notes.push_back("weights: the " + std::to_string(settings.file->tensors.size()) +
                             " tensors of " + settings.file->path +
                             " with the types the file stores (read from its header), not the "
                             "preset's rules");
    } else if (list->approximate) {
        for (const auto& note : list->notes) {
            eval.notes.push_back("tensor list approximate: " + note);
        }
    }
    for (const auto& note : eval.memory.plan.notes) {
        eval.notes.push_back(note);
    }
    // The speed constants were fitted on llama.cpp measurements (docs/estimation.md, Speed);
    // every other engine borrows the closest family's (engine_model.cpp says which).
    if (settings.engine != FitEngine::llama_cpp) {
        const EngineModel& em = engine_model(settings.engine);
        eval.notes.push_back(std::string(em.id) + " speeds use " + std::string(em.speed_basis) +
                             ": no " + std::string(em.id) +
                             " measurements were available to fit its own");
    }
    if (settings.engine == FitEngine::ollama) {
        eval.notes.push_back("Ollama places layers itself: the estimate keeps its reserve (one "
                             "block + MinimumMemory per GPU, llm/memory.go) free, so its "
                             "num_gpu should match the layers shown");
    }
    return eval;
}

bool fits(const Result<FitEvaluation>& e) {
    return e && e->verdict != FitVerdict::does_not_fit;
}

/// Bits per weight a quantization stands for, to order candidates (the reference model's
/// computed figure for presets, the format's own for others).
double nominal_bits(const FitSettings& s) {
    if (s.preset != nullptr) {
        if (s.preset->computed_llama3_8b) {
            return s.preset->computed_llama3_8b->bits_per_weight;
        }
        return s.preset->nominal_bpw.value_or(s.preset->quoted_bpw_llama3_8b.value_or(16.0));
    }
    return s.format != nullptr ? s.format->bits_per_weight.value_or(16.0) : 16.0;
}

/// Largest KL divergence against FP16 logits a suggested preset may cost, nats.
constexpr double max_kld_nats = 1.0;

/// A figure of a preset's published quality cost (gguf_presets.json "quality").
std::optional<double> quality_figure(const GgufPreset& preset, const char* key) {
    const auto it = preset.document.find("quality");
    if (it == preset.document.end() || !it->is_object() || !it->contains(key) ||
        !(*it)[key].is_number()) {
        return std::nullopt;
    }
    return (*it)[key].get<double>();
}

/// Lower-bit quantizations of the same engine that fit, best (most bits) first. Only presets
/// with published quality-cost data or at least 3 bits per weight are offered.
void quantization_alternatives(const FitRequest& request, const FitSettings& base,
                               std::uint64_t base_weight_bytes, std::uint64_t memory_bytes,
                               const HardwareProfile& profile, const Catalog& catalog,
                               std::vector<FitAlternative>& out) {
    std::vector<std::pair<double, std::string>> candidates;
    const double current = nominal_bits(base);
    for (const auto& preset : catalog.gguf_presets) {
        FitSettings probe = base;
        probe.preset = &preset;
        const double bits = nominal_bits(probe);
        const auto kld = quality_figure(preset, "kld_llama3_8b");
        // KLD >= 1 nat against FP16 logits: the output distribution is mostly replaced (IQ1_M
        // 1.39 / ppl +19, IQ1_S 2.21 / ppl +52 on Llama-3-8B, gguf_presets.json quality).
        const bool usable = kld ? *kld < max_kld_nats : bits >= 3.0;
        if (base.preset != nullptr && bits < current && usable) {
            candidates.emplace_back(bits, preset.id);
        }
    }
    for (const auto& format : catalog.weight_formats) {
        const double bits = format.bits_per_weight.value_or(0);
        if (base.preset == nullptr && bits >= 3.0 && bits < current) {
            candidates.emplace_back(bits, format.id);
        }
    }
    std::sort(candidates.begin(), candidates.end(), std::greater<>());
    int found = 0;
    for (const auto& [bits, id] : candidates) {
        // Weights scale with bits per weight; when even they exceed every memory together,
        // the full evaluation cannot fit, so skip it (most of a does-not-fit run's time).
        if (current > 0 && static_cast<double>(base_weight_bytes) * bits / current >
                               static_cast<double>(memory_bytes)) {
            continue;
        }
        FitRequest r = request;
        r.quantization = id;
        auto settings = resolve_fit_settings(r, profile, catalog);
        if (!settings) {
            continue; // the engine does not run it
        }
        auto e = evaluate(*settings, profile, catalog, PlacementStrategy::automatic);
        if (fits(e)) {
            std::string change = settings->quantization;
            if (settings->preset != nullptr) {
                if (auto ppl = quality_figure(*settings->preset, "ppl_delta_llama3_8b")) {
                    char text[48];
                    std::snprintf(text, sizeof text, " (perplexity +%.2f on Llama 3 8B)", *ppl);
                    change += text;
                }
            }
            out.push_back({"quantization", change, std::move(*e)});
            if (++found == 2) {
                return;
            }
        }
    }
}

/// The largest power-of-two-ish context (2^k or 1.5 x 2^k, >= 512) below the request's
/// that fits.
void context_alternative(const FitRequest& request, const FitSettings& base,
                         const HardwareProfile& profile, const Catalog& catalog,
                         std::vector<FitAlternative>& out) {
    std::vector<int> contexts;
    for (int c = 512; c < base.context_tokens; c *= 2) {
        contexts.push_back(c);
        if (c * 3 / 2 < base.context_tokens) {
            contexts.push_back(c * 3 / 2);
        }
    }
    std::sort(contexts.begin(), contexts.end(), std::greater<>());
    for (int c : contexts) {
        FitRequest r = request;
        r.quantization = base.quantization;
        r.context_tokens = c;
        r.prompt_tokens = std::min(request.prompt_tokens, c);
        auto settings = resolve_fit_settings(r, profile, catalog);
        if (!settings) {
            continue;
        }
        auto e = evaluate(*settings, profile, catalog, PlacementStrategy::automatic);
        if (fits(e)) {
            out.push_back({"context", "context " + std::to_string(c), std::move(*e)});
            return;
        }
    }
}

/// A smaller cache type: q8_0 then q4_0 (llama.cpp, with flash attention), fp8 (vLLM),
/// 8 then 4 bits (mlx-lm).
void kv_alternative(const FitRequest& request, const FitSettings& base,
                    const HardwareProfile& profile, const Catalog& catalog,
                    std::vector<FitAlternative>& out) {
    std::vector<std::string> types;
    const MemoryPhysics physics = memory_physics(base.engine, base.preset != nullptr);
    const bool ggml = physics == MemoryPhysics::ggml;
    if (ggml && (base.kv_type == "f16" || base.kv_type == "f32" || base.kv_type == "bf16")) {
        types = {"q8_0", "q4_0"};
    } else if (ggml && base.kv_type == "q8_0") {
        types = {"q4_0"};
    } else if (base.engine == FitEngine::vllm && base.kv_type.rfind("fp8", 0) != 0) {
        types = {"fp8"};
    } else if (base.engine == FitEngine::mlx_lm && base.kv_type == "f16") {
        types = {"8", "4"};
    }
    for (const auto& type : types) {
        FitRequest r = request;
        r.quantization = base.quantization;
        r.kv_type = type;
        if (ggml && engine_model(base.engine).flash_attention_switch) {
            r.flash_attention = FlashAttentionChoice::on;
        }
        auto settings = resolve_fit_settings(r, profile, catalog);
        if (!settings) {
            continue;
        }
        auto e = evaluate(*settings, profile, catalog, PlacementStrategy::automatic);
        if (fits(e)) {
            out.push_back({"kv-cache", "KV cache " + type, std::move(*e)});
            return;
        }
    }
}

/// vLLM and mlx-lm keep everything on the GPU; llama.cpp can offload layers or experts.
void engine_alternative(const FitRequest& request, const FitSettings& base,
                        const HardwareProfile& profile, const Catalog& catalog,
                        std::vector<FitAlternative>& out) {
    if (memory_physics(base.engine, base.preset != nullptr) == MemoryPhysics::ggml) {
        return; // already offloads layers (Ollama, llamafile, LM Studio GGUF too)
    }
    FitRequest r = request;
    r.engine = FitEngine::llama_cpp;
    r.quantization.clear();
    r.kv_type.clear();
    r.flash_attention = FlashAttentionChoice::automatic;
    auto settings = resolve_fit_settings(r, profile, catalog);
    if (!settings) {
        return;
    }
    auto e = evaluate(*settings, profile, catalog, PlacementStrategy::automatic);
    if (fits(e)) {
        out.push_back({"engine", "llama.cpp " + settings->quantization + " with " +
                                     to_string(e->memory.plan.strategy),
                       std::move(*e)});
    }
}

/// Smaller models of the same family, largest first (two at most).
void model_alternatives(const FitRequest& request, const FitSettings& base,
                        const HardwareProfile& profile, const Catalog& catalog,
                        std::vector<FitAlternative>& out) {
    const Model& current = *base.model;
    if (!current.parameters_total) {
        return;
    }
    // The family up to its minor version: llama-3.3 takes llama-3.1 and llama-3.2 models.
    const auto stem = [](const std::string& family) { return family.substr(0, family.find('.')); };
    std::vector<const Model*> smaller;
    for (const auto& m : catalog.models) {
        // Same inputs only: a vision model is no stand-in for a text model (or back).
        if (stem(m.family) == stem(current.family) && m.id != current.id &&
            m.input_modalities == current.input_modalities && m.parameters_total &&
            *m.parameters_total < *current.parameters_total) {
            smaller.push_back(&m);
        }
    }
    std::sort(smaller.begin(), smaller.end(), [](const Model* a, const Model* b) {
        return *a->parameters_total > *b->parameters_total;
    });
    int found = 0;
    for (const Model* m : smaller) {
        FitRequest r = request;
        r.model = m;
        r.quantization = base.quantization;
        const int max = m->architecture.max_context_tokens.value_or(base.context_tokens);
        r.context_tokens = std::min(base.context_tokens, max);
        r.prompt_tokens = std::min(request.prompt_tokens, *r.context_tokens);
        auto settings = resolve_fit_settings(r, profile, catalog);
        if (!settings) {
            continue;
        }
        auto e = evaluate(*settings, profile, catalog, PlacementStrategy::automatic);
        if (fits(e)) {
            out.push_back({"model", m->id, std::move(*e)});
            if (++found == 2) {
                return;
            }
        }
    }
}

/// llama.cpp maps the file; pages beyond RAM are re-read from disk every token.
void ssd_alternative(const FitSettings& base, const HardwareProfile& profile,
                     const Catalog& catalog, std::vector<FitAlternative>& out) {
    if (!engine_model(base.engine).ssd_streaming) {
        return;
    }
    auto e = evaluate(base, profile, catalog, PlacementStrategy::ssd_streaming);
    if (e && e->memory.plan.fits) {
        e->verdict = FitVerdict::fits_with_offload;
        out.push_back({"ssd-streaming", "weights streamed from disk (mmap)", std::move(*e)});
    }
}

} // namespace

std::string_view to_string(FitVerdict verdict) {
    switch (verdict) {
    case FitVerdict::fits:
        return "fits";
    case FitVerdict::fits_with_offload:
        return "fits-with-offload";
    case FitVerdict::does_not_fit:
        return "does-not-fit";
    }
    return "does-not-fit";
}

Result<FitEvaluation> evaluate_fit(const FitSettings& settings, const HardwareProfile& profile,
                                   const Catalog& catalog) {
    return evaluate(settings, profile, catalog, PlacementStrategy::automatic);
}

Result<FitReport> fit_model(const FitRequest& request, const HardwareProfile& profile,
                            const Catalog& catalog) {
    auto settings = resolve_fit_settings(request, profile, catalog);
    if (!settings) {
        return settings.error();
    }
    auto result = evaluate(*settings, profile, catalog, PlacementStrategy::automatic);
    if (!result) {
        return result.error();
    }
    FitReport report{std::move(*result), {}};
    if (report.result.verdict != FitVerdict::does_not_fit) {
        return report;
    }
    // Every memory but the disk, added up: an upper bound on what any placement can hold
    // (unified memory is counted twice, which only makes the bound looser, never wrong).
    std::uint64_t memory_bytes = 0;
    for (const auto& device : report.result.memory.devices) {
        if (device.kind != MemoryDeviceKind::disk) {
            memory_bytes += device.usable_bytes();
        }
    }
    const std::uint64_t weight_bytes = report.result.memory.weight_bytes;
    quantization_alternatives(request, *settings, weight_bytes, memory_bytes, profile, catalog,
                              report.alternatives);
    // A shorter context or a smaller KV cache cannot help when the weights alone overflow.
    if (weight_bytes <= memory_bytes) {
        context_alternative(request, *settings, profile, catalog, report.alternatives);
        kv_alternative(request, *settings, profile, catalog, report.alternatives);
    }
    engine_alternative(request, *settings, profile, catalog, report.alternatives);
    model_alternatives(request, *settings, profile, catalog, report.alternatives);
    ssd_alternative(*settings, profile, catalog, report.alternatives);
    return report;
}

} // namespace edgeplan
