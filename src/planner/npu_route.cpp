// E1-npu: the vendor NPU runtime as a route that competes with the GPU/CPU routes. A model
// gets an NPU candidate where the catalogue has an artifact compiled for this machine's NPU
// (runtime + accelerator), on an OS that runtime supports there, within the privacy (P1)
// and context (C1) rules; memory and speed come from estimate_npu (published figures for
// the chip, else speed unknown). docs/planner.md ("E1-npu").
#include "section_text.hpp"
#include "select_internal.hpp"

#include <edgeplan/estimate/buffers.hpp>
#include <edgeplan/estimate/memory.hpp>
#include <edgeplan/estimate/npu_runtime.hpp>

#include <algorithm>
#include <cctype>
#include <iterator>

namespace edgeplan::planner_detail {

namespace {

/// P3: a closed vendor runtime must beat the open routes by this many engine points (of
/// 100) to be chosen unpinned: "clearly better", not a tie broken in its favour.
constexpr double closed_runtime_penalty = 20.0;

/// W1 on battery: decode power measured on a Ryzen AI 300 laptop for Llama 3.2 3B
/// (FastFlowLM benchmarks, https://docs.fastflowlm.com/benchmarks/llama3_results.html):
/// NPU with the Ryzen AI Software 3.00 W, CPU 4.50 W, iGPU 13.11 W (CPU + NPU + iGPU rails).
/// The only published three-way measurement found; applied to every vendor's NPU as the
/// ratio NPU / route, which docs/estimation.md states as a cross-vendor proxy.
constexpr double npu_decode_watts = 3.00;
constexpr double cpu_decode_watts = 4.50;
constexpr double igpu_decode_watts = 13.11;

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

/// The engine accelerator id of an NPU, from its vendor ("" when no runtime targets it).
std::string accelerator_of(const NpuDevice& npu) {
    const std::string v = lower(npu.vendor.value.value_or(""));
    if (v.find("qualcomm") != std::string::npos) {
        return "npu-hexagon";
    }
    if (v.find("intel") != std::string::npos) {
        return "npu-intel";
    }
    if (v.find("amd") != std::string::npos) {
        return "npu-amd";
    }
    if (v.find("apple") != std::string::npos) {
        return "npu-ane";
    }
    if (v.find("mediatek") != std::string::npos) {
        return "npu-mediatek";
    }
    return "";
}

bool contains(const std::vector<std::string>& list, std::string_view item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

/// The published row for this chip: its chipset begins the profile's CPU/SoC model at a word
/// boundary ("Snapdragon X Elite" matches "Snapdragon X Elite X1E-78-100"), and what follows
/// is not a generation suffix ("Snapdragon 8 Elite" does not match "Snapdragon 8 Elite Gen
/// 5"); the longest such chipset wins.
const PublishedPerformance* published_for(const Artifact& artifact, const std::string& cpu_model) {
    const std::string cpu = lower(cpu_model);
    const PublishedPerformance* best = nullptr;
    for (const auto& p : artifact.performance) {
        const std::string chip = lower(p.chipset);
        if (chip.empty() || cpu.rfind(chip, 0) != 0) {
            continue;
        }
        const std::string rest = cpu.substr(chip.size());
        if (!rest.empty() && (rest[0] != ' ' || rest.rfind(" gen", 0) == 0)) {
            continue;
        }
        if (best == nullptr || p.chipset.size() > best->chipset.size()) {
            best = &p;
        }
    }
    return best;
}

struct NpuContext {
    const PlanRequest& request;
    const PlatformFacts& facts;
    const HardwareProfile& profile;
    const Catalog& catalog;
    Plan& plan;
    const NpuDevice& npu;
    std::string accelerator;
    std::string npu_name;
    std::uint64_t usable_bytes = 0; ///< system RAM the estimator may fill
};

/// P1 for a runtime: telemetry "none", or a switch, or the request does not keep data local.
bool privacy_allows(const Engine& e, const PlanRequest& request, std::string& why) {
    if (!request.keeps_data_local() || e.telemetry == "none" || e.telemetry_switch) {
        return true;
    }
    why = e.id + " telemetry is '" + e.telemetry +
          "' in the catalogue with no switch to turn it off: not used for an offline/private plan";
    return false;
}

std::optional<Scored> evaluate_artifact(const NpuContext& cx, const Model& m, const Artifact& a,
                                        const Engine& engine, std::string& why) {
    const PlanRequest& request = cx.request;
    // Quantization: the artifact's own (the weights are compiled in).
    if (a.quantizations.empty()) {
        why = "the artifact names no quantization";
        return std::nullopt;
    }
    const QuantizationRef ref = cx.catalog.find_quantization(a.quantizations.front());
    const std::string quant = ref.preset   ? ref.preset->id
                              : ref.format ? ref.format->id
                                           : a.quantizations.front();
    if (request.quant && cx.catalog.find_quantization(*request.quant).format != ref.format) {
        why = "--quant " + *request.quant + ": the artifact is compiled as " + quant;
        return std::nullopt;
    }
    // C1: a fixed-shape graph serves at most its compiled context.
    const int wanted = std::min(request.context_tokens.value_or(default_task_context(request.task)),
                                m.architecture.max_context_tokens.value_or(1 << 30));
    if (request.context_tokens && a.context_tokens && *request.context_tokens > *a.context_tokens) {
        why = "--context " + count_text(*request.context_tokens) + " is above the " +
              count_text(*a.context_tokens) + " tokens the graph was compiled for";
        return std::nullopt;
    }
    const int ctx = a.context_tokens.value_or(wanted);
    if (request.concurrency > 1) {
        why = "concurrency " + std::to_string(request.concurrency) +
              ": the NPU route is planned for one stream (the published figures are "
              "single-stream)";
        return std::nullopt;
    }
    const PublishedPerformance* perf =
        published_for(a, cx.profile.cpu.model.value.value_or(""));

    NpuInputs in;
    in.artifact_size_bytes = a.size_bytes;
    in.parameters = m.parameters_total;
    if (ref.format && ref.format->weight_bits) {
        in.bits_per_weight = *ref.format->weight_bits;
    }
    if (const auto bits = quantization_bits(quant, cx.catalog)) {
        in.bits_per_weight = *bits;
    }
    in.layers = m.architecture.layers.value_or(0);
    in.kv_heads = m.architecture.kv_heads.value_or(m.architecture.attention_heads.value_or(0));
    in.head_dim = m.architecture.head_dim.value_or(
        m.architecture.hidden_size && m.architecture.attention_heads
            ? *m.architecture.hidden_size / *m.architecture.attention_heads
            : 0);
    in.context_tokens = ctx;
    in.overhead_bytes = llama_cpp_host_overhead_bytes(m.architecture);
    in.usable_bytes = cx.usable_bytes;
    in.prompt_tokens = std::min(request.prompt_tokens, ctx);
    in.bandwidth_gbps = cx.facts.peak_bandwidth_gbps;
    if (perf != nullptr) {
        in.published_decode_tokens_per_s = perf->decode_tokens_per_s;
        in.published_ttft_ms_min = perf->ttft_ms_min;
        in.prompt_chunk_tokens = a.prompt_chunk_tokens;
    }
    const auto est = estimate_npu(in);
    if (!est) {
        why = "P2: no published size or parameters x bits, or no KV dimensions";
        return std::nullopt;
    }
    if (!est->fits()) {
        why = "F1: needs " + bytes_text(est->total_bytes()) + " of " +
              bytes_text(est->usable_bytes) + " usable RAM";
        return std::nullopt;
    }

    Scored s;
    Option& o = s.option;
    o.model = &m;
    o.engine = &engine;
    o.quantization = quant;
    o.weights_format = a.format;
    o.artifact = &a;
    o.artifact_has_quant = true;
    o.context_tokens = ctx;
    o.npu_artifact = &a;
    o.retention = quantization_retention(quant, cx.catalog);
    const TaskQuality tq = task_quality(m, request.task, cx.catalog);
    o.quality = tq.score * o.retention.retention;
    o.quality_estimated = tq.estimated;
    o.quality_basis = tq.basis + "; x " + o.retention.basis + " = " + number_text(o.quality);

    Candidate& c = s.candidate;
    c.model_id = m.id;
    c.model_name = m.name;
    c.quantization = quant;
    c.engine_id = engine.id;
    c.placement = "NPU (" + cx.npu_name + ")";
    c.parameters = m.parameters_total.value_or(0);
    DeviceMemory d;
    d.device = "system";
    d.description = "system RAM shared with the " + cx.npu_name;
    d.weights_bytes = est->weights_bytes;
    d.kv_cache_bytes = est->kv_bytes;
    d.overhead_bytes = est->overhead_bytes;
    d.total_bytes = est->total_bytes();
    d.usable_bytes = est->usable_bytes;
    d.margin_bytes = static_cast<std::int64_t>(est->usable_bytes) -
                     static_cast<std::int64_t>(est->total_bytes());
    d.fits = true;
    c.memory.push_back(d);
    c.speed.short_context_tokens = ctx;
    if (est->decode_tokens_per_s) {
        c.speed.decode_tokens_per_s_short = est->decode_tokens_per_s;
        c.speed.decode_tokens_per_s_full = est->decode_tokens_per_s; // fixed-shape graph
        c.speed.tpot_ms = 1000.0 / *est->decode_tokens_per_s;
        c.speed.ttft_ms = est->ttft_ms;
        if (perf->ttft_ms_min && a.prompt_chunk_tokens) {
            c.speed.prefill_tokens_per_s = *a.prompt_chunk_tokens * 1000.0 / *perf->ttft_ms_min;
        }
    } else {
        c.speed.unknown_reason = est->speed_basis;
    }
    c.load.push_back(LoadPoint{1, est->decode_tokens_per_s.value_or(0),
                               est->decode_tokens_per_s.value_or(0),
                               est->decode_tokens_per_s ? 1000.0 / *est->decode_tokens_per_s : 0,
                               c.speed.ttft_ms});
    c.max_concurrent_sequences = 1;
    c.quality = o.quality;
    c.quality_basis = o.quality_basis;
    c.fits = true;

    DeploymentSettings& ds = c.settings;
    ds.engine_id = engine.id;
    ds.backend = cx.accelerator;
    ds.weights_format = a.format;
    ds.quantization = quant;
    ds.artifact_repository = a.repository;
    ds.context_tokens = ctx;
    ds.total_layers = m.architecture.layers.value_or(0) + 1;
    ds.gpu_layers = ds.total_layers; // every layer (and the head) runs on the accelerator
    ds.parallel_slots = 1;
    ds.port = engine.serving.default_port.value_or(8080); // as candidate_from: a port is set
    ds.lora_adapters = request.lora_adapters;
    ds.npu_accelerator = cx.accelerator;
    ds.compiled_context_tokens = a.context_tokens;
    ds.prompt_chunk_tokens = a.prompt_chunk_tokens;
    if (perf != nullptr) {
        ds.target_chipset = perf->chipset;
    }

    std::string detail = m.id + " " + quant + " (" + a.repository.value_or(a.format) + ", " +
                         est->weights_basis + ", KV " + bytes_text(est->kv_bytes) + " at " +
                         count_text(ctx) +
                         (a.context_tokens ? " compiled" : " requested (set at load)") + ")";
    if (perf != nullptr) {
        detail += ": published " + rate_text(perf->decode_tokens_per_s) + " on " + perf->device +
                  (perf->date ? " (" + *perf->date + ")" : "") + ", " + perf->source;
    } else {
        detail += ": " + est->speed_basis;
    }
    if (!request.context_tokens && a.context_tokens && wanted > *a.context_tokens) {
        detail += "; context limited to the compiled " + count_text(*a.context_tokens) +
                  " (task default " + count_text(wanted) + ")";
    }
    fire(cx.plan, "E1-npu", "noted", engine.id, detail + ": evaluated");
    return s;
}

} // namespace

bool npu_runtime_has_artifacts(const Catalog& catalog, const std::string& engine_id) {
    return std::any_of(catalog.models.begin(), catalog.models.end(), [&](const Model& m) {
        return std::any_of(m.artifacts.begin(), m.artifacts.end(),
                           [&](const Artifact& a) { return a.runtime == engine_id; });
    });
}

std::vector<Scored> npu_candidates(const PlanRequest& request, const PlatformFacts& facts,
                                   const HardwareProfile& profile, const Catalog& catalog,
                                   Plan& plan) {
    std::vector<Scored> out;
    const Engine* pinned = request.engine ? catalog.find_engine(*request.engine) : nullptr;
    std::uint64_t usable = 0;
    for (const auto& dev : memory_devices(profile, BudgetRules{})) {
        if (dev.kind == MemoryDeviceKind::system) {
            usable = dev.usable_bytes();
        }
    }
    const bool pinned_npu_runtime =
        pinned != nullptr && npu_runtime_has_artifacts(catalog, pinned->id);
    const bool has_target_npu =
        std::any_of(profile.npus.begin(), profile.npus.end(), [&](const NpuDevice& n) {
            return pinned != nullptr && contains(pinned->accelerators, accelerator_of(n));
        });
    if (pinned_npu_runtime && !has_target_npu) {
        std::vector<std::string> npus;
        std::copy_if(pinned->accelerators.begin(), pinned->accelerators.end(),
                     std::back_inserter(npus),
                     [](const std::string& a) { return a.rfind("npu-", 0) == 0; });
        fire(plan, "E1-npu", "rejected", pinned->id,
             "--engine " + pinned->id + " runs on an NPU (" + join(npus, ", ") +
                 ") and the profile lists " +
                 (profile.npus.empty() ? std::string("no NPU") : "no NPU it runs on"));
    }
    for (const auto& npu : profile.npus) {
        const std::string accel = accelerator_of(npu);
        const std::string name = npu.model.value.value_or(npu.vendor.value.value_or(npu.id));
        if (request.engine && (pinned == nullptr || !contains(pinned->accelerators, accel))) {
            fire(plan, "E1-npu", "noted", npu.id,
                 name + ": the request pins " + *request.engine +
                     " (--engine or --model-file), which does not run on it");
            continue;
        }
        NpuContext cx{request, facts, profile, catalog, plan, npu, accel, name, usable};
        std::vector<std::string> rejected;
        std::size_t artifacts = 0;
        for (const auto& m : catalog.models) {
            if (request.model ? m.id != *request.model
                              : !contains(m.tasks, request.task) || !m.open_weights) {
                continue;
            }
            for (const auto& a : m.artifacts) {
                if (!a.runtime || a.accelerator != accel) {
                    continue;
                }
                const Engine* e = catalog.find_engine(*a.runtime);
                if (e == nullptr || (pinned != nullptr && pinned != e)) {
                    continue;
                }
                ++artifacts;
                std::string why;
                const auto& platforms = a.platforms.empty() ? e->platforms : a.platforms;
                if (!contains(platforms, facts.os)) {
                    why = e->id + " runs this artifact on the NPU on " +
                          join(platforms, "/") + ", not " + facts.os;
                } else if (!privacy_allows(*e, request, why)) {
                    fire(plan, "P1-offline", "rejected", e->id, why);
                    why = "P1";
                }
                std::optional<Scored> s;
                if (why.empty()) {
                    s = evaluate_artifact(cx, m, a, *e, why);
                }
                if (s) {
                    out.push_back(std::move(*s));
                } else {
                    rejected.push_back(m.id + " on " + e->id + " (" + why + ")");
                }
            }
        }
        if (artifacts == 0) {
            fire(plan, "E1-npu", "rejected", npu.id,
                 name + ": no " + request.task + " model in the catalogue has an artifact " +
                     "compiled for " + (accel.empty() ? "this NPU" : accel) +
                     " (a vendor runtime + accelerator; generic ONNX/Core ML exports do not "
                     "say which NPU runs them)");
        } else if (!rejected.empty()) {
            fire(plan, "E1-npu", "rejected", npu.id, name + ": " + join(rejected, "; "));
        }
    }
    // P3 and score: closed vendor runtimes start behind unless pinned.
    for (auto& s : out) {
        score(s, request, facts);
        if (!s.option.engine->open_source && pinned == nullptr) {
            const ScoreWeights w = score_weights(request.prefer);
            s.engine_score -= closed_runtime_penalty;
            s.candidate.score -= w.engine * closed_runtime_penalty;
            s.engine_reason += std::string(s.engine_reason.empty() ? "" : "; ") +
                               "P3: closed runtime, chosen only when clearly better (-" +
                               number_text(closed_runtime_penalty) + ")";
        }
    }
    return out;
}

void settle_npu_routes(std::vector<Scored>& scored, const PlanRequest& request,
                       const PlatformFacts& facts, Plan& plan) {
    const Scored* best_npu = nullptr;
    for (const auto& s : scored) {
        if (s.option.npu_artifact != nullptr &&
            (best_npu == nullptr || s.candidate.score > best_npu->candidate.score)) {
            best_npu = &s;
        }
    }
    if (best_npu == nullptr) {
        return;
    }
    const ScoreWeights w = score_weights(request.prefer);
    if (facts.battery) {
        for (auto& s : scored) {
            if (s.option.npu_artifact != nullptr) {
                continue;
            }
            const bool cpu = s.candidate.settings.backend == "cpu";
            const double ratio = npu_decode_watts / (cpu ? cpu_decode_watts : igpu_decode_watts);
            const double before = s.power_score;
            s.power_score *= ratio;
            s.candidate.score += w.power * (s.power_score - before);
        }
        fire(plan, "W1-power", "adjusted", "GPU/CPU routes",
             "on battery an NPU route fits: GPU routes score power x " +
                 number_text(npu_decode_watts / igpu_decode_watts) + " and CPU routes x " +
                 number_text(npu_decode_watts / cpu_decode_watts) +
                 " (decode watts measured for Llama 3.2 3B on a Ryzen AI 300 laptop: NPU " +
                 number_text(npu_decode_watts) + " W, iGPU " + number_text(igpu_decode_watts) +
                 " W, CPU " + number_text(cpu_decode_watts) +
                 " W; docs.fastflowlm.com/benchmarks/llama3_results.html)");
    }
    const Scored* best_other = nullptr;
    for (const auto& s : scored) {
        if (s.option.npu_artifact == nullptr &&
            (best_other == nullptr || s.candidate.score > best_other->candidate.score)) {
            best_other = &s;
        }
    }
    const Candidate& n = best_npu->candidate;
    std::string detail = n.model_id + " " + n.quantization + " on " + n.engine_id + ": score " +
                         number_text(n.score) + " (quality " + number_text(best_npu->option.quality) +
                         ", speed " + number_text(best_npu->speed_score) + ", engine " +
                         number_text(best_npu->engine_score) +
                         (best_npu->engine_reason.empty() ? ""
                                                          : " [" + best_npu->engine_reason + "]") +
                         ", power " + number_text(best_npu->power_score) + ")";
    if (best_other == nullptr) {
        fire(plan, "E1-npu", "chose", n.engine_id,
             detail + (request.engine ? "; pinned with --engine" : "; no GPU/CPU route fits"));
        return;
    }
    const Candidate& o = best_other->candidate;
    const bool wins = n.score > o.score;
    fire(plan, "E1-npu", wins ? "chose" : "rejected", n.engine_id,
         detail + (wins ? " beats " : " loses to ") + o.model_id + " " + o.quantization + " on " +
             o.engine_id + ": score " + number_text(o.score) + " (quality " +
             number_text(best_other->option.quality) + ", speed " +
             number_text(best_other->speed_score) + ", engine " +
             number_text(best_other->engine_score) + ", power " +
             number_text(best_other->power_score) + ")");
}

void npu_features(Scored& chosen, const PlanRequest& request, const PlatformFacts& facts,
                  Plan& plan) {
    const Candidate& c = chosen.candidate;
    const std::uint64_t kv = c.memory.empty() ? 0 : c.memory.front().kv_cache_bytes;
    fire(plan, "M1-kv-quant", "noted", c.engine_id,
         "the compiled graph fixes the KV cache: 16-bit, " + count_text(c.settings.context_tokens) +
             " positions (" + bytes_text(kv) + "), and its attention kernels; no engine flag "
             "changes them");
    fire(plan, "M1-speculative", "rejected", c.model_id,
         "no speculative decoding: the artifact ships one token-generator graph and no draft");
    if (facts.battery) {
        fire(plan, "W1-power", "noted", "settings",
             "battery (" + facts.power_basis + "): the NPU route has no thread or batch caps to "
             "set (fixed-shape graph); its lower draw is scored in W1 (E1-npu)");
    }
    (void)request;
}

} // namespace edgeplan::planner_detail
