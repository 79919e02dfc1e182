// Candidates: model x weight format x quantization x engine, filtered by task and modality
// (T1), privacy (P1), openness (P3), engine platform and load (E1), power (W1), fidelity (Q2),
// and by a weights-only size check before the estimator runs. Each filter leaves one
// summary firing in the trace.
#include "section_text.hpp"
#include "select_internal.hpp"
#include "speech_route.hpp"
#include "tts_route.hpp"
#include "embedding_route.hpp"

#include <edgeplan/estimate/weights.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace edgeplan::planner_detail {

namespace {

bool contains(const std::vector<std::string>& list, std::string_view item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

/// The quantizations tried per engine, highest fidelity first: the common llama-quantize
/// presets from 16-bit down to the 2.7-bit IQ2_M (lower ones lose more than a smaller model,
/// retention < 0.8), and the formats MLX, vLLM and TensorRT-LLM load without a per-model
/// artifact (LM Studio: GGUF, and MLX on Apple Silicon).
std::vector<std::string> ladder(FitEngine engine, const PlatformFacts& facts) {
    static const std::vector<std::string> llama = {"BF16",   "Q8_0",   "Q6_K",   "Q5_K_M",
                                                   "Q4_K_M", "IQ4_XS", "Q3_K_M", "IQ2_M"};
    static const std::vector<std::string> mlx = {"bf16", "mlx-8bit", "mlx-4bit"};
    static const std::vector<std::string> vllm = {"bf16", "fp8"};
    static const std::vector<std::string> trt = {"bf16", "fp8", "nvfp4"};
    const EngineModel& em = engine_model(engine);
    if (engine == FitEngine::vllm) {
        return vllm;
    }
    if (engine == FitEngine::tensorrt_llm) {
        return trt;
    }
    std::vector<std::string> out;
    if (em.gguf_physics) {
        out = llama;
    }
    if (em.format_physics == MemoryPhysics::mlx && facts.kind == PlatformKind::apple_silicon) {
        out.insert(out.end(), mlx.begin(), mlx.end());
    }
    return out;
}

/// The weight format an engine loads a quantization in: GGUF for presets, MLX for MLX
/// runtimes (mlx-lm, LM Studio on Apple), a Hugging Face checkpoint (safetensors, AWQ, GPTQ)
/// otherwise.
std::string format_of(FitEngine engine, const QuantizationRef& ref) {
    if (ref.preset != nullptr) {
        return "gguf";
    }
    if (engine_model(engine).format_physics == MemoryPhysics::mlx) {
        return "mlx";
    }
    if (ref.format != nullptr && (ref.format->family == "awq" || ref.format->family == "gptq")) {
        return ref.format->family;
    }
    return "safetensors";
}

std::string canonical(const std::string& q, const Catalog& catalog) {
    const QuantizationRef ref = catalog.find_quantization(q);
    return ref.preset ? ref.preset->id : ref.format ? ref.format->id : q;
}

bool engine_runs(const Engine& engine, FitEngine kind, const std::string& quant,
                 const Catalog& catalog) {
    const QuantizationRef ref = catalog.find_quantization(quant);
    const EngineModel& em = engine_model(kind);
    if (ref.preset != nullptr) {
        return em.gguf_physics && contains(engine.quantizations, ref.preset->id);
    }
    if (ref.format == nullptr || !em.format_physics) {
        return false;
    }
    if (em.format_physics == MemoryPhysics::mlx && ref.format->family != "mlx" &&
        ref.format->family != "float") {
        return false; // LM Studio's MLX runtime loads MLX artifacts, not other checkpoints
    }
    if (contains(ref.format->engines, engine.id) ||
        contains(engine.quantizations, ref.format->id)) {
        return true;
    }
    return std::any_of(ref.format->aliases.begin(), ref.format->aliases.end(),
                       [&](const std::string& a) { return contains(engine.quantizations, a); });
}

bool serves_task(const Model& m, const std::string& task) {
    if (!contains(m.tasks, task)) {
        return false;
    }
    if (task == "vision") {
        return contains(m.input_modalities, "image");
    }
    if (task == "speech-to-text") {
        return contains(m.input_modalities, "audio");
    }
    return true;
}

std::string list_text(const std::vector<std::string>& items, std::size_t shown = 6) {
    std::vector<std::string> head(items.begin(),
                                  items.begin() + static_cast<long>(std::min(shown, items.size())));
    std::string text = join(head, ", ");
    if (items.size() > shown) {
        text += " and " + std::to_string(items.size() - shown) + " more";
    }
    return text;
}

/// P1: may this engine run a request that keeps data local? Sets `why`.
bool privacy_allows(const Engine& e, const PlanRequest& request, std::string& why) {
    if (e.cloud_only) {
        why = e.id + " is cloud-only";
        return !request.keeps_data_local() && request.allow_cloud_fallback;
    }
    if (!request.keeps_data_local() || e.telemetry == "none") {
        return true;
    }
    if (e.telemetry_switch) {
        why = e.id + " telemetry '" + e.telemetry + "' is turned off with " + *e.telemetry_switch;
        return true;
    }
    why =
        e.id + " telemetry is '" + e.telemetry + "' in the catalogue with no switch to turn it off";
    return false;
}

/// The catalogue id an --engine value names ("mlx" -> "mlx-lm").
std::string canonical_engine(const std::string& id) {
    const auto kind = parse_fit_engine(id);
    return kind ? std::string(fit_engine_id(*kind)) : id;
}

struct EngineChoice {
    FitEngine kind;
    const Engine* engine;
};

/// E1 for TensorRT-LLM without a pin: an NVIDIA GPU with FP8 tensor cores (compute
/// capability >= 8.9: Ada, Hopper, Blackwell) and a load where batched decode turns
/// compute-bound, so FP8 GEMMs pay for the engine's build and start-up cost.
constexpr int tensorrt_llm_min_concurrency = 16;
constexpr double fp8_min_compute_capability = 8.9;

std::vector<EngineChoice> choose_engines(const PlanRequest& request, const PlatformFacts& facts,
                                         const Catalog& catalog, Plan& plan) {
    std::vector<EngineChoice> out;
    std::vector<std::string> pinned_only;
    for (const EngineModel& em : engine_models()) {
        const FitEngine kind = em.engine;
        const std::string id(em.id);
        const Engine* e = catalog.find_engine(id);
        if (e == nullptr) {
            continue;
        }
        const bool pinned = request.engine && canonical_engine(*request.engine) == id;
        if (request.engine && !pinned) {
            continue;
        }
        // E1: Ollama, llamafile and LM Studio wrap llama.cpp's ggml runner (LM Studio also
        // MLX): the same memory physics and kernels, fewer placement controls. llama-server
        // (or mlx-lm) is planned instead unless the user pins one of them.
        if (!pinned && (kind == FitEngine::ollama || kind == FitEngine::llamafile ||
                        kind == FitEngine::lm_studio)) {
            pinned_only.push_back(id);
            continue;
        }
        if (!contains(e->platforms, facts.os)) {
            fire(plan, "E1-engine", "rejected", id, e->name + " does not run on " + facts.os);
            continue;
        }
        if (kind == FitEngine::mlx_lm && facts.kind != PlatformKind::apple_silicon) {
            continue; // MLX is Apple Silicon's framework: nothing to say elsewhere
        }
        if (kind == FitEngine::vllm) {
            if (!facts.vllm_gpu) {
                if (pinned) {
                    fire(plan, "E1-engine", "rejected", id,
                         "vLLM needs a discrete CUDA/ROCm GPU with known memory; none here");
                }
                continue;
            }
            if (request.concurrency < 4 && !pinned) {
                fire(plan, "E1-engine", "rejected", id,
                     "concurrency " + std::to_string(request.concurrency) +
                         " < 4: llama.cpp serves a few streams with less memory and start-up "
                         "cost than vLLM");
                continue;
            }
        }
        if (kind == FitEngine::tensorrt_llm) {
            if (facts.kind != PlatformKind::nvidia) {
                if (pinned) {
                    fire(plan, "E1-engine", "rejected", id,
                         "TensorRT-LLM runs on NVIDIA CUDA GPUs only; none here");
                }
                continue;
            }
            const bool fp8 = facts.cuda_compute_capability &&
                             *facts.cuda_compute_capability >= fp8_min_compute_capability;
            if (!pinned && (request.concurrency < tensorrt_llm_min_concurrency || !fp8)) {
                fire(plan, "E1-engine", "rejected", id,
                     !fp8 ? "no FP8 tensor cores known on this GPU (compute capability " +
                                (facts.cuda_compute_capability
                                     ? number_text(*facts.cuda_compute_capability)
                                     : std::string("unknown")) +
                                " < 8.9): TensorRT-LLM's edge is its FP8/NVFP4 kernels"
                          : "concurrency " + std::to_string(request.concurrency) + " < " +
                                std::to_string(tensorrt_llm_min_concurrency) +
                                ": decode is memory-bound, so TensorRT-LLM's FP8 kernels gain "
                                "little over vLLM/llama.cpp for its engine build and start-up");
                continue;
            }
        }
        // P1 after the platform rules, so only engines that could run are reported.
        std::string why;
        if (!privacy_allows(*e, request, why)) {
            fire(plan, "P1-offline", "rejected", id,
                 why + ": not used for an offline/private plan");
            continue;
        }
        if (!why.empty()) {
            fire(plan, "P1-offline", "adjusted", id, why + " in the deployment config");
        }
        std::string note = e->name;
        if (em.gguf_physics == MemoryPhysics::ggml) {
            note += " with the " + facts.backend + " backend";
            if (facts.backend == "cpu") {
                note += " (ISA path " + facts.isa_path + ")";
            }
        }
        if (kind == FitEngine::tensorrt_llm && !pinned) {
            note += " (concurrency " + std::to_string(request.concurrency) + " >= " +
                    std::to_string(tensorrt_llm_min_concurrency) +
                    ", FP8-capable GPU; only models with a published FP8/NVFP4/AWQ checkpoint)";
        }
        fire(plan, "E1-engine", "noted", id, note + (pinned ? " (pinned)" : "") + ": evaluated");
        out.push_back({kind, e});
    }
    if (!pinned_only.empty()) {
        fire(plan, "E1-engine", "rejected", list_text(pinned_only),
             "chosen only when pinned (--engine): they run llama.cpp's ggml runner (LM Studio "
             "also MLX) with the same memory and speed, but place layers themselves (Ollama), "
             "expose no KV-cache type (LM Studio) or bundle an older llama.cpp (llamafile); "
             "llama-server sets every knob the plan needs");
    }
    return out;
}

/// E1: engines the estimator does not model, said once (NPU runtimes: npu_route.cpp).
void note_other_engines(const Catalog& catalog, Plan& plan) {
    std::vector<std::string> unmodelled;
    for (const auto& e : catalog.engines) {
        if (!parse_fit_engine(e.id) && !e.cloud_only && e.id != whisper_cpp_id &&
            e.id != sherpa_onnx_id &&
            !npu_runtime_has_artifacts(catalog, e.id)) {
            unmodelled.push_back(e.id);
        }
    }
    fire(plan, "P2-memory-breakdown", "rejected", "other engines",
         "no memory model in the estimator for " + list_text(unmodelled, 8) +
             ", so they cannot be approved");
}

} // namespace

std::vector<Option> enumerate_options(const PlanRequest& request, const PlatformFacts& facts,
                                      const HardwareProfile& /*profile*/, const Catalog& catalog,
                                      Plan& plan, std::vector<Option>& oversized) {
    std::vector<Option> out;
    // T1: task and modality; P3: open weights (closed only when pinned or nothing open serves).
    std::vector<const Model*> models;
    std::vector<std::string> closed;
    bool open_serves = false;
    for (const auto& m : catalog.models) {
        if (request.model && m.id != *request.model) {
            continue;
        }
        if (!request.model && !serves_task(m, request.task)) {
            continue;
        }
        open_serves = open_serves || m.open_weights;
        models.push_back(&m);
    }
    if (!request.model && open_serves) {
        std::erase_if(models, [&](const Model* m) {
            if (!m->open_weights) {
                closed.push_back(m->id);
            }
            return !m->open_weights;
        });
    }
    fire(plan, "T1-task", "noted", request.task,
         std::to_string(models.size()) + " catalogue model(s) serve " + request.task +
             (request.model ? " (pinned)" : ""));
    if (models.size() == 1 && models.front()->gguf_file) {
        fire(plan, "T1-task", "chose", models.front()->gguf_file->path,
             "--model-file: planning this GGUF file as it is stored (its architecture, its own "
             "tensor types, quantization " + models.front()->gguf_file->quantization +
                 ") on llama.cpp, which loads it as named");
    }
    if (!closed.empty()) {
        fire(plan, "P3-open", "rejected", list_text(closed),
             "closed weights: open models serve " + request.task + " (pin --model to use them)");
    }

    const std::vector<EngineChoice> engines = choose_engines(request, facts, catalog, plan);
    note_other_engines(catalog, plan);

    const bool high_fidelity = request.task == "code" || request.task == "reasoning";
    std::set<std::string> battery_skipped;
    std::map<std::string, std::string> fidelity_skipped;
    std::vector<std::string> too_big;
    std::vector<std::string> unmodelled;
    std::vector<std::string> incomplete;
    std::map<const Model*, TaskQuality> qualities;

    for (const Model* m : models) {
        const int max_ctx = m->architecture.max_context_tokens.value_or(1 << 30);
        int ctx = request.context_tokens.value_or(default_task_context(request.task));
        if (request.context_tokens && *request.context_tokens > max_ctx) {
            fire(plan, "C1-context", "rejected", m->id,
                 "--context " + count_text(*request.context_tokens) + " is above its maximum of " +
                     count_text(max_ctx));
            continue;
        }
        ctx = std::min(ctx, max_ctx);
        if (routed_to_sherpa_onnx(*m)) {
            continue; // text-to-speech voices: tts_route.cpp evaluates them
        }
        const std::string kind = m->architecture.kind.value_or("");
        if (kind == "encoder" || kind == "encoder-decoder") {
            // Whisper and llama.cpp encoders: speech_route.cpp / embedding_route.cpp evaluate them
            if (!routed_to_whisper_cpp(*m) && !routed_to_llama_cpp_encoder(*m)) {
                unmodelled.push_back(m->id);
            }
            continue;
        }
        if (!m->architecture.layers) {
            incomplete.push_back(m->id);
            continue;
        }
        for (const auto& e : engines) {
            std::vector<std::string> quants;
            if (request.quant) {
                quants.push_back(canonical(*request.quant, catalog));
            } else {
                for (const auto& q : ladder(e.kind, facts)) {
                    quants.push_back(canonical(q, catalog));
                }
                for (const auto& a : m->artifacts) {
                    for (const auto& q : a.quantizations) {
                        const std::string c = canonical(q, catalog);
                        const QuantizationRef ref = catalog.find_quantization(c);
                        // Artifact quantizations in a format this engine loads.
                        if (format_of(e.kind, ref) != a.format) {
                            continue;
                        }
                        if (!contains(quants, c)) {
                            quants.push_back(c);
                        }
                    }
                }
            }
            const bool paged = engine_model(e.kind).format_physics == MemoryPhysics::paged_gpu;
            const bool pinned = request.engine.has_value();
            for (const auto& q : quants) {
                if (!engine_runs(*e.engine, e.kind, q, catalog)) {
                    continue;
                }
                Option o;
                o.model = m;
                o.engine = e.engine;
                o.fit_engine = e.kind;
                o.quantization = q;
                o.context_tokens = ctx;
                o.retention = quantization_retention(q, catalog);
                const QuantizationRef ref = catalog.find_quantization(q);
                o.weights_format = format_of(e.kind, ref);
                // The artifact to fetch: one in this format listing the quantization, else
                // one in the format, else the safetensors weights to convert (llama.cpp's
                // convert_hf_to_gguf.py + llama-quantize, mlx_lm.convert).
                const Artifact* native = nullptr;
                const Artifact* hf = nullptr;
                for (const auto& a : m->artifacts) {
                    const bool listed = std::any_of(
                        a.quantizations.begin(), a.quantizations.end(),
                        [&](const std::string& aq) { return canonical(aq, catalog) == q; });
                    if (a.format == o.weights_format && listed && !o.artifact_has_quant) {
                        o.artifact = &a;
                        o.artifact_has_quant = true;
                    }
                    // A repository in the format that lists other quantizations only does
                    // not hold this one: name the weights to convert instead.
                    if (a.format == o.weights_format && native == nullptr &&
                        a.quantizations.empty()) {
                        native = &a;
                    }
                    if (a.format == "safetensors" && hf == nullptr) {
                        hf = &a;
                    }
                }
                if (o.artifact == nullptr) {
                    if (o.weights_format == "awq" || o.weights_format == "gptq") {
                        continue; // needs a pre-quantized checkpoint
                    }
                    o.artifact = o.weights_format == "safetensors" ? hf : native ? native : hf;
                }
                if (paged && o.artifact == nullptr) {
                    continue; // E1: vLLM and TensorRT-LLM load a Hugging Face checkpoint
                }
                // E1: unpinned TensorRT-LLM only where a pre-quantized FP8/NVFP4/AWQ
                // checkpoint is published (its ModelOpt path); NVFP4 needs Blackwell (10.0).
                if (e.kind == FitEngine::tensorrt_llm) {
                    if (ref.format != nullptr && ref.format->family == "nvfp4" &&
                        facts.cuda_compute_capability.value_or(0) < 10.0) {
                        continue;
                    }
                    const bool prequantized =
                        o.artifact_has_quant && o.retention.weight_bits < 16;
                    if (!pinned && !prequantized) {
                        continue;
                    }
                }
                if (!request.quant && facts.battery && o.retention.weight_bits >= 16) {
                    battery_skipped.insert(q);
                    continue;
                }
                if (high_fidelity && !request.quant &&
                    (o.retention.weight_bits < 4 ||
                     o.retention.ppl_delta.value_or(0) > high_fidelity_max_ppl_delta)) {
                    fidelity_skipped[q] = o.retention.weight_bits < 4
                                              ? std::to_string(o.retention.weight_bits) + "-bit"
                                              : "+" + number_text(*o.retention.ppl_delta) + " ppl";
                    continue;
                }
                auto tq = qualities.find(m);
                if (tq == qualities.end()) {
                    tq = qualities.emplace(m, task_quality(*m, request.task, catalog)).first;
                }
                o.quality = tq->second.score * o.retention.retention;
                o.quality_estimated = tq->second.estimated;
                o.quality_basis =
                    tq->second.basis + "; x " + o.retention.basis + " = " + number_text(o.quality);
                const auto bits = quantization_bits(q, catalog);
                if (bits && m->parameters_total && facts.usable_memory_bytes > 0 &&
                    *bits / 8.0 * static_cast<double>(*m->parameters_total) >
                        static_cast<double>(facts.usable_memory_bytes)) {
                    too_big.push_back(m->id + " " + q);
                    oversized.push_back(std::move(o));
                    continue;
                }
                out.push_back(std::move(o));
            }
        }
    }
    if (!unmodelled.empty()) {
        fire(plan, "P2-memory-breakdown", "rejected", list_text(unmodelled),
             "encoder / encoder-decoder models outside the whisper.cpp route (Moonshine, "
             "BERT-style embedders) have no memory model in the estimator yet: no breakdown, so "
             "no approval");
    }
    if (!incomplete.empty()) {
        fire(plan, "P2-memory-breakdown", "rejected", list_text(incomplete),
             "the catalogue entry lacks the architecture (layers, sizes) the estimator needs");
    }
    if (!battery_skipped.empty()) {
        fire(plan, "W1-power", "rejected",
             list_text({battery_skipped.begin(), battery_skipped.end()}),
             "on battery 16-bit weights cost twice the memory traffic (and energy) per token of "
             "8-bit; 4/8-bit preferred");
    }
    if (!fidelity_skipped.empty()) {
        std::vector<std::string> items;
        for (const auto& [q, why] : fidelity_skipped) {
            items.push_back(q + " (" + why + ")");
        }
        fire(plan, "Q2-fidelity", "rejected", list_text(items, 8),
             request.task +
                 " is high-fidelity: sub-4-bit weights and quantizations costing more "
                 "than +" +
                 number_text(high_fidelity_max_ppl_delta) + " ppl (Llama-3-8B) are refused");
    }
    if (request.task == "summarization") {
        fire(plan, "Q2-fidelity", "noted", "summarization",
             "legal or medical wording cannot be detected from the request: if the text is, "
             "pin a 4-bit or better --quant (Q4_K_M or above)");
    }
    if (!too_big.empty()) {
        fire(plan, "F1-headroom", "rejected", std::to_string(too_big.size()) + " options",
             "weights alone exceed the " + bytes_text(facts.usable_memory_bytes) +
                 " of usable memory (of " + bytes_text(facts.total_memory_bytes) +
                 "), pruned before the estimator (e.g. " + list_text(too_big, 3) + ")");
    }
    // E1: where TensorRT-LLM was let in (high load, FP8 GPU) and a model has a published
    // FP8/NVFP4/AWQ checkpoint, that model is not also planned on vLLM: at this load
    // TensorRT-LLM's FP8 kernels are preferred, and the estimator (which borrows vLLM's
    // batching curve for both) cannot tell the two apart.
    if (!request.engine) {
        std::vector<std::string> displaced;
        std::erase_if(out, [&](const Option& o) {
            if (o.fit_engine != FitEngine::vllm) {
                return false;
            }
            const bool trt = std::any_of(out.begin(), out.end(), [&](const Option& t) {
                return t.fit_engine == FitEngine::tensorrt_llm && t.model == o.model;
            });
            if (trt && !contains(displaced, o.model->id)) {
                displaced.push_back(o.model->id);
            }
            return trt;
        });
        if (!displaced.empty()) {
            fire(plan, "E1-engine", "rejected", "vllm",
                 "TensorRT-LLM serves " + list_text(displaced, 3) +
                     " from a published FP8/NVFP4/AWQ checkpoint at this load: vLLM is not "
                     "planned for them");
        }
    }
    std::sort(out.begin(), out.end(), [](const Option& a, const Option& b) {
        if (a.model->id != b.model->id) {
            return a.model->id < b.model->id;
        }
        if (a.quantization != b.quantization) {
            return a.quantization < b.quantization;
        }
        return a.engine->id < b.engine->id;
    });
    return out;
}

} // namespace edgeplan::planner_detail
