#pragma once

// Speech-to-text with Whisper on whisper.cpp: the options the llama.cpp/vLLM/mlx-lm
// estimator does not cover (encoder-decoder models), evaluated with the whisper.cpp memory
// and speed model (edgeplan/estimate/whisper.hpp) and scored like every other option.

#include "select_internal.hpp"

#include <edgeplan/estimate/memory.hpp>
#include <edgeplan/estimate/speed.hpp>

#include <optional>
#include <string>

#include <vector>

namespace edgeplan::planner_detail {

/// A whole model on one device (whisper.cpp and llama.cpp encoders do not split a model).
struct WholeModelRoute {
    std::vector<DeviceMemory> memory; ///< the device and system RAM (host buffers)
    DeviceShare device;               ///< backend and peaks for the speed model
    bool fits = false;
};

/// Weights, KV and compute on the first usable GPU (system RAM keeps `host_bytes`, plus the
/// GPU's bytes on unified memory) or, with `gpu` false, everything in system RAM. nullopt
/// with `why` when the device's peaks or memory size are unknown.
std::optional<WholeModelRoute> place_whole_model(const HardwareProfile& profile,
                                                 const std::vector<MemoryDevice>& devices,
                                                 bool gpu, std::uint64_t weights, std::uint64_t kv,
                                                 std::uint64_t compute, std::uint64_t host_bytes,
                                                 std::string& why);

/// The engine id of the route.
inline constexpr const char* whisper_cpp_id = "whisper.cpp";

/// True for a model whisper.cpp runs and the estimator models (an encoder stack with mel
/// bins and a ggml artifact): candidates.cpp leaves it to this route instead of refusing it.
bool routed_to_whisper_cpp(const Model& model);

/// speech-to-text: every Whisper model x ggml type of its artifact that whisper.cpp can hold
/// (whole model on the GPU, else on the CPU), scored, appended to `scored`; one firing per
/// decision in the trace. Nothing for other tasks or when --engine/--model exclude it.
void add_whisper_options(const PlanRequest& request, const PlatformFacts& facts,
                         const HardwareProfile& profile, const Catalog& catalog, Plan& plan,
                         std::vector<Scored>& scored);

/// True when some catalogue model of the task (or the pinned model) has a memory model: a
/// decoder with its architecture, or a Whisper model on the whisper.cpp route.
bool task_has_modelled_model(const PlanRequest& request, const Catalog& catalog);

/// The verdict when no option exists at all (no catalogue engine with a memory model serves
/// the task): names the task's models and the runtimes their catalogue entries list, and fires
/// P2 "flagged" with the same text. Not a memory shortfall: P4 is not asked.
std::string unserved_task_verdict(const PlanRequest& request, const Catalog& catalog, Plan& plan);

} // namespace edgeplan::planner_detail
