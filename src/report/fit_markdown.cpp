// `edgeplan fit` as Markdown: request, verdict, memory per device, placement and command
// line, speed, concurrency, alternatives, how it was computed.
#include "fit_format.hpp"
#include "format.hpp"

#include <edgeplan/estimate/calibration.hpp>
#include <edgeplan/report/fit_report.hpp>

#include <fmt/format.h>

#include <cctype>

namespace edgeplan {

namespace {

using namespace report_detail;

std::string figure(const FitFigure& f, std::string (*format)(double)) {
    return f.value ? format(*f.value) : "unknown: " + f.unknown_reason;
}

std::string rate_and_tpot(const FitFigure& f) {
    if (!f.value) {
        return "unknown: " + f.unknown_reason;
    }
    return format_rate(*f.value) + " (TPOT " + format_seconds(1.0 / *f.value) + ")";
}

std::string quantization_text(const FitSettings& s, const FitMemory& m) {
    std::string text = s.quantization + (s.file != nullptr     ? " (the file's types"
                                         : s.preset != nullptr ? " (GGUF preset"
                                                               : " (" + s.format->name);
    if (m.weight_parameters > 0) {
        text += fmt::format(", {:.2f} bits per weight on this model",
                            8.0 * static_cast<double>(m.weight_bytes) / m.weight_parameters);
    }
    return text + ")";
}

void request_section(const FitEvaluation& e, const HardwareProfile& profile, std::string& out) {
    const FitSettings& s = e.settings;
    const Model& model = *s.model;
    out += "## Request\n\n| setting | value |\n|---|---|\n";
    std::string params = model.parameters_total
                             ? fmt::format("; {:.2f} B parameters", *model.parameters_total / 1e9)
                             : "";
    out += fmt::format("| model | {} ({}{}) |\n", model.id, table_cell(model.name), params);
    out += fmt::format("| quantization | {} |\n", table_cell(quantization_text(s, e.memory)));
    out += fmt::format("| engine | {} |\n", fit_engine_id(s.engine));
    out += fmt::format("| context | {} tokens per sequence |\n", s.context_tokens);
    out += fmt::format("| KV cache | {}, flash attention {} |\n", s.kv_type,
                       s.flash_attention == FlashAttention::on ? "on" : "off");
    out += fmt::format("| concurrency | {} |\n", s.concurrency);
    out += fmt::format("| prompt | {} tokens |\n", s.prompt_tokens);
    out += fmt::format("| hardware | {} |\n", table_cell(hardware_name(profile)));
    if (!s.defaults.empty()) {
        out += "\nDefaults applied: " + join(s.defaults, "; ") + ".\n";
    }
    out += "\n";
}

void memory_section(const FitEvaluation& e, std::string& out) {
    const FitMemory& m = e.memory;
    out += "## Memory\n\n";
    out += "| device | weights | KV cache | compute | overhead | total | usable | margin |\n";
    out += "|---|---:|---:|---:|---:|---:|---:|---:|\n";
    for (const auto& d : m.plan.devices) {
        const std::int64_t margin = d.margin_bytes();
        const std::string margin_text =
            margin >= 0 ? format_bytes(static_cast<std::uint64_t>(margin))
                        : "-" + format_bytes(static_cast<std::uint64_t>(-margin));
        out += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} |\n", d.device,
                           format_bytes(d.weights_bytes), format_bytes(d.kv_bytes),
                           format_bytes(d.compute_bytes), format_bytes(d.overhead_bytes),
                           format_bytes(d.total_bytes()), format_bytes(d.usable_bytes),
                           margin_text);
    }
    out += fmt::format("\nWeights {} in all; KV cache {} ({} per token of context).", 
                       format_bytes(m.weight_bytes), format_bytes(m.kv_bytes),
                       format_bytes(m.kv_bytes_per_token));
    for (const auto& d : m.devices) {
        if (d.shares_system_memory) {
            out += fmt::format(" {} shares system memory: its bytes are also in the system row.",
                               d.id);
        }
    }
    if (m.vllm) {
        out += fmt::format(" vLLM preallocates {} of KV ({} blocks of 16 tokens: {} sequences "
                           "of {} tokens).",
                           format_bytes(m.vllm->kv_bytes), m.vllm->num_blocks,
                           m.vllm->max_concurrent_sequences, e.settings.context_tokens);
    }
    out += "\n\nPlacement: " + placement_summary(m) + ".\n\n";
    out += "Command: `" + join(m.command, " ") + "`\n\n";
}

void speed_section(const FitEvaluation& e, std::string& out) {
    const FitSpeed& sp = e.speed;
    out += "## Speed\n\n";
    if (e.verdict == FitVerdict::does_not_fit) {
        out += "For the placement above, were the memory there.\n\n";
    }
    out += "| figure | value |\n|---|---|\n";
    out += fmt::format("| decode at {:.0f} tokens | {} |\n", sp.short_context_tokens,
                       table_cell(rate_and_tpot(sp.decode_short_tokens_per_s)));
    out += fmt::format("| decode at {:.0f} tokens | {} |\n", sp.full_context_tokens,
                       table_cell(rate_and_tpot(sp.decode_full_tokens_per_s)));
    out += fmt::format("| prefill ({}-token prompt) | {} |\n", e.settings.prompt_tokens,
                       table_cell(figure(sp.prefill_tokens_per_s, format_rate)));
    out += fmt::format("| time to first token | {} |\n",
                       table_cell(figure(sp.ttft_s, format_seconds)));
    if (sp.disk_s > 0) {
        out += fmt::format("| disk reads per token | {} |\n", format_seconds(sp.disk_s));
    }
    if (!sp.devices.empty()) {
        out += "\n| device | backend | bandwidth | compute | weights read per token | blocks |\n";
        out += "|---|---|---:|---:|---:|---:|\n";
        for (const auto& d : sp.devices) {
            out += fmt::format(
                "| {} | {} | {} | {} | {} | {} |\n", d.device_id, backend_class_name(d.backend),
                d.bandwidth_gbps > 0
                    ? format_number(d.bandwidth_gbps, 1) + " GB/s" +
                          (d.bandwidth_kind == BandwidthKind::measured ? " (measured)" : "")
                    : "unknown",
                d.compute_tflops ? format_number(*d.compute_tflops, 1) + " TFLOPS" : "unknown",
                format_bytes(static_cast<std::uint64_t>(d.weight_bytes)), d.layers);
        }
    }
    out += "\n";
    if (sp.concurrency.empty()) {
        if (!sp.concurrency_note.empty()) {
            out += "Concurrency: " + sp.concurrency_note + ".\n\n";
        }
        return;
    }
    out += fmt::format("### Concurrency (at {:.0f} tokens of context per stream)\n\n",
                       sp.short_context_tokens);
    out += "| streams | aggregate | per stream | TPOT | bound by |\n|---:|---:|---:|---:|---|\n";
    for (const auto& row : sp.concurrency) {
        out += fmt::format("| {} | {} | {} | {} | {} |\n", row.streams,
                           format_rate(row.aggregate_tokens_per_s),
                           format_rate(row.per_stream_tokens_per_s), format_seconds(row.tpot_s),
                           row.compute_bound ? "compute" : "memory");
    }
    out += fmt::format("\nMost sequences of {} tokens the memory holds: {}. Knee: {}.",
                       e.settings.context_tokens, e.memory.max_sequences,
                       sp.knee_streams ? fmt::format("{} streams", *sp.knee_streams)
                                       : std::string("none within the table"));
    if (!sp.concurrency_note.empty()) {
        std::string note = sp.concurrency_note;
        note[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(note[0])));
        out += " " + note + ".";
    }
    out += "\n\n";
}

void alternatives_section(const FitReport& report, std::string& out) {
    if (report.result.verdict != FitVerdict::does_not_fit) {
        return;
    }
    out += "## Alternatives that fit\n\n";
    if (report.alternatives.empty()) {
        out += "None found: no lower-bit quantization, shorter context, smaller KV cache, "
               "smaller model of the family or SSD streaming fits this hardware.\n\n";
        return;
    }
    out += "| kind | change | placement | memory | decode at 512 tokens | command |\n";
    out += "|---|---|---|---:|---:|---|\n";
    for (const auto& alt : report.alternatives) {
        const FitEvaluation& e = alt.evaluation;
        const FitFigure& decode = e.speed.decode_short_tokens_per_s;
        out += fmt::format("| {} | {} | {} | {} | {} | `{}` |\n", alt.kind, table_cell(alt.change),
                           to_string(e.memory.plan.strategy), format_bytes(e.memory.total_bytes),
                           decode.value ? format_rate(*decode.value)
                                        : table_cell("unknown: " + decode.unknown_reason),
                           table_cell(join(e.memory.command, " ")));
    }
    out += "\n";
}

} // namespace

std::string render_fit_markdown(const FitReport& report, const HardwareProfile& profile) {
    const FitEvaluation& e = report.result;
    std::string out = fmt::format("# Fit: {} {} on {}\n\n", e.settings.model->id,
                                  e.settings.quantization, hardware_name(profile));
    out += "**Verdict: " + verdict_line(e) + "**\n\n";
    request_section(e, profile, out);
    memory_section(e, out);
    speed_section(e, out);
    alternatives_section(report, out);
    if (!e.notes.empty()) {
        out += "## Notes\n\n";
        for (const auto& note : e.notes) {
            out += "- " + note + "\n";
        }
        out += "\n";
    }
    out += "How computed: " + how_computed_text() + ".\n";
    return out;
}

} // namespace edgeplan
