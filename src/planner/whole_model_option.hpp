#pragma once

// The part of a scored option every whole-model route fills the same way (whisper.cpp,
// llama.cpp encoders, sherpa-onnx): the option's identity and quality, the candidate's
// identity, placement and memory. Each route adds its own speed and settings.

#include "speech_route.hpp"

#include <edgeplan/planner/planner.hpp>

#include <string>

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

/// A Scored with option, quality (task score x quantization retention, with its basis) and
/// candidate identity, placement and memory filled; speed, settings and score left to the
/// route.
Scored whole_model_scored(const WholeModelChoice& choice, const PlanRequest& request,
                          const Catalog& catalog);

} // namespace edgeplan::planner_detail
