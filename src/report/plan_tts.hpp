#pragma once

// The text-to-speech side of the plan report: a sherpa-onnx voice makes seconds of audio from
// sentences, so its figures are real-time factors, seconds of compute per minute of audio and
// the time to the first sentence of audio, never prompt tokens, tokens per second or a KV
// cache (docs/estimation.md, "Text-to-speech on sherpa-onnx").

#include <edgeplan/core/plan.hpp>

#include <string>
#include <vector>

namespace edgeplan::report_detail {

struct Justification;

/// True when the candidate carries text-to-speech figures (sherpa-onnx).
bool is_tts(const Candidate& candidate);

/// The "Synthesis" and "First audio" lines of section 2.1.
std::vector<Justification> tts_justification(const Plan& plan, const Candidate& chosen);

/// Section 5 rows (Metric | Projected | Target) for a synthesiser.
std::string tts_speed_rows(const Plan& plan, const Candidate& chosen);

/// Section 5 memory table for a synthesiser: ONNX file + style vectors, activation arena,
/// process; no KV cache column (the voices keep none).
std::string tts_memory_table(const Candidate& chosen);

/// The request line of a text-to-speech plan: sentences, not prompt and output tokens.
std::string tts_request_summary(const PlanRequest& request);

/// "3.80x" for the runner-up tables (seconds of audio per second, one stream).
std::string tts_table_rate(const Candidate& candidate);

} // namespace edgeplan::report_detail
