// plan_deployment: request checks, the platform facts, candidates, evaluation, scoring and
// selection, runner-ups, P4 alternatives when nothing fits, then the section writers.
#include "embedding_route.hpp"
#include "section_text.hpp"
#include "select_internal.hpp"
#include "speech_route.hpp"
#include "tts_route.hpp"

#include <edgeplan/estimate/buffers.hpp>
#include <edgeplan/planner/sections.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <set>

namespace edgeplan {

namespace {

using namespace planner_detail;

/// Largest --top: the report's runner-up table stays readable.
constexpr int top_limit = 20;
/// P4: alternatives shown when nothing fits.
constexpr std::size_t alternatives_limit = 6;

Status check_request_impl(const PlanRequest& r, const Catalog& catalog) {
    const auto tasks = plannable_tasks(catalog);
    if (std::find(tasks.begin(), tasks.end(), r.task) == tasks.end()) {
        return make_error(ExitCode::usage, "--task", "unknown task '" + r.task + "'");
    }
    if (r.model && catalog.find_model(*r.model) == nullptr) {
        return make_error(ExitCode::usage, "--model", "unknown model '" + *r.model + "'");
    }
    if (r.engine) {
        if (catalog.find_engine(*r.engine) == nullptr && !parse_fit_engine(*r.engine)) {
            return make_error(ExitCode::usage, "--engine", "unknown engine '" + *r.engine + "'");
        }
        if (!parse_fit_engine(*r.engine) && *r.engine != planner_detail::whisper_cpp_id &&
            *r.engine != planner_detail::sherpa_onnx_id &&
            !npu_runtime_has_artifacts(catalog, *r.engine)) {
            return make_error(ExitCode::usage, "--engine",
                              "the estimator has no memory model for '" + *r.engine +
                                  "', so no plan can show its breakdown (P2); recommend plans " +
                                  modelled_engine_list() +
                                  ", (speech-to-text) whisper.cpp, (text-to-speech) "
                                  "sherpa-onnx and NPU runtimes with "
                                  "catalogue artifacts");
        }
    }
    if (r.quant && !catalog.find_quantization(*r.quant).found()) {
        return make_error(ExitCode::usage, "--quant", "unknown quantization '" + *r.quant + "'");
    }
    if (r.context_tokens && (*r.context_tokens < 1 || *r.context_tokens > fit_context_limit)) {
        return make_error(ExitCode::usage, "--context",
                          "must be between 1 and " + std::to_string(fit_context_limit));
    }
    if (r.concurrency < 1 || r.concurrency > fit_concurrency_limit) {
        return make_error(ExitCode::usage, "--concurrency",
                          "must be between 1 and " + std::to_string(fit_concurrency_limit));
    }
    if (r.prompt_tokens < 1 || r.prompt_tokens > fit_context_limit) {
        return make_error(ExitCode::usage, "--prompt-tokens", "must be at least 1");
    }
    if (r.output_tokens < 1 || r.output_tokens > fit_context_limit) {
        return make_error(ExitCode::usage, "--output-tokens", "must be at least 1");
    }
    if (r.min_tokens_per_s && !(*r.min_tokens_per_s > 0 && *r.min_tokens_per_s <= 1e6)) {
        return make_error(ExitCode::usage, "--min-tps", "must be above 0 (tokens per second)");
    }
    if (r.max_ttft_ms && !(*r.max_ttft_ms > 0 && *r.max_ttft_ms <= 1e7)) {
        return make_error(ExitCode::usage, "--max-ttft-ms", "must be above 0 (milliseconds)");
    }
    if (r.top < 0 || r.top > top_limit) {
        return make_error(ExitCode::usage, "--top",
                          "must be between 0 and " + std::to_string(top_limit));
    }
    return Done{};
}

void note_platform(const PlanRequest& request, const PlatformFacts& f, Plan& plan) {
    if (request.keeps_data_local()) {
        fire(plan, "P1-offline", "chose", "route",
             std::string(request.offline ? "--offline" : "--privacy strict/airgap") +
                 ": no cloud route; engines that phone home are excluded or switched off");
    } else if (request.allow_cloud_fallback) {
        fire(plan, "P1-offline", "noted", "route",
             "cloud fallback allowed (--allow-cloud-fallback, not offline): the local plan "
             "stays primary");
    }
    const char* kinds[] = {"Apple Silicon (Metal, unified memory)", "NVIDIA (CUDA)", "AMD GPU",
                           "GPU (Vulkan/SYCL)", "CPU only"};
    std::string platform = kinds[static_cast<int>(f.kind)];
    if (f.unified_memory && f.kind != PlatformKind::apple_silicon) {
        platform += ", unified memory";
    }
    fire(plan, "E1-engine", "noted", "platform",
         platform + " on " + f.os + ": " + bytes_text(f.total_memory_bytes) + " of memory in all");
    if (!f.gpus_unknown_vram.empty()) {
        fire(plan, "F1-headroom", "flagged", join(f.gpus_unknown_vram, ", "),
             std::to_string(f.gpus_unknown_vram.size()) +
                 " GPU(s) with unknown memory size: nothing is placed on them (unknown is not "
                 "0, but it is not a budget either); give --hardware with VRAM or a --target");
    }
    fire(plan, "W1-power", "noted", f.battery ? "battery" : "ac",
         f.power_basis + (f.battery ? ": 4/8-bit weights preferred, threads and batch capped"
                                    : ": BF16/Q8 allowed where they fit"));
    if (f.passive_cooling || f.sustained_fraction) {
        fire(plan, "W1-thermal", "adjusted", "speed",
             std::string(f.passive_cooling ? "passive cooling" : "sustained load") +
                 ": planning on sustained throughput (sustained fraction " +
                 (f.sustained_fraction ? number_text(*f.sustained_fraction) : "assumed") + ")");
    }
    if (f.hot_zone) {
        fire(plan, "W1-thermal", "flagged", "thermal",
             "already hot: " + *f.hot_zone +
                 "; sustained estimate lowered by 15% and the speed "
                 "targets' confidence with it");
    }
}

/// F1: a non-Apple GPU on unified memory (Jetson, GB10, Strix Halo) whose profile gives no
/// memory size allocates from system RAM: plan it with the RAM the OS leaves (the estimator's
/// own desktop reserve), inferred, so the model is not forced onto the CPU. The estimator
/// counts unified GPU bytes against system RAM as well, so nothing is counted twice. Only GPUs
/// with CUDA or ROCm: llama.cpp's Vulkan/OpenCL paths on small iGPUs (VideoCore, Adreno) are
/// no faster than the CPU, so those stay unplanned and the plan runs on the CPU.
HardwareProfile planning_profile(const HardwareProfile& profile, Plan& plan) {
    HardwareProfile p = profile;
    const auto ram = profile.memory.total_bytes.value;
    for (auto& gpu : p.gpus) {
        const bool unified = gpu.memory_kind.value == std::optional<std::string>("unified");
        const bool apple = gpu.vendor.value == std::optional<std::string>("Apple");
        const bool compute_api =
            std::find(gpu.apis.begin(), gpu.apis.end(), "cuda") != gpu.apis.end() ||
            std::find(gpu.apis.begin(), gpu.apis.end(), "rocm") != gpu.apis.end();
        if (!unified || apple || gpu.memory_total_bytes.value || !ram) {
            continue;
        }
        if (!compute_api) {
            fire(plan, "E1-engine", "noted", gpu.id,
                 gpu.model.value.value_or("GPU") + " has no CUDA/ROCm (only " +
                     join(gpu.apis, "/") +
                     "): llama.cpp runs on the CPU, which is as fast on a "
                     "shared memory bus");
            continue;
        }
        const std::uint64_t usable = system_memory_usable_bytes(*ram, HostRole::desktop);
        gpu.memory_total_bytes = {usable, Source::inferred};
        fire(plan, "F1-headroom", "adjusted", gpu.id,
             gpu.model.value.value_or("GPU") +
                 " shares system memory and the profile gives it no "
                 "size: planned with the " +
                 bytes_text(usable) + " of " + bytes_text(*ram) +
                 " RAM the OS leaves (inferred), counted once");
    }
    return p;
}

bool ranks_before(const Scored& a, const Scored& b) {
    if (a.meets_user_targets != b.meets_user_targets) {
        return a.meets_user_targets;
    }
    if (a.candidate.score != b.candidate.score) {
        return a.candidate.score > b.candidate.score;
    }
    if (a.speed_known && b.speed_known && a.per_stream_tokens_per_s != b.per_stream_tokens_per_s) {
        return a.per_stream_tokens_per_s > b.per_stream_tokens_per_s; // equal score: the faster
    }
    if (a.candidate.model_id != b.candidate.model_id) {
        return a.candidate.model_id < b.candidate.model_id;
    }
    if (a.candidate.quantization != b.candidate.quantization) {
        return a.candidate.quantization < b.candidate.quantization;
    }
    return a.candidate.engine_id < b.candidate.engine_id;
}

std::string device_summary(const Candidate& c) {
    std::vector<std::string> parts;
    for (const auto& d : c.memory) {
        if (d.device == "disk") {
            continue;
        }
        parts.push_back(d.device + " " + bytes_text(d.total_bytes) + " of " +
                        bytes_text(d.usable_bytes) + " usable (margin " +
                        signed_bytes_text(d.margin_bytes) + ")");
    }
    return join(parts, ", ");
}

/// P4: concrete changes that fit, from the estimator's alternative search on the failed
/// options with the best quality.
void add_alternatives(std::vector<std::pair<Option, FitRequest>> failed, const PlanRequest& request,
                      const PlatformFacts& facts, const HardwareProfile& profile,
                      const Catalog& catalog, Plan& plan) {
    // Best models first (task score before quantization); within a model, start the search
    // from Q4_K_M, the usual deployable point, so the alternatives are steps down from it.
    std::stable_sort(failed.begin(), failed.end(), [](const auto& a, const auto& b) {
        const double qa = a.first.quality / a.first.retention.retention;
        const double qb = b.first.quality / b.first.retention.retention;
        if (qa != qb) {
            return qa > qb;
        }
        return (a.first.quantization == "Q4_K_M") > (b.first.quantization == "Q4_K_M");
    });
    std::set<std::string> models_tried;
    std::set<std::string> seen;
    for (const auto& [option, req] : failed) {
        if (plan.alternatives.size() >= alternatives_limit || models_tried.size() >= 2) {
            break;
        }
        if (!models_tried.insert(option.model->id).second) {
            continue;
        }
        auto report = fit_model(req, profile, catalog);
        if (!report) {
            continue;
        }
        for (const auto& alt : report->alternatives) {
            if (plan.alternatives.size() >= alternatives_limit) {
                break;
            }
            Option o = option;
            o.model = alt.evaluation.settings.model;
            o.quantization = alt.evaluation.settings.quantization;
            o.context_tokens = alt.evaluation.settings.context_tokens;
            o.fit_engine = alt.evaluation.settings.engine;
            if (const Engine* e = catalog.find_engine(fit_engine_id(o.fit_engine))) {
                o.engine = e;
            }
            o.retention = quantization_retention(o.quantization, catalog);
            const TaskQuality tq = task_quality(*o.model, request.task, catalog);
            o.quality = tq.score * o.retention.retention;
            o.quality_basis = tq.basis + "; x " + o.retention.basis;
            Candidate c = candidate_from(o, alt.evaluation, request, facts, profile, catalog);
            c.change = option.model->id + " " + option.quantization + " -> " + alt.kind + ": " +
                       alt.change;
            if (!seen.insert(c.model_id + "|" + c.quantization + "|" + *c.change).second) {
                continue;
            }
            if (alt.kind == "ssd-streaming") {
                c.lost_because.push_back("M1-ssd: weights re-read from disk every token, heavy "
                                         "penalty; only because nothing else fits");
            }
            plan.alternatives.push_back(std::move(c));
        }
    }
    fire(plan, "P4-over-capacity", "flagged", "plan",
         "nothing fits with headroom: not approved; " + std::to_string(plan.alternatives.size()) +
             " concrete alternative(s) listed with their numbers");
}

} // namespace

Status check_plan_request(const PlanRequest& request, const Catalog& catalog) {
    PlanRequest r = request;
    if (r.task == "agent") {
        r.task = "tool-use";
    }
    return check_request_impl(r, catalog);
}

Result<Plan> plan_deployment(const PlanRequest& in, const HardwareProfile& in_profile,
                             const Catalog& catalog) {
    PlanRequest request = in;
    if (request.task == "agent") {
        request.task = "tool-use";
    }
    if (Status ok = check_request_impl(request, catalog); !ok) {
        return ok.error();
    }
    Plan plan;
    plan.request = request;
    plan.hardware = in_profile;
    const HardwareProfile profile = planning_profile(in_profile, plan);
    const PlatformFacts facts = platform_facts(request, profile, catalog);
    note_platform(request, facts, plan);
    const int ctx_default = default_task_context(request.task);
    fire(plan, "C1-context", request.context_tokens ? "noted" : "chose", request.task,
         request.context_tokens
             ? "context " + count_text(*request.context_tokens) + " per sequence (--context)"
             : "context " + count_text(ctx_default) + " per sequence, the " + request.task +
                   " default, clamped to each model's maximum");
    const Targets targets = targets_for(request);
    // Speech and embedding name the targets in their own quantities (S1's miss text does too);
    // text-to-speech in audio seconds, not tokens.
    const bool speech_task = request.task == "speech-to-text";
    const bool speech_out = request.task == "text-to-speech";
    fire(plan, "S1-speed", "noted", "targets",
         number_text(targets.tokens_per_s) +
             (speech_out                    ? "x real time per stream"
              : request.task == "embedding" ? " tok/s prefill"
              : speech_task                 ? " tok/s of transcript per stream"
                                            : " tok/s per stream") +
             (targets.tokens_from_user ? " (--min-tps, required)" : " (task default, preferred)") +
             (speech_out                    ? ", first audio "
              : speech_task                 ? ", first transcript token "
              : request.task == "embedding" ? ", time per input "
                                            : ", TTFT ") +
             number_text(targets.ttft_ms) + " ms" +
             (targets.ttft_from_user ? " (--max-ttft-ms, required)" : " (task default)") +
             (targets.tokens_from_user
                  ? ""
                  : ": " + std::string(default_task_targets(request.task).reason)));

    std::vector<Option> oversized;
    const std::vector<Option> options =
        enumerate_options(request, facts, profile, catalog, plan, oversized);
    // Evaluate in order of the best score each option could reach; stop once that bound is
    // below the score an option must beat to be chosen or shown among the runner-ups (the
    // (top + 1)-th best model/engine pair meeting the required targets). Exact: a skipped
    // option could not have changed the choice or the runner-ups.
    std::vector<std::pair<double, const Option*>> order;
    for (const auto& o : options) {
        order.emplace_back(score_upper_bound(o, request, facts), &o);
    }
    std::stable_sort(order.begin(), order.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    std::vector<Scored> scored = npu_candidates(request, facts, profile, catalog, plan);
    std::vector<std::pair<Option, FitRequest>> failed;
    std::vector<std::string> unmodelled;
    std::map<std::string, double> best_per_pair;
    for (const auto& s : scored) { // E1-npu routes compete for the same places
        if (s.meets_user_targets) {
            double& best = best_per_pair[s.option.model->id + "|" + s.option.engine->id];
            best = std::max(best, s.candidate.score);
        }
    }
    const std::size_t needed = static_cast<std::size_t>(request.top) + 1;
    std::size_t evaluated = 0;
    for (const auto& [bound, option] : order) {
        if (best_per_pair.size() >= needed) {
            std::vector<double> best;
            for (const auto& [pair, score_value] : best_per_pair) {
                best.push_back(score_value);
            }
            std::nth_element(best.begin(), best.begin() + static_cast<long>(needed - 1), best.end(),
                             std::greater<>());
            if (bound < best[needed - 1]) {
                break;
            }
        }
        const Option& o = *option;
        ++evaluated;
        Evaluated e = evaluate_option(o, request, facts, profile, catalog);
        if (e.scored) {
            score(*e.scored, request, facts);
            if (e.scored->meets_user_targets) {
                double& best = best_per_pair[o.model->id + "|" + o.engine->id];
                best = std::max(best, e.scored->candidate.score);
            }
            scored.push_back(std::move(*e.scored));
        } else if (e.failed) {
            failed.emplace_back(o, *e.failed);
        } else if (e.why.rfind("P2", 0) == 0) {
            const std::string item = o.model->id + " (" + e.why.substr(4) + ")";
            if (std::find(unmodelled.begin(), unmodelled.end(), item) == unmodelled.end()) {
                unmodelled.push_back(item);
            }
        }
    }
    settle_npu_routes(scored, request, facts, plan);
    std::sort(unmodelled.begin(), unmodelled.end());
    fire(plan, "P2-memory-breakdown", "noted", "candidates",
         std::to_string(evaluated) + " of " + std::to_string(options.size()) +
             " options evaluated by the estimator (the rest could not outscore the runner-ups): " +
             std::to_string(scored.size()) + " fit with headroom, " +
             std::to_string(failed.size()) +
             " do not fit; only options with a memory breakdown "
             "can be chosen");
    if (!unmodelled.empty()) {
        fire(plan, "P2-memory-breakdown", "rejected",
             std::to_string(unmodelled.size()) + " model(s)",
             "the estimator could not model: " + join(unmodelled, "; "));
    }
    add_whisper_options(request, facts, profile, catalog, plan, scored);
    add_encoder_embedding_options(request, facts, profile, catalog, plan, scored);
    add_tts_options(request, facts, profile, catalog, plan, scored);
    std::sort(scored.begin(), scored.end(), ranks_before);

    if (scored.empty()) {
        plan.approved = false;
        if (options.empty() && oversized.empty() && failed.empty() &&
            !task_has_modelled_model(request, catalog)) {
            plan.task_unserved = true;
            plan.verdict = unserved_task_verdict(request, catalog, plan);
            return plan;
        }
        for (const auto& o : oversized) {
            FitRequest req;
            req.model = o.model;
            req.quantization = o.quantization;
            req.engine = o.fit_engine;
            req.context_tokens = o.context_tokens;
            req.concurrency = request.concurrency;
            req.prompt_tokens = std::min(request.prompt_tokens, o.context_tokens);
            failed.emplace_back(o, req);
        }
        add_alternatives(failed, request, facts, profile, catalog, plan);
        plan.verdict = options.empty() && oversized.empty()
                           ? "no catalogue model and engine can serve " + request.task +
                                 " on this hardware under the request's rules"
                           : "nothing fits with headroom (" + std::to_string(failed.size()) +
                                 " options); see the " + std::to_string(plan.alternatives.size()) +
                                 " alternatives";
        return plan;
    }

    Scored chosen = scored.front();
    if (chosen.candidate.engine_id != whisper_cpp_id &&
        chosen.candidate.engine_id != sherpa_onnx_id) { // neither has M1's knobs
        apply_features(chosen, request, facts, profile, catalog, plan);
    }
    const Candidate& c = chosen.candidate;
    // Whisper's speed is the transcript rate with the encoder included, not LLM decode.
    const bool speech = c.speed.transcript_tokens_per_s.has_value();
    fire(plan, "F1-headroom", "chose", c.model_id, device_summary(c));
    fire(plan, "Q1-quality", "chose", c.model_id + " " + c.quantization,
         c.quality_basis +
             (chosen.option.quality_estimated ? " (estimated, no published score)" : ""));
    if (c.engine_id == sherpa_onnx_id) {
        fire(plan, "S1-speed", chosen.meets_user_targets ? "chose" : "flagged", c.model_id,
             tts_speed_summary(c, request) + " vs target " + number_text(targets.tokens_per_s) +
                 "x real time" + (chosen.misses.empty() ? "" : "; " + join(chosen.misses, "; ")));
    } else {
        fire(plan, "S1-speed", chosen.meets_user_targets ? "chose" : "flagged", c.model_id,
             (chosen.speed_known ? rate_text(chosen.per_stream_tokens_per_s) : std::string("unknown")) +
                 (request.task == "embedding" ? " prefill"
                  : speech ? " of transcript (encoder included) per stream at concurrency " +
                                 std::to_string(request.concurrency)
                           : " per stream at concurrency " + std::to_string(request.concurrency)) +
                 " vs target " + number_text(targets.tokens_per_s) +
                 (c.speed.ttft_ms
                      ? (speech                        ? ", first transcript token "
                         : request.task == "embedding" ? ", time per input "
                                                       : ", TTFT ") +
                            ms_text(*c.speed.ttft_ms)
                      : std::string()) +
                 (chosen.misses.empty() ? "" : "; " + join(chosen.misses, "; ")));
    }
    const ScoreWeights w = score_weights(request.prefer);
    fire(plan, "R1-score", "chose", c.model_id + " " + c.quantization + " " + c.engine_id,
         "score " + number_text(c.score) + " = " + number_text(w.quality) + " x quality " +
             number_text(chosen.option.quality) + " + " + number_text(w.speed) + " x speed " +
             number_text(chosen.speed_score) + " + " + number_text(w.engine) + " x engine " +
             number_text(chosen.engine_score) + " + " + number_text(w.headroom) + " x headroom " +
             number_text(chosen.headroom_score) + " + " + number_text(w.power) + " x power " +
             number_text(chosen.power_score) + " (of " + std::to_string(scored.size()) +
             " fitting options)");

    std::set<std::string> pairs{c.model_id + "|" + c.engine_id};
    for (std::size_t i = 1;
         i < scored.size() && static_cast<int>(plan.runner_ups.size()) < request.top; ++i) {
        const Scored& s = scored[i];
        if (!pairs.insert(s.candidate.model_id + "|" + s.candidate.engine_id).second) {
            continue;
        }
        Candidate r = s.candidate;
        r.lost_because = lost_because(s, chosen, request);
        plan.runner_ups.push_back(std::move(r));
    }

    plan.approved = chosen.meets_user_targets;
    const std::string what =
        c.model_id + " " + c.quantization + " on " + c.engine_id + " (" + c.placement + ")";
    plan.verdict = plan.approved
                       ? what + ", " +
                             (c.engine_id == sherpa_onnx_id
                                  ? tts_speed_summary(c, request)
                                  : (chosen.speed_known ? rate_text(chosen.per_stream_tokens_per_s)
                                                        : "speed unknown") +
                                        (request.task == "embedding" ? " prefill"
                                         : speech                    ? " of transcript per stream"
                                                                     : " per stream"))
                       : "the best fitting option, " + what +
                             ", misses the request: " + join(chosen.misses, "; ");
    plan.chosen = c;
    write_plan_sections(plan, catalog);
    return plan;
}

} // namespace edgeplan
