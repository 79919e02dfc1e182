#pragma once

// Helpers shared by the speed sources (decode, prefill, concurrency). Not public.

#include <edgeplan/estimate/speed.hpp>

#include <string>
#include <vector>

namespace edgeplan::detail {

/// Fails when the list is empty or a device lacks bandwidth or has negative counts.
Status check_devices(const std::vector<DeviceShare>& devices, const std::string& where);

/// Bytes per second at which `device` streams weights in a batch-1 pass.
double streaming_bytes_per_s(const DeviceShare& device);

/// Bytes per second at which `device` reads KV cache in decode attention.
double kv_bytes_per_s(const DeviceShare& device);

/// The group when `devices` are the ranks of one tensor-parallel group, else nullptr
/// (a layer split or one device).
const TensorParallelGroup* tensor_parallel_group(const std::vector<DeviceShare>& devices);

/// All-reduce seconds of one step over `tokens` tokens; 0 unless tensor parallel.
double sync_time_s(const std::vector<DeviceShare>& devices, double tokens);

/// Memory-side time of one decode step for `streams` sequences at `context_tokens` each;
/// the parts go to the non-null outputs, seconds. A layer split adds the devices' times
/// (they run in turn); tensor-parallel ranks run together, so each part is the slowest
/// rank's. All-reduces are not included (sync_time_s). `step_tokens` tokens go through the
/// weights in the step (streams, or the draft tokens a verify pass checks): MoE layers then
/// read the union of those tokens' experts (expert_read_bytes).
double memory_time_s(const std::vector<DeviceShare>& devices, double context_tokens,
                     double streams, double* weights_s, double* kv_s, double* overhead_s,
                     double step_tokens = 1.0);

/// Weight bytes one step of `tokens` tokens reads on `device`: the dense part once, the
/// routed experts as the expected union of the tokens' choices under uniform routing,
/// E x (1 - (1 - k/E)^tokens) experts per layer instead of k.
double step_weight_bytes(const DeviceShare& device, double tokens);

} // namespace edgeplan::detail
