// Embedding with BERT-style encoders on llama.cpp (docs/planner.md, "Embedding encoders"):
// nomic-bert and bert (XLM-RoBERTa) models, which the decoder estimator does not cover, are
// evaluated with the encoder model (edgeplan/estimate/encoder.hpp): no KV cache, one
// micro-batch holding a whole input, prefill-only speed. Scored like every other option, so
// they compete with the Qwen3 embedding decoders on quality and speed.
#include "embedding_route.hpp"

#include "section_text.hpp"
#include "speech_route.hpp"
#include "whole_model_option.hpp"

#include <edgeplan/estimate/encoder.hpp>
#include <edgeplan/estimate/whisper.hpp>

#include <algorithm>

namespace edgeplan::planner_detail {

namespace {

/// llama.cpp architectures of the BERT family this route plans (convert_hf_to_gguf maps
/// XLMRobertaModel to BERT, NomicBertModel to NOMIC_BERT).
bool llama_cpp_encoder(const Model& m) {
    const auto& g = m.architecture.gguf_architecture;
    return m.architecture.kind == std::optional<std::string>("encoder") &&
           (g == std::optional<std::string>("bert") ||
            g == std::optional<std::string>("nomic-bert")) &&
           m.parameters_total.has_value();
}

/// Encoders are small: 16-bit, 8-bit and the common 4-bit preset cover the useful range.
const char* const encoder_quantizations[] = {"F16", "Q8_0", "Q4_K_M"};

} // namespace

bool routed_to_llama_cpp_encoder(const Model& model) {
    return llama_cpp_encoder(model);
}

void add_encoder_embedding_options(const PlanRequest& request, const PlatformFacts& facts,
                                   const HardwareProfile& profile, const Catalog& catalog,
                                   Plan& plan, std::vector<Scored>& scored) {
    if (request.task != "embedding") {
        return;
    }
    const Engine* engine = catalog.find_engine("llama.cpp");
    if (engine == nullptr || (request.engine && *request.engine != engine->id)) {
        return;
    }
    const std::vector<MemoryDevice> devices = memory_devices(profile, BudgetRules{});
    const bool try_gpu = facts.kind != PlatformKind::cpu_only;
    std::vector<std::string> refused;
    int evaluated = 0;
    int fitting = 0;
    for (const auto& model : catalog.models) {
        if ((request.model && model.id != *request.model) || !llama_cpp_encoder(model) ||
            std::find(model.tasks.begin(), model.tasks.end(), "embedding") == model.tasks.end()) {
            continue;
        }
        const int max_ctx = model.architecture.max_context_tokens.value_or(512);
        if (request.context_tokens && *request.context_tokens > max_ctx) {
            continue; // C1 already says so for every model
        }
        const int ctx =
            std::min(request.context_tokens.value_or(default_task_context("embedding")), max_ctx);
        const Artifact* hf = nullptr;
        for (const auto& a : model.artifacts) {
            if (a.format == "safetensors" && hf == nullptr) {
                hf = &a;
            }
        }
        for (const char* q : encoder_quantizations) {
            if (request.quant && lower(*request.quant) != lower(q)) {
                continue;
            }
            const auto bits = quantization_bits(q, catalog);
            if (!bits) {
                continue;
            }
            ++evaluated;
            EncoderEmbeddingInputs in;
            in.model = &model;
            in.bits_per_weight = *bits;
            in.ubatch_tokens = ctx;
            auto m = encoder_embedding_memory(in);
            if (!m) {
                refused.push_back(model.id + " " + q + " (" + m.error().message + ")");
                continue;
            }
            std::string why;
            bool gpu = try_gpu;
            std::optional<WholeModelRoute> route;
            if (gpu) {
                route = place_whole_model(profile, devices, true, m->weights, 0, m->compute,
                                          m->host, why);
                gpu = route && route->fits;
            }
            if (!gpu) {
                route = place_whole_model(profile, devices, false, m->weights, 0, m->compute,
                                          m->host, why);
            }
            if (!route || !route->fits) {
                refused.push_back(model.id + " " + q +
                                  (route ? " (does not fit)" : " (" + why + ")"));
                continue;
            }
            const int prompt = std::min(request.prompt_tokens, ctx);
            auto speed = encoder_embedding_speed(in, route->device, prompt);
            WholeModelChoice choice;
            choice.model = &model;
            choice.engine = engine;
            choice.quantization = q;
            choice.weights_format = "gguf";
            choice.artifact = hf;
            choice.context_tokens = ctx;
            choice.route = &*route;
            choice.gpu = gpu;
            Scored s = whole_model_scored(choice, request, catalog);
            Candidate& c = s.candidate;
            if (speed) {
                c.speed.prefill_tokens_per_s = speed->tokens_per_s;
                c.speed.ttft_ms = speed->prompt_s * 1000.0;
            } else {
                c.speed.unknown_reason = speed.error().message;
            }
            DeploymentSettings& d = c.settings;
            d.engine_id = engine->id;
            d.backend = gpu ? facts.backend : "cpu";
            d.weights_format = "gguf";
            d.quantization = q;
            if (hf != nullptr) {
                d.artifact_repository = hf->repository;
            }
            d.context_tokens = ctx;
            d.batch_tokens = ctx; // one input per micro-batch, as the memory model assumes
            d.ubatch_tokens = ctx;
            d.total_layers = model.architecture.layers.value_or(0) + 1;
            d.gpu_layers = gpu ? d.total_layers : 0;
            d.flash_attention = true;
            d.threads = gpu ? 0 : facts.performance_cores;
            d.parallel_slots = 1;
            d.port = engine->serving.default_port.value_or(8080);
            d.mmap = true;
            score(s, request, facts);
            scored.push_back(std::move(s));
            ++fitting;
        }
    }
    if (evaluated == 0) {
        return;
    }
    fire(plan, "P2-memory-breakdown", "noted", "encoders",
         std::to_string(evaluated) +
             " BERT-style encoder option(s) evaluated with the encoder "
             "model (weights, no KV cache, one micro-batch per input): " +
             std::to_string(fitting) + " fit");
    if (!refused.empty()) {
        fire(plan, "F1-headroom", "rejected", std::to_string(refused.size()) + " encoder options",
             join(refused, "; "));
    }
}

} // namespace edgeplan::planner_detail
