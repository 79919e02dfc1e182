#pragma once

// Steps of `fit` shared by its sources (settings, memory, speed, alternatives). Not public.

#include <edgeplan/estimate/fit.hpp>
#include <edgeplan/estimate/model_tensors.hpp>
#include <edgeplan/estimate/weights.hpp>

#include <vector>

namespace edgeplan::fit_detail {

/// The weight tensors of `settings` (GGUF preset or other format) over `list`.
Result<std::vector<WeightTensor>> weight_tensors(const FitSettings& settings,
                                                 const ModelTensorList& list,
                                                 const Catalog& catalog);

/// Places weights, KV and buffers the way settings.engine allocates them. `strategy` is
/// honoured by llama.cpp; vLLM and mlx-lm only run with everything on the GPU.
Result<FitMemory> plan_fit_memory(const FitSettings& settings,
                                  const std::vector<WeightTensor>& tensors,
                                  const HardwareProfile& profile, const Catalog& catalog,
                                  PlacementStrategy strategy);

/// Per-device speed inputs from a placement, and the figures (unknown with a reason where
/// an input is missing).
FitSpeed estimate_fit_speed(const FitSettings& settings, const FitMemory& memory,
                            const std::vector<WeightTensor>& tensors,
                            const HardwareProfile& profile);

/// The engine command line that realises `memory` for `settings`.
std::vector<std::string> fit_command_line(const FitSettings& settings, const FitMemory& memory,
                                          const Catalog& catalog);

} // namespace edgeplan::fit_detail
