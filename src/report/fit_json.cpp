// `edgeplan fit --format json`: the Markdown report's content as data
// (data/schema/fit.schema.json). Unknown figures are null with their reason.
#include "fit_format.hpp"

#include <edgeplan/estimate/calibration.hpp>
#include <edgeplan/estimate/weights.hpp>
#include <edgeplan/report/fit_report.hpp>

namespace edgeplan {

namespace {

using nlohmann::json;
using namespace report_detail;

json figure(const FitFigure& f) {
    return {{"value", f.value ? json(*f.value) : json(nullptr)},
            {"unknown_reason", f.value ? json(nullptr) : json(f.unknown_reason)}};
}

json request_json(const FitSettings& s, const HardwareProfile& profile) {
    return {{"model", s.model->id},
            {"quantization", s.quantization},
            {"quantization_kind", s.file != nullptr     ? "gguf-file"
                                  : s.preset != nullptr ? "gguf-preset"
                                                        : "weight-format"},
            {"model_file", s.file != nullptr ? json(s.file->path) : json(nullptr)},
            {"engine", std::string(fit_engine_id(s.engine))},
            {"context_tokens", s.context_tokens},
            {"kv_cache_type", s.kv_type},
            {"flash_attention", s.flash_attention == FlashAttention::on},
            {"concurrency", s.concurrency},
            {"prompt_tokens", s.prompt_tokens},
            {"hardware", {{"method", profile.origin.method}, {"name", profile.origin.name}}},
            {"defaults", s.defaults}};
}

json memory_json(const FitMemory& m) {
    json devices = json::array();
    for (const auto& d : m.plan.devices) {
        devices.push_back({{"device", d.device},
                           {"kind", d.kind == MemoryDeviceKind::gpu      ? "gpu"
                                    : d.kind == MemoryDeviceKind::system ? "system"
                                                                         : "disk"},
                           {"weights_bytes", d.weights_bytes},
                           {"kv_bytes", d.kv_bytes},
                           {"compute_bytes", d.compute_bytes},
                           {"overhead_bytes", d.overhead_bytes},
                           {"total_bytes", d.total_bytes()},
                           {"usable_bytes", d.usable_bytes},
                           {"margin_bytes", d.margin_bytes()},
                           {"fits", d.fits()}});
    }
    json vllm = nullptr;
    if (m.vllm) {
        vllm = {{"kv_bytes", m.vllm->kv_bytes},
                {"num_blocks", m.vllm->num_blocks},
                {"max_tokens", m.vllm->max_tokens},
                {"max_concurrent_sequences", m.vllm->max_concurrent_sequences}};
    }
    return {{"strategy", to_string(m.plan.strategy)},
            {"weights_bytes", m.weight_bytes},
            {"weight_parameters", m.weight_parameters},
            {"kv_bytes", m.kv_bytes},
            {"kv_bytes_per_token", m.kv_bytes_per_token},
            {"total_bytes", m.total_bytes},
            {"max_sequences", m.max_sequences},
            {"devices", devices},
            {"placement",
             {{"summary", placement_summary(m)},
              {"gpu_layers", m.plan.gpu_layers},
              {"cpu_moe_layers", m.plan.cpu_moe_layers},
              {"input_embedding_device", m.plan.input_embedding_device},
              {"output_device", m.plan.output_device},
              {"streamed_bytes", m.plan.streamed_bytes}}},
            {"command", m.command},
            {"vllm", vllm}};
}

json speed_json(const FitSpeed& sp) {
    json devices = json::array();
    for (const auto& d : sp.devices) {
        devices.push_back(
            {{"device", d.device_id},
             {"backend", std::string(backend_class_name(d.backend))},
             {"bandwidth_gbps", d.bandwidth_gbps > 0 ? json(d.bandwidth_gbps) : json(nullptr)},
             {"bandwidth_kind", d.bandwidth_kind == BandwidthKind::measured ? "measured" : "peak"},
             {"compute_tflops", d.compute_tflops ? json(*d.compute_tflops) : json(nullptr)},
             {"weight_bytes_per_token", d.weight_bytes},
             {"kv_bytes_per_context_token", d.kv_bytes_per_context_token},
             {"layers", d.layers}});
    }
    json rows = json::array();
    for (const auto& r : sp.concurrency) {
        rows.push_back({{"streams", r.streams},
                        {"aggregate_tokens_per_s", r.aggregate_tokens_per_s},
                        {"per_stream_tokens_per_s", r.per_stream_tokens_per_s},
                        {"tpot_s", r.tpot_s},
                        {"compute_bound", r.compute_bound}});
    }
    return {{"short_context_tokens", sp.short_context_tokens},
            {"full_context_tokens", sp.full_context_tokens},
            {"decode_short_tokens_per_s", figure(sp.decode_short_tokens_per_s)},
            {"decode_full_tokens_per_s", figure(sp.decode_full_tokens_per_s)},
            {"prefill_tokens_per_s", figure(sp.prefill_tokens_per_s)},
            {"ttft_s", figure(sp.ttft_s)},
            {"disk_s_per_token", sp.disk_s},
            {"devices", devices},
            {"concurrency",
             {{"rows", rows},
              {"knee_streams", sp.knee_streams ? json(*sp.knee_streams) : json(nullptr)},
              {"note", sp.concurrency_note}}}};
}

json shortfall_json(const FitEvaluation& e) {
    json out = json::array();
    for (const auto& s : e.shortfall) {
        out.push_back({{"device", s.device},
                       {"needed_bytes", s.needed_bytes},
                       {"usable_bytes", s.usable_bytes},
                       {"missing_bytes", s.missing_bytes()}});
    }
    return out;
}

} // namespace

nlohmann::json fit_to_json(const FitReport& report, const HardwareProfile& profile) {
    const FitEvaluation& e = report.result;
    json alternatives = json::array();
    for (const auto& alt : report.alternatives) {
        const FitEvaluation& a = alt.evaluation;
        alternatives.push_back({{"kind", alt.kind},
                                {"change", alt.change},
                                {"request", request_json(a.settings, profile)},
                                {"verdict", std::string(to_string(a.verdict))},
                                {"strategy", to_string(a.memory.plan.strategy)},
                                {"total_bytes", a.memory.total_bytes},
                                {"decode_short_tokens_per_s", figure(a.speed.decode_short_tokens_per_s)},
                                {"command", a.memory.command}});
    }
    return {{"schema_version", fit_schema_version},
            {"kind", "edgeplan.fit"},
            {"request", request_json(e.settings, profile)},
            {"verdict", std::string(to_string(e.verdict))},
            {"verdict_text", verdict_line(e)},
            {"shortfall", shortfall_json(e)},
            {"memory", memory_json(e.memory)},
            {"speed", speed_json(e.speed)},
            {"alternatives", alternatives},
            {"notes", e.notes},
            {"how_computed", how_computed_text()}};
}

} // namespace edgeplan
