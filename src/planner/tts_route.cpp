// Text-to-speech on sherpa-onnx (docs/planner.md, "Text-to-speech"). sherpa-onnx runs the
// voice on ONNX Runtime's CPU provider (its prebuilt CUDA/CoreML providers are not planned:
// no measurement to scale), one sentence per pass. Memory is the ONNX file, the style
// vectors, the activation arena of the longest sentence and the process; speed a published
// real-time factor scaled to this CPU. Scored with the same weights as every other option.
#include "tts_route.hpp"

#include "section_text.hpp"
#include "speech_route.hpp"
#include "whole_model_option.hpp"

#include <edgeplan/estimate/memory.hpp>
#include <edgeplan/estimate/tts.hpp>

#include <algorithm>

namespace edgeplan::planner_detail {

namespace {

constexpr double fp32_bytes = 4;

const Artifact* onnx_artifact(const Model& model) {
    for (const auto& a : model.artifacts) {
        if (a.format == "onnx" && !a.quantizations.empty()) {
            return &a;
        }
    }
    return nullptr;
}

/// The ONNX file: its published size, else parameters x 4 B (the voices ship as fp32).
std::uint64_t onnx_bytes(const Model& model, const Artifact& artifact) {
    if (artifact.size_bytes) {
        return *artifact.size_bytes;
    }
    return static_cast<std::uint64_t>(static_cast<double>(model.parameters_total.value_or(0)) *
                                      fp32_bytes);
}

/// sherpa-onnx's projected speed on the shared candidate.
void add_tts_speed(Candidate& c, const TtsSpeed& speed) {
    SpeedProjection& s = c.speed;
    s.audio_speed_multiple = speed.speed_multiple;
    s.real_time_factor = speed.real_time_factor;
    s.seconds_per_audio_minute = speed.seconds_per_audio_minute;
    s.first_audio_ms = speed.first_audio_s * 1000.0;
    s.first_sentence_audio_s = speed.first_sentence_audio_s;
}

/// The CLI's settings on the shared candidate.
void add_tts_settings(Candidate& c, const TtsCpu& cpu, const Engine& engine,
                      const Artifact& artifact, const std::string& q) {
    DeploymentSettings& d = c.settings;
    d.engine_id = engine.id;
    d.backend = "cpu";
    d.weights_format = "onnx";
    d.quantization = q;
    d.artifact_repository = artifact.repository;
    const auto file = artifact.files.find(q);
    if (file != artifact.files.end()) {
        d.artifact_file = file->second;
    }
    d.threads = cpu.threads;
    d.parallel_slots = 1;
    d.mmap = false; // ONNX Runtime reads the whole file into its session
    d.port = 0;     // a CLI per request: nothing listens
}

} // namespace

std::string tts_speed_summary(const Candidate& c, const PlanRequest& request) {
    const auto& sp = c.speed;
    if (!sp.audio_speed_multiple) {
        return "real-time factor unknown";
    }
    const int streams = std::max(1, request.concurrency);
    std::string text = number_text(sp.audio_speed_multiple.value_or(0) / streams) +
                       "x real time (real-time factor " +
                       number_text(sp.real_time_factor.value_or(0) * streams) + ")";
    if (streams > 1) {
        text += " per stream at concurrency " + std::to_string(streams);
    }
    if (sp.first_audio_ms) {
        text += ", first audio after " + ms_text(*sp.first_audio_ms);
    }
    return text;
}

bool routed_to_sherpa_onnx(const Model& model) {
    return std::find(model.tasks.begin(), model.tasks.end(), "text-to-speech") !=
               model.tasks.end() &&
           onnx_artifact(model) != nullptr && tts_voice_facts(model.id).has_value();
}

void add_tts_options(const PlanRequest& request, const PlatformFacts& facts,
                     const HardwareProfile& profile, const Catalog& catalog, Plan& plan,
                     std::vector<Scored>& scored) {
    const Engine* engine =
        whole_model_engine(request, facts, catalog, plan, "text-to-speech", sherpa_onnx_id);
    if (engine == nullptr) {
        return;
    }
    const std::vector<MemoryDevice> devices = memory_devices(profile, BudgetRules{});
    auto cpu = tts_cpu(profile.cpu, facts.performance_cores);
    std::vector<std::string> refused;
    std::vector<std::string> unprojected; // fit, but the CPU's speed cannot be projected
    int evaluated = 0;
    int fitting = 0;
    for (const auto& model : catalog.models) {
        if ((request.model && model.id != *request.model) || !routed_to_sherpa_onnx(model)) {
            continue;
        }
        const Artifact& artifact = *onnx_artifact(model);
        const TtsVoiceFacts voice = *tts_voice_facts(model.id);
        for (const auto& q : artifact.quantizations) {
            if (request.quant && lower(*request.quant) != lower(q)) {
                continue;
            }
            ++evaluated;
            TtsMemoryInputs mi;
            mi.facts = voice;
            mi.onnx_file_bytes = onnx_bytes(model, artifact);
            const TtsMemory m = tts_memory(mi);
            std::string why;
            // The style vectors are read into RAM beside the graph: weights for the plan.
            auto route = place_whole_model(profile, devices, false, m.weights + m.voices, 0,
                                           m.activations, m.runtime, why);
            if (!route || !route->fits) {
                refused.push_back(model.id + " " + q +
                                  (route ? " (does not fit)" : " (" + why + ")"));
                continue;
            }
            WholeModelChoice choice;
            choice.model = &model;
            choice.engine = engine;
            choice.quantization = q;
            choice.weights_format = "onnx";
            choice.artifact = &artifact;
            choice.artifact_has_quant = true;
            choice.route = &*route;
            Scored s = whole_model_scored(choice, request, catalog);
            if (!cpu) {
                // Real time is a requirement, so an unknown speed cannot be approved: the
                // option stays (its memory is known) with the reason, rather than a guess.
                add_tts_settings(s.candidate, TtsCpu{0, 1}, *engine, artifact, q);
                s.candidate.speed.unknown_reason = cpu.error().message;
                score(s, request, facts);
                s.meets_user_targets = false;
                s.misses.push_back("S1: real-time factor cannot be projected (" +
                                   cpu.error().message +
                                   "); give the CPU's maximum frequency "
                                   "with --hardware");
                unprojected.push_back(model.id + " " + q);
                scored.push_back(std::move(s));
                continue;
            }
            TtsSpeedInputs si;
            si.facts = voice;
            si.cpu = *cpu;
            const TtsSpeed speed = estimate_tts_speed(si);
            add_tts_settings(s.candidate, *cpu, *engine, artifact, q);
            add_tts_speed(s.candidate, speed);
            score(s, request, facts);
            // Playback consumes audio in real time: a slower voice stalls after a sentence.
            // Concurrent requests share the same cores, so each stream gets 1/N of the speed.
            const double streams = std::max(1, request.concurrency);
            require_real_time(s, speed.real_time_factor * streams,
                              speed.seconds_per_audio_minute * streams,
                              streams > 1 ? "audio per stream" : "audio");
            scored.push_back(std::move(s));
            ++fitting;
        }
    }
    if (evaluated == 0) {
        return;
    }
    fire(plan, "P2-memory-breakdown", "noted", engine->id,
         std::to_string(evaluated) +
             " text-to-speech option(s) evaluated with the sherpa-onnx "
             "model (ONNX file + style vectors, activation arena of a 30 s sentence, process): " +
             std::to_string(fitting) + " fit");
    if (!refused.empty()) {
        fire(plan, "F1-headroom", "rejected",
             std::to_string(refused.size()) + " text-to-speech options", join(refused, "; "));
    }
    if (!unprojected.empty()) {
        // Real time is a requirement, so an unknown speed cannot be approved: say what is
        // missing rather than guess.
        fire(plan, "S1-speed", "flagged",
             std::to_string(unprojected.size()) + " text-to-speech options",
             join(unprojected, ", ") +
                 " fit in memory, but the real-time factor cannot be "
                 "projected: " +
                 cpu.error().message +
                 "; give the CPU's maximum frequency with "
                 "--hardware");
    }
}

} // namespace edgeplan::planner_detail
