// M1 memory and context features and W1 settings, applied to the chosen candidate only
// (each costs at most one more estimator call): flash attention, KV quantization with the
// bytes it saves, prefix caching, chunked prefill, sliding window, speculative decoding with
// a catalogue draft model, and the battery caps on threads and batch.
#include "section_text.hpp"
#include "select_internal.hpp"

#include <edgeplan/estimate/speed.hpp>

#include <algorithm>
#include <cmath>

namespace edgeplan::planner_detail {

namespace {

/// M1: per-token acceptance of a same-family draft (Leviathan et al. 2023 report 0.6-0.8 for
/// same-family pairs on chat; the middle, 0.7, is assumed) and draft length (llama.cpp's
/// --draft-min/--draft-max settle around 4-8 tokens).
constexpr double draft_acceptance = 0.7;
constexpr int draft_tokens = 5;
/// A draft must have at most 1/8 of the target's parameters to pay for itself.
constexpr double draft_max_fraction = 1.0 / 8.0;
/// Speculation is kept only above this expected gain.
constexpr double speculative_min_speedup = 1.15;
/// W1: battery batch caps (llama.cpp -b / -ub): smaller bursts, lower peak power.
constexpr int battery_batch_tokens = 512;
constexpr int battery_ubatch_tokens = 256;

bool feature(const Engine& e, const char* name) {
    const auto it = e.features.find(name);
    return it != e.features.end() && it->second.value_or(false);
}

void speculative(Scored& chosen, const PlanRequest& request, const HardwareProfile& profile,
                 const Catalog& catalog, Plan& plan) {
    const Model& target = *chosen.option.model;
    Candidate& c = chosen.candidate;
    std::string why_not;
    if (request.task == "embedding") {
        why_not = "an embedding model generates no tokens, so a draft has nothing to propose";
    } else if (request.concurrency != 1) {
        why_not = "concurrency " + std::to_string(request.concurrency) +
                  ": verification batches compete with other streams";
    } else if (target.architecture.moe) {
        why_not = "MoE target: each verified token touches more experts, little gain";
    } else if (c.placement.rfind("full GPU", 0) != 0) { // tensor-parallel text follows it
        why_not = "placement '" + c.placement + "': speculation pays on a GPU-resident target";
    } else if (!feature(*chosen.option.engine, "draft_models")) {
        why_not = chosen.option.engine->id + " has no verified draft-model support";
    } else if (!c.speed.decode_tokens_per_s_short || chosen.evaluation.speed.devices.empty()) {
        why_not = "decode speed unknown";
    }
    const Model* draft = nullptr;
    if (why_not.empty()) {
        const double limit =
            static_cast<double>(target.parameters_total.value_or(0)) * draft_max_fraction;
        for (const auto& m : catalog.models) {
            const bool same_tokenizer =
                m.family == target.family ||
                (m.publisher == target.publisher && m.architecture.vocab_size &&
                 m.architecture.vocab_size == target.architecture.vocab_size);
            if (&m == &target || !same_tokenizer || !m.parameters_total || m.architecture.moe ||
                static_cast<double>(*m.parameters_total) > limit || !m.architecture.layers ||
                !m.architecture.kind || *m.architecture.kind != "decoder") {
                continue;
            }
            // The largest draft under the limit accepts the most tokens.
            if (draft == nullptr || *m.parameters_total > *draft->parameters_total ||
                (*m.parameters_total == *draft->parameters_total && m.id < draft->id)) {
                draft = &m;
            }
        }
        if (draft == nullptr) {
            why_not = "no catalogue model of the same family/tokenizer with at most 1/8 of " +
                      number_text(static_cast<double>(target.parameters_total.value_or(0)) / 1e9) +
                      "B parameters";
        }
    }
    if (!why_not.empty()) {
        fire(plan, "M1-speculative", "rejected", c.model_id, "no speculative decoding: " + why_not);
        return;
    }
    FitRequest req;
    req.model = draft;
    req.engine = chosen.option.fit_engine;
    req.quantization = chosen.option.weights_format == "gguf" ? "Q8_0" : c.quantization;
    req.context_tokens = std::min(c.settings.context_tokens,
                                  draft->architecture.max_context_tokens.value_or(1 << 30));
    req.prompt_tokens = std::min(request.prompt_tokens, req.context_tokens.value_or(512));
    auto settings = resolve_fit_settings(req, profile, catalog);
    auto eval = settings ? evaluate_fit(*settings, profile, catalog)
                         : Result<FitEvaluation>(settings.error());
    if (!eval || !eval->speed.decode_short_tokens_per_s.value) {
        fire(plan, "M1-speculative", "rejected", draft->id,
             "the draft could not be evaluated: " +
                 (eval ? std::string("speed unknown") : eval.error().message));
        return;
    }
    std::uint64_t draft_bytes = 0;
    for (const auto& d : eval->memory.plan.devices) {
        draft_bytes += d.total_bytes();
    }
    DeviceMemory* gpu = nullptr;
    for (auto& d : c.memory) {
        if (d.device.rfind("gpu", 0) == 0 && gpu == nullptr) {
            gpu = &d;
        }
    }
    if (gpu == nullptr || gpu->margin_bytes < static_cast<std::int64_t>(draft_bytes) ||
        static_cast<double>(gpu->margin_bytes - static_cast<std::int64_t>(draft_bytes)) <
            0.1 * static_cast<double>(gpu->usable_bytes)) {
        fire(plan, "M1-speculative", "rejected", draft->id,
             "the draft needs " + bytes_text(draft_bytes) + " and would leave under 10% margin");
        return;
    }
    const double target_tps = *c.speed.decode_tokens_per_s_short;
    const BatchingEngine be = uses_paged_kv(chosen.option) ? BatchingEngine::vllm
                                                           : BatchingEngine::llama_cpp_server;
    auto verify = batched_step_s(chosen.evaluation.speed.devices, be,
                                 chosen.evaluation.speed.short_context_tokens, 1, draft_tokens + 1);
    if (!verify) {
        fire(plan, "M1-speculative", "rejected", draft->id,
             "verification cost unknown: " + verify.error().message);
        return;
    }
    SpeculativeInputs in;
    in.acceptance = draft_acceptance;
    in.draft_tokens = draft_tokens;
    in.target_step_s = 1.0 / target_tps;
    in.target_verify_s = *verify;
    in.draft_step_s = 1.0 / *eval->speed.decode_short_tokens_per_s.value;
    auto gain = estimate_speculative(in);
    if (!gain || gain->speedup < speculative_min_speedup) {
        fire(plan, "M1-speculative", "rejected", draft->id,
             "expected speedup x" + (gain ? number_text(gain->speedup) : std::string("?")) +
                 " at acceptance " + number_text(draft_acceptance) + " is below x" +
                 number_text(speculative_min_speedup));
        return;
    }
    c.settings.draft_model_id = draft->id;
    c.settings.draft_quantization = settings->quantization;
    c.settings.draft_tokens = draft_tokens;
    gpu->weights_bytes += eval->memory.weight_bytes;
    gpu->kv_cache_bytes += draft_bytes - std::min(draft_bytes, eval->memory.weight_bytes);
    gpu->total_bytes += draft_bytes;
    gpu->margin_bytes -= static_cast<std::int64_t>(draft_bytes);
    fire(plan, "M1-speculative", "chose", draft->id,
         "draft " + draft->id + " " + settings->quantization + " (" + bytes_text(draft_bytes) +
             ", added to " + gpu->device + "): expected x" + number_text(gain->speedup) + " -> " +
             rate_text(target_tps * gain->speedup) + " at acceptance " +
             number_text(draft_acceptance) + " and " + std::to_string(draft_tokens) +
             " draft tokens (assumed; the projection keeps the plain figure)");
}

} // namespace

void apply_features(Scored& chosen, const PlanRequest& request, const PlatformFacts& facts,
                    const HardwareProfile& profile, const Catalog& catalog, Plan& plan) {
    if (chosen.option.npu_artifact != nullptr) {
        npu_features(chosen, request, facts, plan); // E1-npu: the compiled graph fixes these
        return;
    }
    Candidate& c = chosen.candidate;
    DeploymentSettings& d = c.settings;
    const Engine& engine = *chosen.option.engine;
    const Model& model = *chosen.option.model;

    const EngineModel& em = engine_model(chosen.option.fit_engine);
    if (em.flash_attention_switch && chosen.option.weights_format == "gguf") {
        fire(plan, "M1-flash-attention", d.flash_attention ? "chose" : "noted", engine.id,
             d.flash_attention
                 ? std::string("flash attention on (") +
                       (chosen.option.fit_engine == FitEngine::ollama ? "OLLAMA_FLASH_ATTENTION=1"
                                                                       : "-fa") +
                       (kv_total_bytes(c) == 0
                            ? "): less compute-buffer memory (an encoder has no KV cache to "
                              "quantize)"
                            : "): less compute-buffer memory and the precondition of a "
                              "quantized V cache")
             : em.flash_attention_default
                 ? "flash attention off: the catalogue does not verify it"
                 : "flash attention off: " + engine.name +
                       "'s default, turned on only with a quantized KV cache");
    } else if (chosen.option.weights_format == "gguf") {
        fire(plan, "M1-flash-attention", "noted", engine.id,
             engine.name + " sets flash attention itself (no verified switch): the estimate "
                           "assumes it off, the larger compute buffer");
    } else {
        fire(plan, "M1-flash-attention", "noted", engine.id,
             engine.name + " always uses fused attention kernels");
    }

    const bool kv_quantized = d.kv_cache_type != "f16" && d.kv_cache_type != "auto";
    if (kv_total_bytes(c) == 0 && request.task == "embedding") {
        // A BERT-style encoder (embedding_route.cpp) reads each input in one pass: no cache.
        fire(plan, "M1-kv-quant", "noted", "none",
             "no KV cache: the encoder embeds each input in one pass, so there is nothing to "
             "quantize");
    } else if (kv_quantized) {
        FitRequest req;
        req.model = &model;
        req.engine = chosen.option.fit_engine;
        req.quantization = c.quantization;
        req.context_tokens = d.context_tokens;
        req.concurrency = request.concurrency;
        req.prompt_tokens = std::min(request.prompt_tokens, d.context_tokens);
        std::string saved = "unknown";
        if (auto s = resolve_fit_settings(req, profile, catalog)) {
            if (auto base = evaluate_fit(*s, profile, catalog)) {
                const auto before = base->memory.kv_bytes;
                const auto after = chosen.evaluation.memory.kv_bytes;
                saved = bytes_text(before > after ? before - after : 0) + " (" +
                        bytes_text(before) + " -> " + bytes_text(after) + ")";
            }
        }
        fire(plan, "M1-kv-quant", "chose", d.kv_cache_type,
             "KV cache " + d.kv_cache_type + " at context " + count_text(d.context_tokens) + " x " +
                 std::to_string(request.concurrency) + " saves " + saved +
                 "; q8_0/fp8 KV costs < 0.01 ppl");
    } else {
        fire(plan, "M1-kv-quant", "noted", "f16",
             "KV cache unquantized: memory is not tight and context " +
                 count_text(d.context_tokens) + " is below 32,768");
    }

    const bool conversational = request.task == "chat" || request.task == "tool-use";
    if (conversational && feature(engine, "prefix_caching")) {
        d.prefix_caching = true;
        fire(plan, "M1-prefix-cache", "chose", engine.id,
             "prefix caching on: " + request.task +
                 " turns resend the conversation, so the shared prefix is not prefilled again");
    }
    if (uses_paged_kv(chosen.option) &&
        (request.prompt_tokens >= 2048 || d.context_tokens >= 16384) &&
        feature(engine, "chunked_prefill")) {
        d.chunked_prefill = true;
        fire(plan, "M1-chunked-prefill", "chose", engine.id,
             "chunked prefill on: long prompts (context " + count_text(d.context_tokens) +
                 ") are split so decoding streams are not stalled");
    }
    if (model.architecture.sliding_window) {
        const auto& sw = *model.architecture.sliding_window;
        fire(plan, "M1-sliding-window", "noted", model.id,
             "sliding-window attention: " + count_text(sw.window_tokens) +
                 "-token window, pattern " + sw.pattern +
                 "; local layers keep only the window's KV");
    }
    speculative(chosen, request, profile, catalog, plan);

    if (facts.battery) {
        if (d.threads > 0 || d.backend == "cpu") {
            d.threads = std::max(1, facts.performance_cores / 2);
        }
        d.batch_tokens = battery_batch_tokens;
        d.ubatch_tokens = battery_ubatch_tokens;
        fire(plan, "W1-power", "adjusted", "settings",
             "battery (" + facts.power_basis + "): threads capped at " +
                 std::to_string(std::max(1, facts.performance_cores / 2)) + " (half of " +
                 std::to_string(facts.performance_cores) + " performance cores), batch " +
                 std::to_string(battery_batch_tokens) + "/" +
                 std::to_string(battery_ubatch_tokens));
    }
    if (c.placement == "CPU only" || d.backend == "cpu") {
        fire(plan, "E1-isa", "noted", "cpu",
             "llama.cpp CPU kernels take the " + facts.isa_path + " path" +
                 (d.threads > 0 ? ", " + std::to_string(d.threads) + " threads" : ""));
    }
}

} // namespace edgeplan::planner_detail
