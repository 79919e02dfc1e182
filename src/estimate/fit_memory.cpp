// Memory side of `fit`: what each engine allocates for a request (weights, KV, compute,
// overheads) and where it goes. llama.cpp places layers (full, MoE experts in RAM, partial,
// CPU, SSD); vLLM and mlx-lm keep everything on the GPU. Formulas: docs/estimation.md
// (memory sections); this file only chooses their inputs per engine.
#include "fit_internal.hpp"

#include <algorithm>
#include <cmath>

namespace edgeplan::fit_detail {

namespace {

// vLLM's default --gpu-memory-utilization (vllm/config/cache.py; 0.9 through v0.10, see
// estimation-facts.md 2.7); the block size is in the engine table (engine_model.cpp).
constexpr double vllm_utilization = 0.9;
// mlx-lm prefills in steps of 2048 tokens (generate_step prefill_step_size, mlx_lm/generate.py);
// its activation peak is sized for that step.
constexpr int mlx_prefill_step = 2048;

/// vLLM V1's default --max-num-batched-tokens for the OpenAI server: 8192 on GPUs of 70 GiB
/// and more, 2048 below (vllm/engine/arg_utils.py, default token budget by usage context).
int vllm_batched_tokens(std::uint64_t gpu_bytes) {
    return gpu_bytes >= (70ull << 30) ? 8192 : 2048;
}

bool avx2(const HardwareProfile& profile) {
    const auto it = profile.cpu.isa.features.find("avx2");
    return it != profile.cpu.isa.features.end() && it->second.value_or(false);
}

/// Storage of the vLLM / MLX cache as llama.cpp-style elements, for the per-layer split.
CacheElementType dtype_element(double bytes) {
    CacheElementType t;
    t.block_elements = 1;
    t.block_bytes = static_cast<int>(bytes);
    return t;
}

/// The physical bytes a plan uses: unified GPUs are already counted in system RAM.
std::uint64_t physical_total(const MemoryPlan& plan, const std::vector<MemoryDevice>& devices) {
    std::uint64_t total = 0;
    for (const auto& use : plan.devices) {
        const auto dev = std::find_if(devices.begin(), devices.end(),
                                      [&](const MemoryDevice& d) { return d.id == use.device; });
        if ((dev != devices.end() && dev->shares_system_memory) ||
            use.kind == MemoryDeviceKind::disk) {
            continue; // counted in system RAM / not memory
        }
        total += use.total_bytes();
    }
    return total;
}

/// Sequences of context_tokens the plan's memory holds: the requested ones plus what each
/// device's margin adds at its KV bytes per sequence (the tightest device decides).
int max_sequences(const MemoryPlan& plan, int concurrency) {
    if (!plan.fits) {
        return 0;
    }
    std::int64_t extra = fit_concurrency_limit;
    for (const auto& use : plan.devices) {
        if (use.kind == MemoryDeviceKind::disk || use.kv_bytes == 0) {
            continue;
        }
        const double per_sequence = static_cast<double>(use.kv_bytes) / concurrency;
        extra = std::min<std::int64_t>(
            extra, static_cast<std::int64_t>(static_cast<double>(use.margin_bytes()) / per_sequence));
    }
    return static_cast<int>(std::min<std::int64_t>(fit_concurrency_limit, concurrency + extra));
}

/// Paged engines' budgets. vLLM: each CUDA/ROCm GPU offers utilization x total; the
/// non-torch memory (CUDA context, NCCL, cuBLAS) is its overhead; no extra margin (the 10%
/// left is it). TensorRT-LLM: each CUDA GPU offers its total; the 10% of the free memory it
/// leaves outside the KV pool is set as the margin once the weights are known
/// (paged_margin).
std::vector<MemoryDevice> paged_devices(const HardwareProfile& profile, FitEngine engine) {
    std::vector<MemoryDevice> devices;
    const EngineModel& em = engine_model(engine);
    for (const auto& gpu : profile.gpus) {
        const bool discrete = gpu.memory_kind.value && *gpu.memory_kind.value == "discrete";
        const bool cuda = std::find(gpu.apis.begin(), gpu.apis.end(), "cuda") != gpu.apis.end();
        if (!gpu.memory_total_bytes.value || (em.needs_cuda ? !cuda : !discrete)) {
            continue;
        }
        MemoryDevice d;
        d.id = gpu.id;
        d.kind = MemoryDeviceKind::gpu;
        const double total = static_cast<double>(*gpu.memory_total_bytes.value);
        d.capacity_bytes = static_cast<std::uint64_t>(
            std::ceil(em.kv_pool_of_free_memory ? total : total * em.kv_pool_fraction));
        d.overhead_bytes = cuda_context_bytes();
        d.shares_system_memory =
            gpu.memory_kind.value && *gpu.memory_kind.value == "unified";
        devices.push_back(d);
    }
    for (const auto& d : memory_devices(profile, BudgetRules{})) {
        if (d.kind == MemoryDeviceKind::system) {
            devices.push_back(d);
        }
    }
    return devices;
}

/// TensorRT-LLM keeps (1 - free_gpu_memory_fraction) of what is left after weights and
/// activations outside its KV pool: that share is each GPU's margin (split by its share of
/// the weights when the model spans several GPUs).
void paged_margin(std::vector<MemoryDevice>& devices, const EngineModel& em,
                  std::uint64_t weight_bytes, std::uint64_t activation_bytes) {
    if (!em.kv_pool_of_free_memory) {
        return;
    }
    std::uint64_t gpu_usable = 0;
    int gpus = 0;
    for (const auto& d : devices) {
        if (d.kind == MemoryDeviceKind::gpu) {
            gpu_usable += d.usable_bytes();
            ++gpus;
        }
    }
    if (gpus == 0) {
        return;
    }
    for (auto& d : devices) {
        if (d.kind != MemoryDeviceKind::gpu) {
            continue;
        }
        const double share =
            gpu_usable > 0 ? static_cast<double>(d.usable_bytes()) / static_cast<double>(gpu_usable)
                           : 0.0;
        const double used = static_cast<double>(weight_bytes) * share +
                            static_cast<double>(activation_bytes);
        const double free = std::max(0.0, static_cast<double>(d.usable_bytes()) - used);
        d.margin_bytes = static_cast<std::uint64_t>(free * (1.0 - em.kv_pool_fraction));
    }
}

/// vLLM and TensorRT-LLM shard attention by heads: the query heads must divide by the
/// tensor-parallel size (vLLM ModelConfig.verify_with_parallel_config: "Total number of
/// attention heads must be divisible by tensor parallel size"); KV heads are split when
/// there are at least as many as ranks and replicated otherwise, so one must divide the
/// other. Unknown head counts do not forbid a size.
std::string whole_number(double value) {
    return std::to_string(static_cast<long long>(std::llround(value)));
}

/// How the speed side prices the group's all-reduces, and on what evidence.
std::string tensor_parallel_link_note(const HardwareProfile& profile, int tp) {
    const GpuLink link = gpu_link(profile, tp);
    const std::string figures = whole_number(link.bandwidth_gbps) + " GB/s each way, " +
                                whole_number(link.allreduce_latency_s * 1e6) +
                                " us per all-reduce";
    if (link.assumed) {
        return "tensor parallel " + std::to_string(tp) +
               ": the profile does not say how the GPUs are linked, so PCIe 4.0 x16 is "
               "assumed for the all-reduces (" + figures +
               "); NVLink would be faster (give it with --set /gpus/items/N/peer_link_gbps=GBPS)";
    }
    return "tensor parallel " + std::to_string(tp) + ": all-reduces over " +
           (link.nvlink ? "NVLink" : "PCIe") + " (" + figures + ")";
}

bool heads_divide(const ModelArchitecture& arch, int tp) {
    const int heads = arch.attention_heads.value_or(0);
    const int kv = arch.kv_heads.value_or(heads);
    const bool q_ok = heads <= 0 || heads % tp == 0;
    const bool kv_ok = kv <= 0 || kv % tp == 0 || tp % kv == 0;
    return q_ok && kv_ok;
}

/// The first `gpus` GPU budgets and every non-GPU one: the devices a tensor-parallel
/// group of that size runs on.
std::vector<MemoryDevice> first_gpus(const std::vector<MemoryDevice>& devices, int gpus) {
    std::vector<MemoryDevice> kept;
    int taken = 0;
    for (const auto& d : devices) {
        if (d.kind != MemoryDeviceKind::gpu) {
            kept.push_back(d);
        } else if (taken < gpus) {
            kept.push_back(d);
            ++taken;
        }
    }
    return kept;
}

int gpu_count(const std::vector<MemoryDevice>& devices) {
    return static_cast<int>(
        std::count_if(devices.begin(), devices.end(),
                      [](const MemoryDevice& d) { return d.kind == MemoryDeviceKind::gpu; }));
}

/// Ollama's placement (llm/memory.go) keeps MinimumMemory and one more block (its weights
/// and KV) free on each GPU; both become part of the GPU's overhead.
void ollama_reserve(std::vector<MemoryDevice>& devices, const EngineModel& em,
                    const HardwareProfile& profile, std::uint64_t block_bytes) {
    for (auto& d : devices) {
        if (d.kind != MemoryDeviceKind::gpu) {
            continue;
        }
        bool metal = false;
        for (const auto& gpu : profile.gpus) {
            if (gpu.id == d.id) {
                metal = std::find(gpu.apis.begin(), gpu.apis.end(), "metal") != gpu.apis.end();
            }
        }
        d.overhead_bytes += (metal ? em.gpu_reserve_metal_bytes : em.gpu_reserve_bytes) +
                            (em.reserves_one_layer ? block_bytes : 0);
    }
}

} // namespace

Result<std::vector<WeightTensor>> weight_tensors(const FitSettings& settings,
                                                 const ModelTensorList& list,
                                                 const Catalog& catalog) {
    if (settings.file != nullptr) {
        return settings.file->tensors; // the file's own types: nothing to estimate
    }
    if (settings.preset != nullptr) {
        return gguf_tensor_bytes(list.shapes, *settings.preset, catalog);
    }
    return format_tensor_bytes(list.shapes, *settings.format);
}

Result<FitMemory> plan_fit_memory(const FitSettings& settings,
                                  const std::vector<WeightTensor>& tensors,
                                  const HardwareProfile& profile, const Catalog& catalog,
                                  PlacementStrategy strategy) {
    const ModelArchitecture& arch = settings.model->architecture;
    FitMemory memory;
    MemoryDemand demand;
    demand.arch = arch;
    demand.tensors = tensors;
    demand.n_seq = settings.concurrency;
    demand.flash_attention = settings.flash_attention;
    // FitSettings::ubatch_tokens defaults to llama.cpp's -ub 512 (common/common.h n_ubatch).
    demand.n_ubatch = settings.ubatch_tokens;

    LlamaCppKvParams kv_params;
    kv_params.n_seq = settings.concurrency;
    kv_params.n_ubatch = settings.ubatch_tokens;
    const EngineModel& em = engine_model(settings.engine);
    const MemoryPhysics physics = memory_physics(settings.engine, settings.preset != nullptr);
    std::uint64_t weight_total = 0;
    for (const auto& t : tensors) {
        weight_total += t.bytes;
    }
    switch (physics) {
    case MemoryPhysics::ggml: {
        // llama-server -c is the total over its -np slots (unified KV): context x slots;
        // Ollama sizes num_ctx x OLLAMA_NUM_PARALLEL the same way (server/sched.go).
        kv_params.n_ctx = settings.context_tokens * settings.concurrency;
        auto type = cache_type_from_catalog(catalog, settings.kv_type);
        if (!type) {
            return type.error();
        }
        kv_params.type_k = *type;
        kv_params.type_v = *type;
        demand.engine = EngineFamily::llama_cpp;
        demand.cpu_repack = avx2(profile) ? CpuRepack::x86_avx2 : CpuRepack::none;
        memory.devices = memory_devices(profile, BudgetRules{});
        break;
    }
    case MemoryPhysics::paged_gpu: {
        // Pages of kv_block_tokens per sequence; fp8 caches take one byte per element.
        const int block = em.kv_block_tokens;
        const int per_sequence = (settings.context_tokens + block - 1) / block * block;
        kv_params.n_ctx = per_sequence * settings.concurrency;
        const double dtype = settings.kv_type.rfind("fp8", 0) == 0 ? 1.0 : 2.0;
        kv_params.type_k = dtype_element(dtype);
        kv_params.type_v = dtype_element(dtype);
        demand.engine = EngineFamily::vllm;
        memory.devices = paged_devices(profile, settings.engine);
        const std::uint64_t gpu_bytes =
            memory.devices.empty() || memory.devices.front().kind != MemoryDeviceKind::gpu
                ? 0
                : static_cast<std::uint64_t>(memory.devices.front().capacity_bytes /
                                             (em.kv_pool_of_free_memory ? 1.0 : em.kv_pool_fraction));
        const int batched =
            em.max_batched_tokens > 0 ? em.max_batched_tokens : vllm_batched_tokens(gpu_bytes);
        demand.compute_bytes_override =
            vllm_activation_peak_bytes(arch, batched, settings.concurrency);
        strategy = PlacementStrategy::gpu_full;
        break;
    }
    case MemoryPhysics::mlx: {
        kv_params.n_ctx = settings.context_tokens * settings.concurrency;
        demand.engine = EngineFamily::mlx;
        ComputeGraphShape step;
        step.n_tokens = std::min(mlx_prefill_step, settings.context_tokens);
        step.n_kv = settings.context_tokens;
        step.n_outputs = 1;
        step.flash_attention = FlashAttention::on; // mx.fast.scaled_dot_product_attention
        demand.compute_bytes_override = llama_cpp_compute_buffer_bytes(arch, step);
        memory.devices = memory_devices(profile, BudgetRules{});
        strategy = PlacementStrategy::gpu_full;
        break;
    }
    }
    demand.n_ctx = kv_params.n_ctx;
    auto kv = llama_cpp_kv_cache(arch, kv_params);
    if (!kv) {
        return kv.error();
    }
    if (physics == MemoryPhysics::mlx) {
        // mlx-lm's own sizes (256-token steps, packed --kv-bits); the per-layer split keeps
        // llama.cpp's proportions.
        MlxKvParams mlx;
        mlx.tokens = settings.context_tokens;
        mlx.batch = settings.concurrency;
        if (settings.kv_type != "f16") {
            mlx.kv_bits = std::stoi(settings.kv_type);
        }
        auto total = mlx_kv_cache_bytes(arch, mlx);
        if (!total) {
            return total.error();
        }
        const double scale = kv->total_bytes() > 0
                                 ? static_cast<double>(*total) / static_cast<double>(kv->total_bytes())
                                 : 0.0;
        for (auto& b : kv->layer_bytes) {
            b = static_cast<std::uint64_t>(static_cast<double>(b) * scale);
        }
        kv->k_bytes = static_cast<std::uint64_t>(static_cast<double>(kv->k_bytes) * scale);
        kv->v_bytes = static_cast<std::uint64_t>(static_cast<double>(kv->v_bytes) * scale);
        kv->recurrent_bytes =
            static_cast<std::uint64_t>(static_cast<double>(kv->recurrent_bytes) * scale);
        kv->bytes_per_token =
            static_cast<std::uint64_t>(static_cast<double>(kv->bytes_per_token) * scale);
    }
    if (em.gpu_reserve_bytes > 0 || em.reserves_one_layer) {
        // One block: the largest layer's weights plus its KV, as Ollama's blk.0 buffer.
        std::uint64_t block = 0;
        const int layers = std::max(1, arch.layers.value_or(1));
        block = weight_total / static_cast<std::uint64_t>(layers);
        std::uint64_t layer_kv = 0;
        for (auto b : kv->layer_bytes) {
            layer_kv = std::max(layer_kv, b);
        }
        ollama_reserve(memory.devices, em, profile, block + layer_kv);
    }
    demand.kv = *kv;
    memory.kv = *kv;
    memory.kv_bytes = kv->total_bytes();
    memory.kv_bytes_per_token = kv->bytes_per_token;
    memory.weight_bytes = weight_total;
    for (const auto& t : tensors) {
        memory.weight_parameters += static_cast<std::uint64_t>(t.shape.elements());
    }
    if (physics == MemoryPhysics::paged_gpu) {
        // Tensor parallelism only for what one GPU cannot hold: the smallest power of two
        // the heads divide by at which weights + KV for the requested sequences fit; the
        // other GPUs stay free (all-reduce per layer costs latency and buys nothing once
        // the model fits). None fits: the largest size tried is shown, not fitting.
        const std::vector<MemoryDevice> all = memory.devices;
        memory.gpus_available = gpu_count(all);
        const int max_tp = std::max(1, memory.gpus_available);
        for (int tp = 1; tp <= max_tp; tp *= 2) {
            if (tp < std::min(settings.min_tensor_parallel, max_tp)) {
                continue; // a larger size was asked for (speed target)
            }
            if (!heads_divide(arch, tp) && tp > 1) {
                continue;
            }
            std::vector<MemoryDevice> group = first_gpus(all, tp);
            paged_margin(group, em, weight_total, *demand.compute_bytes_override);
            MemoryPlan plan = plan_memory(demand, group, strategy);
            memory.devices = std::move(group);
            memory.plan = std::move(plan);
            memory.tensor_parallel = std::min(tp, memory.gpus_available);
            if (memory.plan.fits) {
                break;
            }
        }
        if (memory.plan.fits && memory.tensor_parallel > 1) {
            memory.plan.notes.push_back(tensor_parallel_link_note(profile, memory.tensor_parallel));
        }
        const int free_gpus = memory.gpus_available - memory.tensor_parallel;
        if (memory.plan.fits && memory.tensor_parallel >= 1 && free_gpus > 0) {
            memory.plan.notes.push_back(
                "tensor parallel " + std::to_string(memory.tensor_parallel) + " of " +
                std::to_string(memory.gpus_available) + " GPUs holds the weights and KV; the " +
                std::to_string(free_gpus) + " others stay free (for replicas or other models)");
        }
    } else {
        memory.plan = plan_memory(demand, memory.devices, strategy);
    }
    memory.total_bytes = physical_total(memory.plan, memory.devices);
    memory.max_sequences = max_sequences(memory.plan, settings.concurrency);

    const bool one_gpu = gpu_count(memory.devices) == 1;
    if (settings.engine == FitEngine::vllm && one_gpu) {
        // What vLLM itself would preallocate: every byte left under the utilization cap.
        const auto& gpu = memory.devices.front();
        const auto& use = memory.plan.devices.front();
        VllmKvParams p;
        p.gpu_memory_bytes =
            static_cast<std::uint64_t>(static_cast<double>(gpu.capacity_bytes) / vllm_utilization);
        p.gpu_memory_utilization = vllm_utilization;
        p.weight_bytes = use.weights_bytes;
        p.activation_peak_bytes = demand.compute_bytes_override.value_or(0);
        p.non_torch_bytes = gpu.overhead_bytes;
        p.dtype_bytes = kv_params.type_k.block_bytes;
        p.context_tokens = settings.context_tokens;
        p.block_tokens = em.kv_block_tokens;
        auto plan = vllm_kv_plan(arch, p);
        if (plan) {
            memory.vllm = *plan;
            if (memory.plan.fits) {
                memory.max_sequences = static_cast<int>(std::clamp<std::int64_t>(
                    plan->max_concurrent_sequences, 0, fit_concurrency_limit));
            }
        }
    }
    if (em.kv_pool_of_free_memory && memory.plan.fits && kv->bytes_per_token > 0) {
        // TensorRT-LLM's pool: free_gpu_memory_fraction of what weights and activations
        // leave, in blocks of kv_block_tokens; sequences of the full context it holds.
        std::uint64_t pool = 0;
        for (const auto& use : memory.plan.devices) {
            if (use.kind == MemoryDeviceKind::gpu) {
                pool += use.kv_bytes + static_cast<std::uint64_t>(std::max<std::int64_t>(
                                           0, use.margin_bytes()));
            }
        }
        const std::uint64_t per_sequence =
            kv->bytes_per_token * static_cast<std::uint64_t>(kv_params.n_ctx / settings.concurrency);
        if (per_sequence > 0) {
            memory.max_sequences = static_cast<int>(std::min<std::uint64_t>(
                pool / per_sequence, static_cast<std::uint64_t>(fit_concurrency_limit)));
        }
    }
    memory.command = fit_command_line(settings, memory, catalog);
    return memory;
}

} // namespace edgeplan::fit_detail
