#pragma once

// The speech-to-text side of the plan report: Whisper on whisper.cpp is an encoder over
// 30-second audio windows plus a decoder of transcript tokens, so its figures are per
// window and per minute of speech, not prompt tokens (docs/estimation.md, "Whisper").

#include <edgeplan/core/plan.hpp>

#include <string>
#include <vector>

namespace edgeplan::report_detail {

struct Justification;

/// True when the candidate carries speech figures (whisper.cpp): the report then speaks of
/// audio windows and transcript tokens instead of prompt tokens.
bool is_speech(const Candidate& candidate);

/// The "Encoder" and "Transcription" lines of section 2.1 for a speech candidate.
std::vector<Justification> speech_justification(const Plan& plan, const Candidate& chosen);

/// The rate the runner-up table shows: transcript tok/s (encoder included) for speech, input
/// tokens embedded per second (prefill) for an embedding plan, the single-stream decode rate
/// otherwise; "unknown" when the plan has none.
std::string table_rate(const Candidate& candidate, bool embedding);

/// Header of that column: "Decode tok/s" unless some row is speech or the plan embeds.
std::string table_rate_header(const std::vector<Candidate>& rows, bool embedding);

/// Section 5 rows for a speech candidate (Metric | Projected | Target).
std::string speech_speed_rows(const Plan& plan, const Candidate& chosen);

} // namespace edgeplan::report_detail
