// Placement of weights, KV cache and buffers on devices, the way llama.cpp assigns layers
// (llama-model.cpp: i_gpu_start = n_layer - n_gpu_layers, so -ngl N puts the LAST N blocks on
// the GPU and the LM head only with N > n_layer; the input embedding always on the host;
// each layer's KV cache on its layer's device; --split-mode layer splits blocks over GPUs in
// proportion to their free memory; --n-cpu-moe N keeps the experts of the first N layers in
// RAM).
#include <edgeplan/estimate/memory.hpp>

#include <algorithm>
#include <map>
#include <numeric>

namespace edgeplan {

namespace {

const std::string system_id = "system";
const std::string disk_id = "disk";

/// Per-layer split decided by a strategy; accounting turns it into device totals.
struct Assignment {
    std::vector<std::string> layer_device;
    std::vector<std::string> expert_device;
    std::string output_device = system_id;
};

struct Inputs {
    const MemoryDemand& demand;
    const std::vector<MemoryDevice>& devices;
    WeightLayout layout;
    std::vector<std::uint64_t> layer_repack;        ///< CPU_REPACK bytes per block
    std::vector<std::uint64_t> layer_expert_repack; ///< of which routed experts
    std::uint64_t output_repack = 0;
};

const MemoryDevice* find_device(const std::vector<MemoryDevice>& devices, const std::string& id) {
    for (const auto& d : devices) {
        if (d.id == id) {
            return &d;
        }
    }
    return nullptr;
}

std::vector<std::string> gpu_ids(const std::vector<MemoryDevice>& devices) {
    std::vector<std::string> ids;
    for (const auto& d : devices) {
        if (d.kind == MemoryDeviceKind::gpu) {
            ids.push_back(d.id);
        }
    }
    return ids;
}

/// Blocks [first, n) spread over `gpus` in proportion to their usable memory
/// (llama.cpp's default tensor_split from free memory).
void split_over_gpus(const Inputs& in, const std::vector<std::string>& gpus, int first,
                     Assignment& a) {
    const int n = static_cast<int>(a.layer_device.size());
    std::vector<double> weight;
    for (const auto& id : gpus) {
        weight.push_back(static_cast<double>(find_device(in.devices, id)->usable_bytes()) + 1.0);
    }
    const double sum = std::accumulate(weight.begin(), weight.end(), 0.0);
    const int count = n - first;
    double cumulative = 0;
    std::size_t k = 0;
    for (int il = first; il < n; ++il) {
        const double position = static_cast<double>(il - first) / std::max(1, count);
        while (k + 1 < gpus.size() && position >= (cumulative + weight[k]) / sum) {
            cumulative += weight[k];
            ++k;
        }
        a.layer_device[static_cast<std::size_t>(il)] = gpus[k];
        a.expert_device[static_cast<std::size_t>(il)] = gpus[k];
    }
}

DeviceMemoryUse& use_of(MemoryPlan& plan, const MemoryDevice& device) {
    for (auto& u : plan.devices) {
        if (u.device == device.id) {
            return u;
        }
    }
    DeviceMemoryUse u;
    u.device = device.id;
    u.kind = device.kind;
    u.usable_bytes = device.usable_bytes();
    plan.devices.push_back(u);
    return plan.devices.back();
}

/// Turns an assignment into device totals.
MemoryPlan account(const Inputs& in, const Assignment& a, PlacementStrategy strategy) {
    const MemoryDemand& d = in.demand;
    const bool llama = d.engine == EngineFamily::llama_cpp;
    MemoryPlan plan;
    plan.strategy = strategy;
    for (const auto& dev : in.devices) {
        if (dev.kind != MemoryDeviceKind::disk) {
            use_of(plan, dev);
        }
    }
    std::map<std::string, std::uint64_t> weights, repack, kv;
    const std::size_t n = a.layer_device.size();
    for (std::size_t il = 0; il < n; ++il) {
        LayerPlacement lp;
        lp.layer = static_cast<int>(il);
        lp.device = a.layer_device[il];
        lp.weight_bytes = in.layout.layer_bytes[il];
        lp.expert_bytes = in.layout.layer_expert_bytes[il];
        lp.expert_device = lp.expert_bytes > 0 ? a.expert_device[il] : "";
        lp.kv_bytes = il < d.kv.layer_bytes.size() ? d.kv.layer_bytes[il] : 0;
        weights[lp.device] += lp.weight_bytes;
        repack[lp.device] += in.layer_repack[il] - in.layer_expert_repack[il];
        if (lp.expert_bytes > 0) {
            weights[lp.expert_device] += lp.expert_bytes;
            repack[lp.expert_device] += in.layer_expert_repack[il];
        }
        // KV of a disk-streamed layer still lives in RAM.
        kv[lp.device == disk_id ? system_id : lp.device] += lp.kv_bytes;
        plan.layers.push_back(lp);
    }
    // Input embedding: llama.cpp keeps it on the host (GET_ROWS runs on the CPU); MLX and
    // vLLM hold it with the rest. A tied LM head on a GPU is a second copy there.
    const std::vector<std::string> gpus = gpu_ids(in.devices);
    const std::string embd_device = (llama || gpus.empty()) ? system_id : gpus.front();
    plan.input_embedding_device = embd_device;
    plan.output_device = a.output_device;
    weights[embd_device] += in.layout.token_embd_bytes + in.layout.other_bytes;
    weights[a.output_device] += in.layout.output_bytes;
    repack[a.output_device] += in.output_repack;
    if (in.layout.tied_embeddings && a.output_device != embd_device) {
        weights[embd_device] += in.layout.output_bytes;
    }
    if (d.cpu_repack != CpuRepack::none && d.loading == WeightLoading::mmap) {
        // Repacked tensors are anonymous copies beside the mapped file pages (harness:
        // Llama-3.1-8B Q4_0 RSS = 4.4 GiB file + 3.7 GiB CPU_REPACK).
        weights[system_id] += repack[system_id];
    }
    // Compute: llama.cpp reserves a full graph on every backend that runs layers, the
    // host's only for its inputs when it runs none.
    const std::uint64_t reserve =
        d.compute_bytes_override
            ? *d.compute_bytes_override
            : llama_cpp_compute_reserve_bytes(d.arch, d.n_ctx, d.n_ubatch, d.flash_attention);
    std::map<std::string, bool> runs_layers;
    for (const auto& lp : plan.layers) {
        runs_layers[lp.device == disk_id ? system_id : lp.device] = true;
        if (!lp.expert_device.empty()) {
            runs_layers[lp.expert_device == disk_id ? system_id : lp.expert_device] = true;
        }
    }
    runs_layers[a.output_device] = true;
    for (auto& u : plan.devices) {
        const MemoryDevice* dev = find_device(in.devices, u.device);
        u.weights_bytes = weights[u.device];
        u.mapped_weights_bytes =
            u.kind == MemoryDeviceKind::system && d.loading == WeightLoading::mmap && llama
                ? u.weights_bytes - (d.cpu_repack != CpuRepack::none ? repack[system_id] : 0)
                : 0;
        u.kv_bytes = kv[u.device];
        const bool used = runs_layers[u.device] || u.weights_bytes > 0;
        if (u.kind == MemoryDeviceKind::system) {
            u.compute_bytes = (runs_layers[u.device] ? reserve : 0) +
                              (llama ? llama_cpp_output_buffer_bytes(d.arch, d.n_seq) : 0);
            u.overhead_bytes =
                dev->overhead_bytes + (llama ? llama_cpp_host_overhead_bytes(d.arch) : 0);
        } else if (used) {
            u.compute_bytes = runs_layers[u.device] ? reserve : 0;
            u.overhead_bytes = dev->overhead_bytes;
        }
    }
    // Unified memory: what a GPU holds is also taken from system RAM.
    DeviceMemoryUse* system = nullptr;
    for (auto& u : plan.devices) {
        system = u.kind == MemoryDeviceKind::system ? &u : system;
    }
    for (auto& u : plan.devices) {
        const MemoryDevice* dev = find_device(in.devices, u.device);
        if (system != nullptr && dev->shares_system_memory && u.kind == MemoryDeviceKind::gpu) {
            system->weights_bytes += u.weights_bytes;
            system->kv_bytes += u.kv_bytes;
            system->compute_bytes += u.compute_bytes;
            system->overhead_bytes += u.overhead_bytes;
        }
    }
    plan.fits = std::all_of(plan.devices.begin(), plan.devices.end(),
                            [](const DeviceMemoryUse& u) { return u.fits(); });
    for (const auto& lp : plan.layers) {
        plan.gpu_layers += find_device(in.devices, lp.device) != nullptr &&
                                   find_device(in.devices, lp.device)->kind == MemoryDeviceKind::gpu
                               ? 1
                               : 0;
        plan.cpu_moe_layers += lp.expert_device == system_id && lp.device != system_id ? 1 : 0;
    }
    if (a.output_device != system_id && plan.gpu_layers == static_cast<int>(n)) {
        plan.gpu_layers += 1; // -ngl n_layer + 1: the output layer too
    }
    return plan;
}

/// Every GPU of the plan holds what it was given (system RAM not checked).
bool gpus_fit(const MemoryPlan& plan) {
    return std::all_of(plan.devices.begin(), plan.devices.end(), [](const DeviceMemoryUse& u) {
        return u.kind != MemoryDeviceKind::gpu || u.fits();
    });
}

Assignment all_on(std::size_t n, const std::string& device) {
    Assignment a;
    a.layer_device.assign(n, device);
    a.expert_device.assign(n, device);
    a.output_device = device;
    return a;
}

std::optional<MemoryPlan> try_gpu_full(const Inputs& in) {
    const auto gpus = gpu_ids(in.devices);
    if (gpus.empty()) {
        return std::nullopt;
    }
    Assignment a = all_on(in.layout.layer_bytes.size(), gpus.front());
    split_over_gpus(in, gpus, 0, a);
    a.output_device = gpus.back();
    return account(in, a, PlacementStrategy::gpu_full);
}

std::optional<MemoryPlan> try_moe_on_cpu(const Inputs& in) {
    const auto gpus = gpu_ids(in.devices);
    const std::size_t n = in.layout.layer_bytes.size();
    const bool has_experts =
        std::any_of(in.layout.layer_expert_bytes.begin(), in.layout.layer_expert_bytes.end(),
                    [](std::uint64_t b) { return b > 0; });
    if (gpus.empty() || !has_experts) {
        return std::nullopt;
    }
    // --n-cpu-moe N: experts of the first N layers in RAM; the smallest N that fits. GPU
    // use only falls as N grows and system use only rises, so the smallest N whose GPUs fit
    // (a binary search) is the answer if any N is.
    const auto plan_for = [&](std::size_t cpu_layers) {
        Assignment a = all_on(n, gpus.front());
        split_over_gpus(in, gpus, 0, a);
        a.output_device = gpus.back();
        for (std::size_t il = 0; il < cpu_layers; ++il) {
            a.expert_device[il] = system_id;
        }
        return account(in, a, PlacementStrategy::moe_experts_on_cpu);
    };
    std::size_t lo = 1;
    std::size_t hi = n;
    while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (gpus_fit(plan_for(mid))) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    return plan_for(lo);
}

std::optional<MemoryPlan> try_gpu_partial(const Inputs& in) {
    const auto gpus = gpu_ids(in.devices);
    const int n = static_cast<int>(in.layout.layer_bytes.size());
    if (gpus.empty() || n == 0) {
        return std::nullopt;
    }
    // -ngl N: the largest N that fits. GPU use only rises with N and system use only falls,
    // so the largest N whose GPUs fit (a binary search) is the answer if any N is.
    const auto plan_for = [&](int on_gpu) {
        Assignment a = all_on(static_cast<std::size_t>(n), system_id);
        split_over_gpus(in, gpus, n - on_gpu, a);
        return account(in, a, PlacementStrategy::gpu_partial);
    };
    if (n < 2) {
        return std::nullopt;
    }
    int lo = 1;
    int hi = n - 1;
    while (lo < hi) {
        const int mid = lo + (hi - lo + 1) / 2;
        if (gpus_fit(plan_for(mid))) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    return plan_for(lo);
}

MemoryPlan cpu_only(const Inputs& in) {
    return account(in, all_on(in.layout.layer_bytes.size(), system_id),
                   PlacementStrategy::cpu_only);
}

MemoryPlan ssd_streaming(const Inputs& in) {
    MemoryPlan plan = cpu_only(in);
    plan.strategy = PlacementStrategy::ssd_streaming;
    for (auto& u : plan.devices) {
        if (u.kind != MemoryDeviceKind::system || u.fits()) {
            continue;
        }
        // Mapped pages beyond the budget are evicted and re-read: the overflow streams.
        const std::uint64_t over = u.total_bytes() - u.usable_bytes;
        const std::uint64_t streamed = std::min(over, u.mapped_weights_bytes);
        u.weights_bytes -= streamed;
        u.mapped_weights_bytes -= streamed;
        plan.streamed_bytes = streamed;
        // The first blocks in file order are the ones assigned to disk, for the speed model.
        std::uint64_t left = streamed;
        for (auto& lp : plan.layers) {
            if (left == 0) {
                break;
            }
            lp.device = disk_id;
            lp.expert_device = lp.expert_bytes > 0 ? disk_id : "";
            left -= std::min(left, lp.weight_bytes + lp.expert_bytes);
        }
    }
    DeviceMemoryUse disk;
    disk.device = disk_id;
    disk.kind = MemoryDeviceKind::disk;
    disk.weights_bytes = plan.streamed_bytes;
    const MemoryDevice* dev = find_device(in.devices, disk_id);
    // The file already lies on the disk: the budget is the file itself.
    disk.usable_bytes = dev != nullptr && dev->capacity_bytes > 0
                            ? std::max(dev->usable_bytes(), plan.streamed_bytes)
                            : plan.streamed_bytes;
    plan.devices.push_back(disk);
    plan.fits = std::all_of(plan.devices.begin(), plan.devices.end(),
                            [](const DeviceMemoryUse& u) { return u.fits(); });
    plan.notes.push_back("weights beyond RAM are re-read from disk for every token");
    return plan;
}

} // namespace

std::uint64_t MemoryDevice::usable_bytes() const {
    const std::uint64_t reserved = overhead_bytes + margin_bytes;
    return capacity_bytes > reserved ? capacity_bytes - reserved : 0;
}

std::string to_string(PlacementStrategy strategy) {
    switch (strategy) {
    case PlacementStrategy::automatic:
        return "automatic";
    case PlacementStrategy::gpu_full:
        return "gpu-full";
    case PlacementStrategy::moe_experts_on_cpu:
        return "moe-experts-on-cpu";
    case PlacementStrategy::gpu_partial:
        return "gpu-partial";
    case PlacementStrategy::cpu_only:
        return "cpu-only";
    case PlacementStrategy::ssd_streaming:
        return "ssd-streaming";
    }
    return "unknown";
}

MemoryPlan plan_memory(const MemoryDemand& demand, const std::vector<MemoryDevice>& devices,
                       PlacementStrategy strategy) {
    Inputs in{demand, devices, layout_weights(demand.tensors), {}, {}, 0};
    const std::size_t n = in.layout.layer_bytes.size();
    in.layer_repack.assign(n, 0);
    in.layer_expert_repack.assign(n, 0);
    for (const auto& t : demand.tensors) {
        if (!cpu_repacked(t, demand.cpu_repack)) {
            continue;
        }
        if (t.shape.layer >= 0) {
            in.layer_repack[static_cast<std::size_t>(t.shape.layer)] += t.bytes;
            in.layer_expert_repack[static_cast<std::size_t>(t.shape.layer)] +=
                t.routed_expert() ? t.bytes : 0;
        } else {
            in.output_repack += t.bytes;
        }
    }
    switch (strategy) {
    case PlacementStrategy::gpu_full: {
        auto p = try_gpu_full(in);
        return p ? *p : cpu_only(in);
    }
    case PlacementStrategy::moe_experts_on_cpu: {
        auto p = try_moe_on_cpu(in);
        return p ? *p : cpu_only(in);
    }
    case PlacementStrategy::gpu_partial: {
        auto p = try_gpu_partial(in);
        return p ? *p : cpu_only(in);
    }
    case PlacementStrategy::cpu_only:
        return cpu_only(in);
    case PlacementStrategy::ssd_streaming:
        return ssd_streaming(in);
    case PlacementStrategy::automatic:
        break;
    }
    for (auto attempt : {try_gpu_full, try_moe_on_cpu, try_gpu_partial}) {
        auto p = attempt(in);
        if (p && p->fits) {
            return *p;
        }
    }
    MemoryPlan cpu = cpu_only(in);
    return cpu.fits ? cpu : ssd_streaming(in);
}

} // namespace edgeplan
