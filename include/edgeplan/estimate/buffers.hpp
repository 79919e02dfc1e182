#pragma once

// Runtime buffers and fixed overheads around the weights and the KV cache: llama.cpp's
// compute and output buffers, the process's own host memory, GPU driver contexts, the OS
// reserve and Apple's GPU working-set limit. Pure: no I/O. Bytes are bytes.

#include <edgeplan/core/catalog.hpp>

#include <cstdint>
#include <optional>

namespace edgeplan {

/// Flash attention on (-fa on) or off. With it off the n_kv x n_ubatch x n_head score matrix
/// is materialised in the compute buffer.
enum class FlashAttention { off, on };

/// The graph a compute buffer is sized for.
struct ComputeGraphShape {
    int n_tokens = 512;  ///< tokens in the micro-batch (n_ubatch when reserving)
    int n_kv = 4096;     ///< KV cells attended (n_ctx when reserving)
    int n_outputs = 512; ///< rows of logits (n_tokens when reserving; 1 for a prompt)
    FlashAttention flash_attention = FlashAttention::off;
};

/// llama.cpp's compute buffer ("sched_reserve: <dev> compute buffer size"): the peak of the
/// ggml allocator over the worst-case graph, which is the larger of two phases:
///   logits:    4 n_vocab n_outputs + 2 x 4 n_tokens n_embd
///   attention: [FA off] 4 n_kv n_tokens n_head (KQ scores) + 4 n_kv n_tokens (mask)
///              + 5.5 x 4 n_tokens n_embd (Q, K, V, residual, activations)
///   FFN:       4 n_tokens (2 n_ff + 3 n_embd)
/// Fitted to the harness (shared/harness/results/results.csv: 14 shapes x ub 128/512/2048 x
/// FA on/off x ctx 2048-32768; see docs/estimation-memory.md for the residuals).
/// Sliding layers see at most their window; MLA heads use kv_lora_rank + rope as K width.
std::uint64_t llama_cpp_compute_buffer_bytes(const ModelArchitecture& arch,
                                             const ComputeGraphShape& graph);

/// The reservation llama.cpp makes at context creation (n_tokens = n_outputs = n_ubatch,
/// n_kv = n_ctx).
std::uint64_t llama_cpp_compute_reserve_bytes(const ModelArchitecture& arch, int n_ctx,
                                              int n_ubatch, FlashAttention fa);

/// Host output buffer (llama_context::output_reserve): n_vocab x max(1, n_seq) x 4 B of
/// logits for one output per sequence.
std::uint64_t llama_cpp_output_buffer_bytes(const ModelArchitecture& arch, int n_seq);

/// Host memory llama.cpp itself holds beside its named buffers: vocabulary tables, ggml
/// contexts and tensor metadata, allocator arenas, sampler arrays. Fitted to the harness
/// (RSS minus every named buffer over 48 runs): 30 MiB + 630 B per vocabulary token.
/// Excludes the executable and its libraries.
std::uint64_t llama_cpp_host_overhead_bytes(const ModelArchitecture& arch);

/// The CPU backend's per-graph work buffer for `graph` when it runs on the CPU: with flash
/// attention off, softmax(KQ) converted to f16 (2 n_kv n_tokens n_head bytes); 0 with FA.
/// Not part of the logged compute buffer.
std::uint64_t llama_cpp_cpu_work_bytes(const ModelArchitecture& arch,
                                       const ComputeGraphShape& graph);

/// A CUDA primary context and the driver's per-process allocations: 120-550 MB depending on
/// the GPU, scaling with SM count (llama.cpp PR #20595; 107 MiB on RTX 4060 Ti, 555 MiB on
/// RTX PRO 6000 Blackwell, PR #23604). Default when the SM count is unknown: 512 MiB (the
/// high end, so a plan never fails on the context).
std::uint64_t cuda_context_bytes(std::optional<int> sm_count = std::nullopt);

/// Metal: Ollama's estimator reserved 512 MiB on Metal (ml/device.go MinimumMemory), for
/// command buffers, pipeline state and residency sets.
inline constexpr std::uint64_t metal_overhead_bytes = 512ull << 20;

/// Margin llama.cpp's --fit keeps free on every device (1024 MiB default, --fit-target;
/// llama.cpp PR #16653): fragmentation and allocations outside the logged buffers.
inline constexpr std::uint64_t llama_cpp_fit_margin_bytes = 1024ull << 20;

/// What the operating system and a desktop session keep for themselves.
enum class HostRole { headless, desktop };

/// System memory left to an inference process: total minus an OS reserve of 1 GiB headless
/// (kernel, page tables, services of a minimal Linux) or 4 GiB with a desktop session (a
/// browser-free GNOME/macOS/Windows desktop idles at 2.5-4 GB). Engineering defaults, not
/// measurements: override them when the machine is known. Never below 0.
std::uint64_t system_memory_usable_bytes(std::uint64_t total_bytes, HostRole role);

/// Apple's default GPU working-set limit (MTLDevice.recommendedMaxWorkingSetSize), used
/// when the probe could not read it: 2/3 of RAM up to 36 GB, 3/4 above (estimation-facts
/// §3.3: 16 GB -> 10.67 GB, 32 GB -> 21.8 GB, 64 GB -> 48 GiB). macOS 26 on 128 GB reports
/// ~0.84 (antirez/ds4 PR #893); 3/4 is kept as the conservative default there.
std::uint64_t apple_gpu_working_set_bytes(std::uint64_t ram_bytes);

} // namespace edgeplan
