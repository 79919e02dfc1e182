#pragma once

// Text-to-speech on sherpa-onnx (ONNX Runtime on the CPU): Kokoro and Piper voices, which
// no LLM engine runs, evaluated with edgeplan/estimate/tts.hpp and scored like every other
// option (docs/planner.md, "Text-to-speech").

#include "select_internal.hpp"

#include <vector>

namespace edgeplan::planner_detail {

/// The engine id of the route.
inline constexpr const char* sherpa_onnx_id = "sherpa-onnx";

/// True for a text-to-speech model with an ONNX artifact and a reference measurement
/// (tts_voice_facts): candidates.cpp leaves it to this route instead of refusing it.
bool routed_to_sherpa_onnx(const Model& model);

/// text-to-speech: every such voice x ONNX quantization that fits in system RAM, scored,
/// appended to `scored`, with one P2 and one F1 firing in the trace. Nothing for other tasks
/// or when --engine/--model exclude it; P1 rejects the engine offline when its telemetry is
/// not "none".
void add_tts_options(const PlanRequest& request, const PlatformFacts& facts,
                     const HardwareProfile& profile, const Catalog& catalog, Plan& plan,
                     std::vector<Scored>& scored);

/// "3.8x real time (real-time factor 0.26), first audio after 1.6 s" for a synthesiser's
/// candidate, per stream when the request has several (the trace's S1 line and the verdict).
std::string tts_speed_summary(const Candidate& candidate, const PlanRequest& request);

} // namespace edgeplan::planner_detail
