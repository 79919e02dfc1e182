#pragma once

// The planner's section writers: once a candidate is chosen, these fill the parts of the
// Plan that describe how to live with it: the risk register (report section 6), the
// verification steps (section 7) and the notes (hybrid cloud-edge, security at rest,
// lifecycle). Pure and deterministic: the same inputs give the same strings, no I/O.
//
// Every sentence carries the figures it rests on, taken from the candidate (memory per
// device, speed, settings), the profile and the catalogue; a figure nobody knows is said to
// be unknown. The candidate is read as the selection fills it: DeploymentSettings's
// context_tokens is per sequence and parallel_slots the sequences its KV cache was sized for;
// a DeviceMemory named "disk" holds weights streamed from storage.

#include <edgeplan/core/catalog.hpp>
#include <edgeplan/core/hardware_profile.hpp>
#include <edgeplan/core/plan.hpp>
#include <edgeplan/core/request.hpp>

#include <optional>
#include <vector>

namespace edgeplan {

/// Margin below this fraction of a device's usable memory: out-of-memory under
/// fragmentation is likely ("high").
inline constexpr double risk_margin_high_fraction = 0.10;
/// Margin below this fraction (and above the high one): "medium".
inline constexpr double risk_margin_medium_fraction = 0.20;

/// The operating system family the security and scheduling advice is written for.
enum class DevicePlatform { os_linux, os_macos, os_windows, os_android, os_ios, unknown };

/// From the profile's OS name; when that is unknown, from the hardware (Apple GPU: macOS,
/// or iOS on a phone preset) and the catalogue target's class (phone: Android).
DevicePlatform device_platform(const HardwareProfile& profile, const Catalog& catalog);

/// Section 6: thermal, memory overflow (fragmentation, longer context, more users),
/// quantization accuracy, engine maturity, power, SSD streaming, NPU/driver, port
/// collisions, telemetry. Each with likelihood, impact and a concrete mitigation.
std::vector<Risk> plan_risks(const PlanRequest& request, const HardwareProfile& profile,
                             const Candidate& chosen, const Catalog& catalog);

/// Section 7: commands for the chosen engine (llama-bench/llama-server, ollama, vllm bench
/// serve, mlx_lm; a generic OpenAI-compatible request otherwise) and the platform's memory
/// and power checks, each with the projected figure and the level that calls for a look.
/// Commands use the plan's host, port, model and settings, and only the flags the
/// catalogue verified for a tool it lists.
std::vector<VerificationStep> plan_verification(const PlanRequest& request,
                                                const HardwareProfile& profile,
                                                const Candidate& chosen, const Catalog& catalog);

/// Hybrid cloud-edge routing. Only when the request allows a fallback and keeps no data
/// local (allow_cloud_fallback, not offline, privacy standard); nullopt otherwise.
std::optional<PlanNote> plan_hybrid_note(const PlanRequest& request, const HardwareProfile& profile,
                                         const Candidate& chosen, const Catalog& catalog);

/// Encryption at rest with the platform's hardware-backed keys and what never leaves the
/// device. Only for offline, strict or airgap requests; nullopt otherwise. Airgap adds the
/// list of what to fetch beforehand.
std::optional<PlanNote> plan_security_note(const PlanRequest& request,
                                           const HardwareProfile& profile, const Candidate& chosen,
                                           const Catalog& catalog);

/// Lifecycle: weight and LoRA adapter updates (always); the AC-power / thermal-idle schedule
/// when request.background; the federated-learning loop only when request.federated.
std::vector<PlanNote> plan_lifecycle_notes(const PlanRequest& request,
                                           const HardwareProfile& profile, const Candidate& chosen,
                                           const Catalog& catalog);

/// All notes in report order: hybrid, security, lifecycle.
std::vector<PlanNote> plan_notes(const PlanRequest& request, const HardwareProfile& profile,
                                 const Candidate& chosen, const Catalog& catalog);

/// Fills plan.risks, plan.verification and plan.notes from plan.request, plan.hardware and
/// plan.chosen (replacing what was there). Leaves them empty when nothing was chosen.
void write_plan_sections(Plan& plan, const Catalog& catalog);

} // namespace edgeplan
