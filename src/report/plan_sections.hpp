#pragma once

// The pieces of the plan report that both renderers share, so the Markdown and the JSON
// say the same thing: the verdict, the request summary, the artifact, the justification,
// where notes go, and the stack diagram.

#include <edgeplan/core/catalog.hpp>
#include <edgeplan/core/plan.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace edgeplan::report_detail {

/// "APPROVED" or "NOT APPROVED".
std::string verdict_label(const Plan& plan);
/// "APPROVED: <verdict>" or "NOT APPROVED: <reason>" (the reason defaults to "nothing fits").
std::string verdict_line(const Plan& plan);
/// One line: task, offline/privacy, context, typical request, concurrency, targets. A speech
/// plan (Whisper) states its input as audio windows: prompt/output tokens do not apply.
std::string request_summary(const PlanRequest& request, bool speech = false);
std::string privacy_name(Privacy privacy);
std::string power_name(PowerMode power);
std::string preference_name(Preference prefer);

/// True when the start path must not download anything (offline, or privacy airgap).
bool forbids_download(const PlanRequest& request);

/// What to fetch, in words: "`repo` file `name`", "Ollama tag `llama3.1:8b`" or "unknown".
std::string artifact_text(const DeploymentSettings& settings);

/// One line of "why this": a topic ("Quality", "Memory"...) and a sentence with numbers.
struct Justification {
    std::string topic;
    std::string text;
};
std::vector<Justification> justification(const Plan& plan, const Candidate& chosen);

/// The load point with `streams` concurrent requests, or the largest below it; nullptr if none.
const LoadPoint* load_at(const Candidate& candidate, int streams);
/// "8.0B", "" when unknown.
std::string parameter_count(std::uint64_t parameters);

/// Where a plan note is shown (documented in plan_report.hpp).
enum class NotePlacement { stack_architecture, deployment_config, withheld };
NotePlacement note_placement(const Plan& plan, const PlanNote& note);
/// The notes shown in one section, in plan order.
std::vector<const PlanNote*> notes_in(const Plan& plan, NotePlacement placement);

/// Display name of an engine id ("llama.cpp (llama-server)"); the id when not catalogued.
std::string engine_name(const Catalog& catalog, const std::string& engine_id);
/// The engine's checked version without its parenthesised provenance ("master@00dc8057").
std::string engine_version(const Engine& engine);
/// "OpenAI-compatible HTTP", "native HTTP", "in-process library"...
std::string interface_name(const std::string& interface);
/// "CUDA", "Metal", "CPU (AVX-512 path: avx512f, avx512_vnni)"...
std::string backend_text(const Plan& plan, const DeploymentSettings& settings);
/// The ISA path llama.cpp's CPU backend takes on this profile: "AVX-512", "AVX2", "NEON"...;
/// "" when the profile does not know the CPU's extensions.
std::string cpu_isa_path(const HardwareProfile& hardware);

/// The stack as an ASCII diagram: clients -> serving layer -> engine -> backend -> devices,
/// plus the cloud fallback when a hybrid note is shown. Empty when nothing was chosen.
std::string stack_diagram(const Plan& plan, const Catalog& catalog);

} // namespace edgeplan::report_detail
