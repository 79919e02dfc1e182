// Device budgets from a hardware profile: what each memory offers and what is kept back.
#include <edgeplan/estimate/memory.hpp>

#include <algorithm>

namespace edgeplan {

namespace {

bool is_apple(const GpuDevice& gpu) {
    return gpu.vendor.value && *gpu.vendor.value == "Apple";
}

bool is_unified(const GpuDevice& gpu) {
    return (gpu.memory_kind.value && *gpu.memory_kind.value == "unified") || is_apple(gpu);
}

std::uint64_t gpu_overhead(const GpuDevice& gpu) {
    if (is_apple(gpu)) {
        return metal_overhead_bytes;
    }
    // CUDA and ROCm/HIP both create a per-process context of a few hundred MiB.
    return cuda_context_bytes();
}

} // namespace

std::vector<MemoryDevice> memory_devices(const HardwareProfile& profile, const BudgetRules& rules) {
    std::vector<MemoryDevice> devices;
    std::uint64_t ram = profile.memory.total_bytes.value.value_or(0);
    if (profile.memory.cgroup_limit_bytes.value && *profile.memory.cgroup_limit_bytes.value > 0) {
        ram = std::min(ram == 0 ? UINT64_MAX : ram, *profile.memory.cgroup_limit_bytes.value);
    }
    for (const auto& gpu : profile.gpus) {
        MemoryDevice d;
        d.id = gpu.id;
        d.kind = MemoryDeviceKind::gpu;
        d.shares_system_memory = is_unified(gpu);
        if (is_apple(gpu)) {
            d.capacity_bytes =
                gpu.working_set_limit_bytes.value.value_or(apple_gpu_working_set_bytes(ram));
        } else if (rules.prefer_free_gpu_memory && gpu.memory_free_bytes.value) {
            d.capacity_bytes = *gpu.memory_free_bytes.value;
        } else {
            d.capacity_bytes = gpu.memory_total_bytes.value.value_or(0);
        }
        if (d.capacity_bytes == 0) {
            continue; // unknown memory: not plannable
        }
        d.overhead_bytes = gpu_overhead(gpu);
        d.margin_bytes = rules.gpu_margin_bytes;
        devices.push_back(d);
    }
    MemoryDevice system;
    system.id = "system";
    system.kind = MemoryDeviceKind::system;
    system.capacity_bytes = ram;
    system.margin_bytes = ram - system_memory_usable_bytes(ram, rules.host_role);
    devices.push_back(system);
    MemoryDevice disk;
    disk.id = "disk";
    disk.kind = MemoryDeviceKind::disk;
    disk.capacity_bytes = profile.storage.free_bytes.value.value_or(0);
    devices.push_back(disk);
    return devices;
}

} // namespace edgeplan

namespace edgeplan {

std::uint64_t llama_cpp_cpu_resident_bytes(const MemoryDemand& demand, const GgufFileLayout& file,
                                           int prompt_tokens, int depth_tokens) {
    const CpuModelBuffers model =
        llama_cpp_cpu_model_buffers(demand.tensors, file, demand.cpu_repack, demand.loading);
    ComputeGraphShape graph;
    graph.n_tokens = std::max(1, std::min(prompt_tokens, demand.n_ubatch));
    graph.n_kv = (depth_tokens + prompt_tokens + 255) / 256 * 256;
    graph.n_outputs = 1; // a prompt asks for the last token's logits only
    graph.flash_attention = demand.flash_attention;
    return model.file_resident_bytes + model.host_bytes + model.repack_bytes +
           demand.kv.total_bytes() + llama_cpp_output_buffer_bytes(demand.arch, demand.n_seq) +
           llama_cpp_host_overhead_bytes(demand.arch) +
           llama_cpp_compute_buffer_bytes(demand.arch, graph) +
           llama_cpp_cpu_work_bytes(demand.arch, graph);
}

} // namespace edgeplan
