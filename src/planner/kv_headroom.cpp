#include "kv_headroom.hpp"

#include "section_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace edgeplan::planner_detail {

std::optional<KvHeadroom> kv_headroom(const Candidate& chosen) {
    const int context = chosen.settings.context_tokens;
    if (context <= 0) {
        return std::nullopt;
    }
    const int sequences = sequence_count(chosen);
    std::optional<KvHeadroom> binding;
    for (const DeviceMemory& device : chosen.memory) {
        if (device.device == "disk" || device.kv_cache_bytes == 0) {
            continue;
        }
        KvHeadroom h;
        h.device = &device;
        h.context_tokens = context;
        h.sequences = sequences;
        // Linear in tokens: exact for full attention; a sliding-window model grows slower
        // past its window, so this over-states growth (the safe side).
        h.bytes_per_token =
            static_cast<double>(device.kv_cache_bytes) / (static_cast<double>(context) * sequences);
        const double margin = static_cast<double>(device.margin_bytes);
        h.max_context_tokens =
            static_cast<long long>(std::floor(context + margin / (h.bytes_per_token * sequences)));
        h.max_sequences =
            static_cast<long long>(std::floor(sequences + margin / h.bytes_per_sequence()));
        h.max_context_tokens = std::max(0LL, h.max_context_tokens);
        h.max_sequences = std::max(0LL, h.max_sequences);
        if (!binding || h.max_context_tokens < binding->max_context_tokens) {
            binding = h;
        }
    }
    return binding;
}

std::optional<TightestMargin> tightest_margin(const Candidate& chosen) {
    std::optional<TightestMargin> tightest;
    for (const DeviceMemory& device : chosen.memory) {
        if (device.device == "disk" || device.usable_bytes == 0) {
            continue;
        }
        const double fraction =
            static_cast<double>(device.margin_bytes) / static_cast<double>(device.usable_bytes);
        if (!tightest || fraction < tightest->fraction) {
            tightest = TightestMargin{&device, fraction};
        }
    }
    return tightest;
}

std::string device_label(const DeviceMemory& device) {
    if (device.description.empty()) {
        return device.device;
    }
    return fmt::format("{} ({})", device.device, device.description);
}

std::string breakdown_text(const DeviceMemory& device) {
    // A device without KV cache (an encoder, or a host holding only the weights) lists none
    // rather than "KV 0 B".
    const std::string kv =
        device.kv_cache_bytes > 0 ? " + KV " + bytes_text(device.kv_cache_bytes) : "";
    return fmt::format("weights {}{} + compute {} + overhead {} = {}",
                       bytes_text(device.weights_bytes), kv, bytes_text(device.compute_bytes),
                       bytes_text(device.overhead_bytes), bytes_text(device.total_bytes));
}

} // namespace edgeplan::planner_detail
