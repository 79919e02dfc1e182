#pragma once

// Where a model's bytes go: per device (GPUs, system RAM, disk) weights + KV + compute +
// overhead against a usable budget, and the per-layer split the speed model reads (which
// bytes come from which device for each token). Placement follows llama.cpp: full offload,
// -ngl N partial offload (the last N blocks on the GPU), MoE experts in RAM (--n-cpu-moe),
// layer split over GPUs in proportion to their memory (--split-mode layer), CPU only, and
// mmap streaming from disk when nothing else fits. Pure: no I/O.

#include <edgeplan/core/catalog.hpp>
#include <edgeplan/core/hardware_profile.hpp>
#include <edgeplan/estimate/buffers.hpp>
#include <edgeplan/estimate/kv_cache.hpp>
#include <edgeplan/estimate/weights.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace edgeplan {

enum class MemoryDeviceKind { gpu, system, disk };

/// One memory a plan can use, with its budget.
struct MemoryDevice {
    std::string id; ///< "gpu0"..., "system", "disk"
    MemoryDeviceKind kind = MemoryDeviceKind::system;
    std::uint64_t capacity_bytes = 0; ///< what the device offers (GPU: free or working set)
    std::uint64_t overhead_bytes = 0; ///< fixed cost of using it (CUDA context, Metal, engine)
    std::uint64_t margin_bytes = 0;   ///< kept free (llama.cpp --fit margin, OS reserve)
    /// Unified memory: what is placed here is also taken from system RAM.
    bool shares_system_memory = false;
    /// Budget for weights + KV + compute: capacity - overhead - margin (>= 0).
    [[nodiscard]] std::uint64_t usable_bytes() const;
};

/// Budget rules applied to a hardware profile.
struct BudgetRules {
    HostRole host_role = HostRole::desktop;
    std::uint64_t gpu_margin_bytes = llama_cpp_fit_margin_bytes;
    /// Use the GPU's free memory when probed (another process may hold the rest).
    bool prefer_free_gpu_memory = true;
};

/// The devices of `profile`: its GPUs with known memory (Apple/unified: the working-set
/// limit, probed or by apple_gpu_working_set_bytes), system RAM (cgroup limit when lower,
/// minus the OS reserve), and the models disk (free bytes; 0 when unknown).
std::vector<MemoryDevice> memory_devices(const HardwareProfile& profile, const BudgetRules& rules);

/// How the model is spread.
enum class PlacementStrategy {
    automatic,          ///< the first of the others that fits, in this order
    gpu_full,           ///< every block (and the LM head) on the GPU(s)
    moe_experts_on_cpu, ///< attention/dense on the GPU, routed experts of N layers in RAM
    gpu_partial,        ///< the last N blocks on the GPU, the rest in RAM
    cpu_only,
    ssd_streaming, ///< CPU, weights mmap'ed and partly re-read from disk every token
};

std::string to_string(PlacementStrategy strategy);

/// The inference engine family, for what stays on the host.
enum class EngineFamily {
    llama_cpp, ///< input embedding in host RAM, CPU repack, compute buffer per device
    mlx,       ///< everything in unified memory
    vllm,      ///< everything on the GPU(s), KV from the utilization budget
};

/// What has to be placed.
struct MemoryDemand {
    ModelArchitecture arch;
    std::vector<WeightTensor> tensors; ///< in file order
    KvCacheEstimate kv;
    EngineFamily engine = EngineFamily::llama_cpp;
    int n_ctx = 4096;
    int n_ubatch = 512;
    int n_seq = 1;
    FlashAttention flash_attention = FlashAttention::on;
    WeightLoading loading = WeightLoading::mmap;
    CpuRepack cpu_repack = CpuRepack::none;
    /// Activation/compute bytes when the engine is not llama.cpp (vLLM profile, MLX).
    std::optional<std::uint64_t> compute_bytes_override;
};

/// Bytes one device holds.
struct DeviceMemoryUse {
    std::string device;
    MemoryDeviceKind kind = MemoryDeviceKind::system;
    std::uint64_t weights_bytes = 0;
    std::uint64_t kv_bytes = 0;
    std::uint64_t compute_bytes = 0;  ///< compute + output buffers
    std::uint64_t overhead_bytes = 0; ///< context/driver/engine host memory
    std::uint64_t usable_bytes = 0;
    /// Of weights_bytes, pages of a mapped file (clean page cache: reclaimable, re-read
    /// from disk if evicted). Counted in the total because a plan needs them resident.
    std::uint64_t mapped_weights_bytes = 0;
    [[nodiscard]] std::uint64_t total_bytes() const {
        return weights_bytes + kv_bytes + compute_bytes + overhead_bytes;
    }
    [[nodiscard]] bool fits() const {
        return total_bytes() <= usable_bytes;
    }
    [[nodiscard]] std::int64_t margin_bytes() const {
        return static_cast<std::int64_t>(usable_bytes) - static_cast<std::int64_t>(total_bytes());
    }
};

/// Where one block's bytes live.
struct LayerPlacement {
    int layer = 0;
    std::string device;        ///< attention / dense weights and the layer's KV
    std::string expert_device; ///< routed experts ("" when the layer has none)
    std::uint64_t weight_bytes = 0;
    std::uint64_t expert_bytes = 0;
    std::uint64_t kv_bytes = 0;
};

struct MemoryPlan {
    PlacementStrategy strategy = PlacementStrategy::cpu_only;
    bool fits = false;
    std::vector<DeviceMemoryUse> devices;
    std::vector<LayerPlacement> layers;
    std::string input_embedding_device; ///< where token_embd lives
    std::string output_device;          ///< where the LM head lives
    int gpu_layers = 0;     ///< blocks on GPUs (llama.cpp -ngl; n_layer + 1 = all + output)
    int cpu_moe_layers = 0; ///< layers whose experts are in RAM (--n-cpu-moe)
    /// Weight bytes read from disk per token under ssd_streaming (0 otherwise).
    std::uint64_t streamed_bytes = 0;
    std::vector<std::string> notes;
};

/// Places `demand` on `devices` with `strategy` (automatic: try each in order). Devices of
/// kind gpu are used in order; "system" and "disk" must be present for CPU placements.
MemoryPlan plan_memory(const MemoryDemand& demand, const std::vector<MemoryDevice>& devices,
                       PlacementStrategy strategy = PlacementStrategy::automatic);

/// Resident set (RSS) of a CPU-only llama.cpp process after it evaluated a prompt of
/// `prompt_tokens` on top of `depth_tokens` cached ones: mapped file pages (the whole file
/// under mmap: MAP_POPULATE), CPU and CPU_REPACK buffers, the KV cache (cleared at creation,
/// so fully touched), the output buffer, the host overhead, and only the part of the
/// reserved compute buffer that graph touches (the reservation is virtual until used;
/// harness: 1B at ctx 32768 reserves 2134 MiB and RSS grows by ~45 MiB). Excludes the
/// executable and its libraries.
std::uint64_t llama_cpp_cpu_resident_bytes(const MemoryDemand& demand, const GgufFileLayout& file,
                                           int prompt_tokens, int depth_tokens);

} // namespace edgeplan
