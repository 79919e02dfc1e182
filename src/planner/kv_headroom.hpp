#pragma once

// How far the chosen plan can stretch before it stops fitting: extra context per sequence
// and extra concurrent sequences, from the KV cache and margin of each device. Shared by the
// risk register (memory overflow scenarios) and the hybrid note (when to fall back).

#include <edgeplan/core/plan.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace edgeplan::planner_detail {

/// The device whose margin runs out first as the context or the sequence count grows.
struct KvHeadroom {
    const DeviceMemory* device = nullptr;
    int context_tokens = 0; ///< per sequence, as planned
    int sequences = 1;      ///< as planned (parallel slots)
    /// KV bytes one sequence adds per token of context on this device (kv / (ctx x seqs)).
    double bytes_per_token = 0;
    /// Largest context per sequence that fits with every planned sequence at it.
    long long max_context_tokens = 0;
    /// Largest number of sequences of context_tokens that fit.
    long long max_sequences = 0;
    [[nodiscard]] double bytes_per_1k_tokens() const {
        return bytes_per_token * 1000.0;
    }
    [[nodiscard]] double bytes_per_sequence() const {
        return bytes_per_token * context_tokens;
    }
};

/// nullopt when no device holds KV cache or the context is unknown (0): a model with no
/// growing cache (recurrent state only) cannot overflow this way.
std::optional<KvHeadroom> kv_headroom(const Candidate& chosen);

/// The device with the smallest margin relative to its usable memory ("disk" excluded).
struct TightestMargin {
    const DeviceMemory* device = nullptr;
    double fraction = 0; ///< margin / usable; negative: over
};
std::optional<TightestMargin> tightest_margin(const Candidate& chosen);

/// "gpu0 (NVIDIA GeForce RTX 4090, 24 GiB VRAM)" or just "gpu0".
std::string device_label(const DeviceMemory& device);

/// "weights 4.6 GiB + KV 1.0 GiB + compute 300 MiB + overhead 200 MiB = 6.1 GiB".
std::string breakdown_text(const DeviceMemory& device);

} // namespace edgeplan::planner_detail
