#include "fit_format.hpp"

#include "format.hpp"

#include <fmt/format.h>

#include <map>

namespace edgeplan::report_detail {

std::string hardware_name(const HardwareProfile& profile) {
    if (profile.origin.method == "live") {
        return "this machine";
    }
    return profile.origin.method + " " + profile.origin.name;
}

std::string placement_summary(const FitMemory& memory) {
    const MemoryPlan& plan = memory.plan;
    std::map<std::string, int> blocks;
    std::map<std::string, int> expert_blocks;
    for (const auto& layer : plan.layers) {
        blocks[layer.device] += 1;
        if (!layer.expert_device.empty() && layer.expert_device != layer.device) {
            expert_blocks[layer.expert_device] += 1;
        }
    }
    std::vector<std::string> parts;
    const int n = static_cast<int>(plan.layers.size());
    for (const auto& [device, count] : blocks) {
        parts.push_back(fmt::format("{} of {} blocks on {}", count, n, device));
    }
    for (const auto& [device, count] : expert_blocks) {
        parts.push_back(fmt::format("routed experts of {} blocks on {}", count, device));
    }
    if (!plan.output_device.empty()) {
        parts.push_back("output layer on " + plan.output_device);
    }
    if (!plan.input_embedding_device.empty()) {
        parts.push_back("input embedding on " + plan.input_embedding_device);
    }
    if (plan.streamed_bytes > 0) {
        parts.push_back(format_bytes(plan.streamed_bytes) + " of weights re-read from disk");
    }
    return to_string(plan.strategy) + ": " + join(parts, "; ");
}

std::string verdict_line(const FitEvaluation& e) {
    const FitMemory& m = e.memory;
    switch (e.verdict) {
    case FitVerdict::fits:
    case FitVerdict::fits_with_offload: {
        std::string line = e.verdict == FitVerdict::fits ? "fits" : "fits with offload";
        line += fmt::format(" ({}): {} in all", to_string(m.plan.strategy), format_bytes(m.total_bytes));
        line += fmt::format("; up to {} sequence{} of {} tokens", m.max_sequences,
                            m.max_sequences == 1 ? "" : "s", e.settings.context_tokens);
        return line;
    }
    case FitVerdict::does_not_fit:
        break;
    }
    std::vector<std::string> parts;
    for (const auto& s : e.shortfall) {
        parts.push_back(fmt::format("{} needs {} more (needs {}, usable {})", s.device,
                                    format_bytes(s.missing_bytes()), format_bytes(s.needed_bytes),
                                    format_bytes(s.usable_bytes)));
    }
    return "does not fit: " + (parts.empty() ? std::string("no placement holds it") : join(parts, "; "));
}

std::string format_rate(double tokens_per_s) {
    const int decimals = tokens_per_s >= 100 ? 0 : tokens_per_s >= 10 ? 1 : 2;
    return format_number(tokens_per_s, decimals) + " tok/s";
}

std::string format_seconds(double seconds) {
    if (seconds < 1.0) {
        return format_number(seconds * 1000.0, seconds < 0.01 ? 2 : 1) + " ms";
    }
    return format_number(seconds, 2) + " s";
}

std::string how_computed_text() {
    return "weights from the llama-quantize preset rules or the format's bits per weight over "
           "the model's tensor list; KV cache, compute buffers, overheads and placement as the "
           "engine allocates them; decode from bytes streamed per token over bandwidth x "
           "efficiency, prefill from FLOPs x efficiency, concurrency by continuous batching "
           "(docs/estimation.md: Memory 1-4, Speed: Formulas and Constants; fit's own rules: "
           "docs/estimation-fit.md)";
}

} // namespace edgeplan::report_detail
