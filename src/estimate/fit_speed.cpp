// The adapter from a memory placement to the speed model: per device, the bytes a decode
// step streams (its blocks' dense weights, the active share of its routed experts, the LM
// head where it lives; never the input embedding, of which one row is read), the
// parameters it multiplies, the KV it reads per token of context, and its bandwidth and
// compute peak from the hardware profile. Missing inputs make a figure unknown, with the
// reason; nothing is invented.
#include "fit_internal.hpp"

#include <edgeplan/estimate/kv_cache.hpp>
#include <edgeplan/estimate/model_tensors.hpp>

#include <algorithm>
#include <cmath>
#include <map>

namespace edgeplan::fit_detail {

namespace {

const std::string disk_id = "disk";
const std::string system_id = "system";

/// Short-context decode figure: llama-bench's tg runs start from an empty cache; 512
/// tokens stands for a short chat turn.
constexpr double short_context_tokens = 512;

struct DevicePeaks {
    BackendClass backend = BackendClass::cpu;
    std::optional<double> bandwidth_gbps;
    BandwidthKind bandwidth_kind = BandwidthKind::peak;
    std::optional<double> tflops;
    std::string no_bandwidth; ///< why bandwidth is unknown
    std::string no_tflops;    ///< why the compute peak is unknown
};

DevicePeaks cpu_peaks(const HardwareProfile& profile) {
    DevicePeaks p;
    p.backend = BackendClass::cpu;
    if (profile.memory.measured_read_gbps.value) {
        p.bandwidth_gbps = *profile.memory.measured_read_gbps.value;
        p.bandwidth_kind = BandwidthKind::measured;
    } else if (profile.memory.bandwidth_gbps.value) {
        p.bandwidth_gbps = *profile.memory.bandwidth_gbps.value;
    } else {
        p.no_bandwidth = "system memory bandwidth is unknown (give it with --set "
                         "/memory/bandwidth_gbps=N or measure it live with --measure-memory)";
    }
    const auto per_cycle = cpu_flops_per_cycle(profile.cpu);
    const auto& cores = profile.cpu.cores.value;
    const auto& mhz = profile.cpu.frequency_max_mhz.value;
    if (per_cycle && cores && mhz) {
        p.tflops = *cores * (*mhz / 1000.0) * *per_cycle / 1000.0;
    } else {
        p.no_tflops = std::string("CPU compute peak is unknown (needs ") +
                      (!cores ? "core count, " : "") + (!mhz ? "maximum frequency, " : "") +
                      (!per_cycle ? "ISA, " : "");
        p.no_tflops.resize(p.no_tflops.size() - 2);
        p.no_tflops += ")";
    }
    return p;
}

DevicePeaks gpu_peaks(const HardwareProfile& profile, const GpuDevice& gpu) {
    DevicePeaks p;
    const auto backend = classify_gpu(gpu);
    p.backend = backend.value_or(BackendClass::cuda_discrete);
    const bool unified = gpu.memory_kind.value && *gpu.memory_kind.value == "unified";
    if (!backend) {
        p.no_bandwidth = gpu.id + "'s vendor is unknown, so its backend is";
    } else if (gpu.memory_bandwidth_gbps.value) {
        p.bandwidth_gbps = *gpu.memory_bandwidth_gbps.value;
    } else if (unified && profile.memory.bandwidth_gbps.value) {
        p.bandwidth_gbps = *profile.memory.bandwidth_gbps.value; // the GPU reads the same DRAM
    } else {
        p.no_bandwidth = gpu.id + " memory bandwidth is unknown";
    }
    if (gpu.fp16_tflops.value) {
        p.tflops = *gpu.fp16_tflops.value;
    } else {
        p.no_tflops = gpu.id + " FP16 TFLOPS is unknown";
    }
    return p;
}

DevicePeaks peaks_of(const HardwareProfile& profile, const std::string& device) {
    for (const auto& gpu : profile.gpus) {
        if (gpu.id == device) {
            return gpu_peaks(profile, gpu);
        }
    }
    return cpu_peaks(profile);
}

/// Per-layer parameters from the tensors: dense part, routed experts, and the LM head.
struct ParameterSplit {
    std::vector<double> layer;
    std::vector<double> expert;
    double output = 0;
};

ParameterSplit split_parameters(const std::vector<WeightTensor>& tensors, std::size_t layers) {
    ParameterSplit p;
    p.layer.assign(layers, 0);
    p.expert.assign(layers, 0);
    for (const auto& t : tensors) {
        const double n = static_cast<double>(t.shape.elements());
        if (t.shape.layer >= 0 && static_cast<std::size_t>(t.shape.layer) < layers) {
            (t.routed_expert() ? p.expert : p.layer)[static_cast<std::size_t>(t.shape.layer)] += n;
        } else if (t.shape.category == TensorCategory::output) {
            p.output += n;
        }
    }
    return p;
}

DeviceShare& share_for(std::vector<DeviceShare>& shares, const std::string& id) {
    for (auto& s : shares) {
        if (s.device_id == id) {
            return s;
        }
    }
    DeviceShare s;
    s.device_id = id;
    shares.push_back(s);
    return shares.back();
}

/// Tensor parallelism (paged engines, tp > 1): the layer-split shares the placement gave
/// are regrouped into `tp` ranks, each holding 1/tp of every layer's weights and
/// parameters (Megatron column/row split) and of the KV heads (replicated when tp exceeds
/// them: each rank then reads one whole KV head), on the first tp GPUs of the profile.
std::vector<DeviceShare> tensor_parallel_ranks(const std::vector<DeviceShare>& split, int tp,
                                               const ModelArchitecture& arch,
                                               const HardwareProfile& profile) {
    DeviceShare total;
    for (const auto& s : split) {
        total.weight_bytes += s.weight_bytes;
        total.active_parameters += s.active_parameters;
        total.routed_expert_bytes += s.routed_expert_bytes;
        total.experts = std::max(total.experts, s.experts);
        total.experts_per_token = std::max(total.experts_per_token, s.experts_per_token);
        total.kv_bytes_per_context_token += s.kv_bytes_per_context_token;
        total.state_bytes += s.state_bytes;
        total.attention_flops_per_context_token += s.attention_flops_per_context_token;
    }
    const int kv_heads = arch.kv_heads.value_or(0);
    const double kv_share = kv_heads > 0 ? std::max(1.0 / tp, 1.0 / kv_heads) : 1.0 / tp;
    TensorParallelGroup group;
    group.ranks = tp;
    group.link = gpu_link(profile, tp);
    group.hidden_size = arch.hidden_size.value_or(0);
    group.layers = arch.layers.value_or(0);
    std::vector<DeviceShare> ranks;
    for (int r = 0; r < tp && r < static_cast<int>(profile.gpus.size()); ++r) {
        DeviceShare rank;
        rank.device_id = profile.gpus[static_cast<std::size_t>(r)].id;
        rank.weight_bytes = total.weight_bytes / tp;
        rank.active_parameters = total.active_parameters / tp;
        rank.routed_expert_bytes = total.routed_expert_bytes / tp;
        rank.experts = total.experts;
        rank.experts_per_token = total.experts_per_token;
        rank.kv_bytes_per_context_token = total.kv_bytes_per_context_token * kv_share;
        rank.state_bytes = total.state_bytes * kv_share;
        rank.attention_flops_per_context_token = total.attention_flops_per_context_token / tp;
        rank.layers = group.layers;
        rank.tensor_parallel = group;
        ranks.push_back(rank);
    }
    return ranks;
}

} // namespace

FitSpeed estimate_fit_speed(const FitSettings& settings, const FitMemory& memory,
                            const std::vector<WeightTensor>& tensors,
                            const HardwareProfile& profile) {
    const ModelArchitecture& arch = settings.model->architecture;
    const MemoryPlan& plan = memory.plan;
    const KvCacheEstimate& kv = memory.kv;
    FitSpeed speed;
    speed.full_context_tokens = settings.context_tokens;
    speed.short_context_tokens = std::min<double>(short_context_tokens, settings.context_tokens);

    const ParameterSplit params = split_parameters(tensors, plan.layers.size());
    // Routed experts: each token reads experts_per_token of them (estimation-facts.md 4.5).
    const double expert_fraction =
        arch.moe && arch.moe->experts > 0
            ? static_cast<double>(arch.moe->experts_per_token) / arch.moe->experts
            : 1.0;
    const int heads = arch.attention_heads.value_or(0);
    const int head_dim = arch.mla ? arch.mla->qk_nope_head_dim + arch.mla->qk_rope_head_dim
                                  : arch.head_dim.value_or(arch.hidden_size.value_or(0) /
                                                           std::max(1, heads));
    const int window = arch.sliding_window ? arch.sliding_window->window_tokens : 0;

    std::vector<DeviceShare> shares;
    double disk_bytes = 0;
    for (const auto& lp : plan.layers) {
        // Blocks streamed from disk are computed by the CPU from the page cache.
        const std::string& dense_dev = lp.device == disk_id ? system_id : lp.device;
        DeviceShare& dense = share_for(shares, dense_dev);
        const auto il = static_cast<std::size_t>(lp.layer);
        dense.weight_bytes += static_cast<double>(lp.weight_bytes);
        dense.active_parameters += params.layer[il];
        dense.layers += 1;
        if (lp.device == disk_id) {
            disk_bytes += static_cast<double>(lp.weight_bytes);
        }
        // KV lives with the layer; what one decode step reads of it depends on the kind. A
        // Gemma 3n/4 KV-sharing layer holds none but reads its source layer's cache.
        const int source = kv_source_layer(arch, lp.layer);
        std::uint64_t source_kv = lp.kv_bytes;
        for (const auto& other : plan.layers) {
            source_kv = other.layer == source ? other.kv_bytes : source_kv;
        }
        const double bytes = static_cast<double>(source_kv);
        if (layer_is_recurrent(arch, lp.layer)) {
            dense.state_bytes += bytes / settings.concurrency;
        } else if (layer_is_sliding(arch, lp.layer) && kv.swa_cells > 0) {
            dense.state_bytes += bytes / kv.swa_cells * std::min(window, settings.context_tokens);
        } else if (kv.full_cells > 0) {
            dense.kv_bytes_per_context_token += bytes / kv.full_cells;
            dense.attention_flops_per_context_token += 4.0 * heads * head_dim;
        }
        if (lp.expert_bytes > 0) {
            const std::string& expert_dev =
                lp.expert_device == disk_id ? system_id : lp.expert_device;
            DeviceShare& experts = share_for(shares, expert_dev);
            experts.weight_bytes += static_cast<double>(lp.expert_bytes) * expert_fraction;
            experts.routed_expert_bytes += static_cast<double>(lp.expert_bytes) * expert_fraction;
            experts.experts = arch.moe->experts;
            experts.experts_per_token = arch.moe->experts_per_token;
            experts.active_parameters += params.expert[il] * expert_fraction;
            if (expert_dev != dense_dev) {
                experts.layers += 1; // the expert half of the layer synchronises there too
            }
            if (lp.expert_device == disk_id) {
                disk_bytes += static_cast<double>(lp.expert_bytes) * expert_fraction;
            }
        }
    }
    if (!plan.layers.empty()) {
        const std::string& out = plan.output_device == disk_id ? system_id : plan.output_device;
        DeviceShare& head = share_for(shares, out);
        // The LM head bytes: output_norm + output (tied: the embedding matrix itself).
        for (const auto& t : tensors) {
            if (t.shape.layer < 0 && t.shape.category == TensorCategory::output) {
                head.weight_bytes += static_cast<double>(t.bytes);
            }
        }
        head.active_parameters += params.output;
    }

    if (memory.tensor_parallel > 1 && disk_bytes == 0) {
        shares = tensor_parallel_ranks(shares, memory.tensor_parallel, arch, profile);
    }
    std::string no_bandwidth;
    std::string no_tflops;
    for (auto& share : shares) {
        const DevicePeaks p = peaks_of(profile, share.device_id);
        share.backend = p.backend;
        share.bandwidth_kind = p.bandwidth_kind;
        share.bandwidth_gbps = p.bandwidth_gbps.value_or(0);
        share.compute_tflops = p.tflops;
        no_bandwidth = no_bandwidth.empty() ? p.no_bandwidth : no_bandwidth;
        no_tflops = no_tflops.empty() ? p.no_tflops : no_tflops;
    }
    speed.devices = shares;

    // SSD streaming: the weights beyond RAM are read from disk once per decode step.
    if (plan.streamed_bytes > 0) {
        const double streamed = std::min(disk_bytes, static_cast<double>(plan.streamed_bytes));
        if (profile.storage.read_bandwidth_mbps.value && *profile.storage.read_bandwidth_mbps.value > 0) {
            speed.disk_s = streamed / (*profile.storage.read_bandwidth_mbps.value * 1e6);
        } else if (no_bandwidth.empty()) {
            no_bandwidth = "disk read bandwidth is unknown (measure it live with --measure-disk)";
        }
    }
    if (!no_bandwidth.empty()) {
        for (FitFigure* f : {&speed.decode_short_tokens_per_s, &speed.decode_full_tokens_per_s,
                             &speed.prefill_tokens_per_s, &speed.ttft_s}) {
            f->unknown_reason = no_bandwidth;
        }
        speed.concurrency_note = no_bandwidth;
        return speed;
    }

    DecodeInputs decode_in{shares, speed.short_context_tokens, speed.full_context_tokens};
    auto decode = estimate_decode(decode_in);
    if (!decode) {
        speed.decode_short_tokens_per_s.unknown_reason = decode.error().message;
        speed.decode_full_tokens_per_s.unknown_reason = decode.error().message;
        return speed;
    }
    speed.decode_short_tokens_per_s.value = 1.0 / (decode->short_context.total_s() + speed.disk_s);
    speed.decode_full_tokens_per_s.value = 1.0 / (decode->full_context.total_s() + speed.disk_s);

    const MemoryPhysics physics = memory_physics(settings.engine, settings.preset != nullptr);
    PrefillInputs prefill_in;
    prefill_in.devices = shares;
    prefill_in.prompt_tokens = settings.prompt_tokens;
    // Paged engines multiply float and FP8 weights directly; integer formats (AWQ, GPTQ)
    // keep the dequantised-copy term: vLLM's AWQ path dequantises to FP16 from 256 tokens
    // (vllm/model_executor/layers/quantization/awq.py, FP16_MATMUL_HEURISTIC_CONDITION).
    const bool float_weights =
        settings.format != nullptr && (settings.format->weight_format == "float" ||
                                       settings.format->weight_format.rfind("fp8", 0) == 0);
    prefill_in.native_precision_gemm = physics == MemoryPhysics::paged_gpu && float_weights;
    if (!no_tflops.empty()) {
        speed.prefill_tokens_per_s.unknown_reason = no_tflops;
        speed.ttft_s.unknown_reason = no_tflops;
    } else if (auto prefill = estimate_prefill(prefill_in); prefill) {
        // Streamed weights are re-read for every 512-token micro-batch.
        const double ubatches = std::ceil(settings.prompt_tokens / 512.0);
        const double prompt_s = prefill->prompt_s + ubatches * speed.disk_s;
        speed.prefill_tokens_per_s.value = settings.prompt_tokens / prompt_s;
        speed.ttft_s.value = prefill->ttft_s - prefill->prompt_s + prompt_s + speed.disk_s;
    } else {
        speed.prefill_tokens_per_s.unknown_reason = prefill.error().message;
        speed.ttft_s.unknown_reason = prefill.error().message;
    }

    if (memory.max_sequences < 1) {
        speed.concurrency_note = "the memory holds no sequence at this context";
        return speed;
    }
    ConcurrencyInputs conc;
    conc.devices = shares;
    // Paged engines (vLLM, TensorRT-LLM) batch with vLLM's measured curve; ggml and MLX
    // runners with llama-server's.
    conc.engine = physics == MemoryPhysics::paged_gpu ? BatchingEngine::vllm
                                                      : BatchingEngine::llama_cpp_server;
    conc.context_tokens = speed.short_context_tokens;
    conc.max_streams = std::max(1, std::min(memory.max_sequences, std::max(settings.concurrency, 32)));
    if (auto table = estimate_concurrency(conc); table) {
        speed.knee_streams = table->knee_streams;
        for (const auto& point : table->points) {
            const int b = point.streams;
            const bool power_of_two = (b & (b - 1)) == 0;
            if (!power_of_two && b != settings.concurrency && b != conc.max_streams &&
                (!table->knee_streams || b != *table->knee_streams)) {
                continue;
            }
            const double tpot = 1.0 / point.per_stream_tokens_per_s + speed.disk_s;
            speed.concurrency.push_back({b, b / tpot, 1.0 / tpot, tpot, point.compute_bound});
        }
    }
    if (!no_tflops.empty()) {
        speed.concurrency_note = no_tflops + ": rows assume decode stays memory-bound, so the "
                                             "knee cannot be placed";
    } else if (!speed.knee_streams) {
        speed.concurrency_note = "memory runs out before the batch becomes compute-bound";
    }
    if (physics == MemoryPhysics::mlx) {
        speed.concurrency_note += std::string(speed.concurrency_note.empty() ? "" : "; ") +
                                  "the " + std::string(fit_engine_id(settings.engine)) +
                                  " rows use llama-server's batched efficiency (no " +
                                  std::string(fit_engine_id(settings.engine)) +
                                  " batched measurements)";
    }
    return speed;
}

} // namespace edgeplan::fit_detail
