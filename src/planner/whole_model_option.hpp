#pragma once

// The part of a scored option every whole-model route fills the same way (whisper.cpp,
// llama.cpp encoders, sherpa-onnx): the option's identity and quality, the candidate's
// identity, placement and memory. Each route adds its own speed and settings.

#include "speech_route.hpp"

#include <edgeplan/planner/planner.hpp>

#include <string>
#include <string_view>

namespace edgeplan::planner_detail {

/// What a whole-model route decided for one option.
struct WholeModelChoice {
    const Model* model = nullptr;
    const Engine* engine = nullptr;
    std::string quantization;           ///< as the artifact lists it
    std::string weights_format;         ///< "ggml", "gguf", "onnx"
    const Artifact* artifact = nullptr; ///< the artifact the option comes from, if any
    bool artifact_has_quant = false;
    int context_tokens = 0;
    const WholeModelRoute* route = nullptr; ///< the placement that fits
    bool gpu = false;                       ///< "full GPU", else "CPU only"
};

/// The engine a whole-model route runs on, or nullptr (with a P1/E1 firing where a rule
/// excludes it) when the task is not `task`, the engine is missing or another is pinned, the
/// request keeps data local and the engine's catalogue telemetry is not "none", or it does
/// not run on the platform's OS.
const Engine* whole_model_engine(const PlanRequest& request, const PlatformFacts& facts,
                                 const Catalog& catalog, Plan& plan, std::string_view task,
                                 const std::string& engine_id);

/// Marks a speech option that runs slower than real time as missing the request (audio
/// arrives or plays in real time, so falling behind is a requirement, not a preference).
void require_real_time(Scored& scored, double real_time_factor, double seconds_per_minute,
                       const std::string& what);

/// A Scored with option, quality (task score x quantization retention, with its basis) and
/// candidate identity, placement and memory filled; speed, settings and score left to the
/// route.
Scored whole_model_scored(const WholeModelChoice& choice, const PlanRequest& request,
                          const Catalog& catalog);

} // namespace edgeplan::planner_detail
