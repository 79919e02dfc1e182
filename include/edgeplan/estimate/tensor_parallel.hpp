#pragma once

// Tensor parallelism (vLLM / TensorRT-LLM --tensor-parallel-size): every GPU of the group
// holds 1/ranks of every layer, all read their slice at the same time, and the partial
// activations are summed across the group twice per layer (Megatron-LM: after attention
// and after the MLP, Shoeybi et al. 2019, arXiv 1909.08053). Formulas, constants and their
// sources: docs/estimation.md, "Tensor-parallel decode". Pure functions, no I/O.

#include <edgeplan/core/hardware_profile.hpp>

#include <string>

namespace edgeplan {

/// The link an all-reduce crosses between the GPUs of a group.
struct GpuLink {
    /// Per-GPU bandwidth to its peers, one direction, GB/s (10^9 B/s).
    double bandwidth_gbps = 0;
    /// Fixed cost of one small all-reduce (launch + synchronisation), seconds.
    double allreduce_latency_s = 0;
    /// True for an NVLink/NVSwitch-class link, false for PCIe.
    bool nvlink = false;
    /// True when the profile did not say how the GPUs are linked and PCIe was assumed.
    bool assumed = false;
};

/// Links faster than PCIe 5.0 x16 (64 GB/s one way) can only be NVLink-class: above this
/// figure a link is priced with NVLink's all-reduce latency.
inline constexpr double nvlink_class_min_gbps = 100;

/// The link between a profile's GPUs: its `peer_link_gbps` when known (same figure on
/// every GPU used; the slowest one otherwise), else PCIe 4.0 x16 assumed (flagged).
GpuLink gpu_link(const HardwareProfile& profile, int ranks);

/// Ring all-reduce time of `message_bytes` over `ranks` GPUs: latency + 2 (ranks - 1) /
/// ranks x bytes / bandwidth (each GPU sends and receives that share, Patarasuk & Yuan
/// 2009). 0 for one rank.
double allreduce_time_s(double message_bytes, int ranks, const GpuLink& link);

/// What the speed model needs to price a tensor-parallel step.
struct TensorParallelGroup {
    int ranks = 1;
    GpuLink link;
    double hidden_size = 0;        ///< activation width summed per token (n_embd)
    int layers = 0;                ///< every rank runs every layer
    int allreduces_per_layer = 2;  ///< attention output + MLP output (Megatron-style)
    double activation_bytes = 2;   ///< BF16/FP16 activations
};

/// All-reduce time of one forward step that processes `tokens` tokens: layers x
/// allreduces_per_layer x allreduce_time_s(tokens x hidden x activation_bytes).
double tensor_parallel_sync_s(const TensorParallelGroup& group, double tokens);

} // namespace edgeplan
