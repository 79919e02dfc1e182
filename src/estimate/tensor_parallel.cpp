// All-reduce cost of tensor parallelism. Two constants per link class, each a published
// NCCL measurement (docs/estimation.md, "Tensor-parallel decode"):
// - NVLink/NVSwitch small-message all-reduce ~6 us: nccl-tests all_reduce_perf, 2 of 8
//   H100 SXM on an HGX board, NCCL 2.20.5 with CUDA graphs (github.com/NVIDIA/nccl issue
//   1259). Serving engines capture decode in CUDA graphs, so this is the latency they see.
// - PCIe small-message all-reduce ~42 us: all_reduce_perf 8-byte row on 8 x RTX 4090 over
//   PCIe (github.com/NVIDIA/nccl issue 1530; 8 x RTX 3090 measured 54 us, issue 1439).
// - Bandwidth when the profile does not say: PCIe 4.0 x16, 25 GB/s (all_reduce_perf bus
//   bandwidth 25.7 GB/s on 4 x RTX 4090, github.com/tinygrad/open-gpu-kernel-modules issue 36).
#include <edgeplan/estimate/tensor_parallel.hpp>

#include <algorithm>
#include <limits>

namespace edgeplan {

namespace {

constexpr double nvlink_allreduce_latency_s = 6e-6;
constexpr double pcie_allreduce_latency_s = 42e-6;
constexpr double assumed_pcie_gbps = 25;

} // namespace

GpuLink gpu_link(const HardwareProfile& profile, int ranks) {
    double slowest = std::numeric_limits<double>::infinity();
    int counted = 0;
    for (const GpuDevice& gpu : profile.gpus) {
        if (counted == ranks) {
            break;
        }
        ++counted;
        if (!gpu.peer_link_gbps.value || !(*gpu.peer_link_gbps.value > 0)) {
            slowest = -1; // one unknown link makes the group's link unknown
            break;
        }
        slowest = std::min(slowest, *gpu.peer_link_gbps.value);
    }
    GpuLink link;
    if (counted == 0 || slowest <= 0) {
        link.bandwidth_gbps = assumed_pcie_gbps;
        link.assumed = true;
    } else {
        link.bandwidth_gbps = slowest;
    }
    link.nvlink = link.bandwidth_gbps >= nvlink_class_min_gbps;
    link.allreduce_latency_s = link.nvlink ? nvlink_allreduce_latency_s : pcie_allreduce_latency_s;
    return link;
}

double allreduce_time_s(double message_bytes, int ranks, const GpuLink& link) {
    if (ranks <= 1 || !(link.bandwidth_gbps > 0)) {
        return 0;
    }
    const double share = 2.0 * (ranks - 1) / ranks;
    return link.allreduce_latency_s +
           share * std::max(0.0, message_bytes) / (link.bandwidth_gbps * 1e9);
}

double tensor_parallel_sync_s(const TensorParallelGroup& group, double tokens) {
    if (group.ranks <= 1) {
        return 0;
    }
    const double message = std::max(0.0, tokens) * group.hidden_size * group.activation_bytes;
    return group.layers * group.allreduces_per_layer *
           allreduce_time_s(message, group.ranks, group.link);
}

} // namespace edgeplan
