// Plan -> JSON (data/schema/plan.schema.json): the Markdown's content in the same order,
// with integer bytes, numeric rates and null for unknown.

#include "audit_constraints.hpp"
#include "plan_embedding.hpp"
#include "plan_sections.hpp"

#include <edgeplan/core/profile_json.hpp>
#include <edgeplan/report/config_files.hpp>
#include <edgeplan/report/plan_report.hpp>

namespace edgeplan {

using nlohmann::ordered_json;
using namespace report_detail;

namespace {

template <typename T> ordered_json or_null(const std::optional<T>& value) {
    return value ? ordered_json(*value) : ordered_json(nullptr);
}

ordered_json request_json(const PlanRequest& r) {
    return {{"task", r.task},
            {"offline", r.offline},
            {"privacy", privacy_name(r.privacy)},
            {"context_tokens", or_null(r.context_tokens)},
            {"prompt_tokens", r.prompt_tokens},
            {"output_tokens", r.output_tokens},
            {"concurrency", r.concurrency},
            {"min_tokens_per_s", or_null(r.min_tokens_per_s)},
            {"max_ttft_ms", or_null(r.max_ttft_ms)},
            {"power", power_name(r.power)},
            {"prefer", preference_name(r.prefer)},
            {"engine", or_null(r.engine)},
            {"model", or_null(r.model)},
            {"quant", or_null(r.quant)},
            {"allow_cloud_fallback", r.allow_cloud_fallback},
            {"top", r.top},
            {"background", r.background},
            {"federated", r.federated},
            {"lora_adapters", r.lora_adapters}};
}

ordered_json device_json(const DeviceMemory& d) {
    return {{"device", d.device},
            {"description", d.description},
            {"weights_bytes", d.weights_bytes},
            {"kv_cache_bytes", d.kv_cache_bytes},
            {"compute_bytes", d.compute_bytes},
            {"overhead_bytes", d.overhead_bytes},
            {"total_bytes", d.total_bytes},
            {"usable_bytes", d.usable_bytes},
            {"margin_bytes", d.margin_bytes},
            {"fits", d.fits},
            {"counted_in_system", d.counted_in_system}};
}

ordered_json speed_json(const SpeedProjection& s) {
    ordered_json out = {{"decode_tokens_per_s_short", or_null(s.decode_tokens_per_s_short)},
            {"decode_tokens_per_s_full", or_null(s.decode_tokens_per_s_full)},
            {"short_context_tokens", s.short_context_tokens},
            {"prefill_tokens_per_s", or_null(s.prefill_tokens_per_s)},
            {"ttft_ms", or_null(s.ttft_ms)},
            {"tpot_ms", or_null(s.tpot_ms)},
            {"sustained_tokens_per_s", or_null(s.sustained_tokens_per_s)},
            {"joules_per_token", or_null(s.joules_per_token)},
            {"unknown_reason", or_null(s.unknown_reason)}};
    // Speech-to-text figures only where the plan has them (whisper.cpp).
    if (s.transcript_tokens_per_s) {
        out["transcript_tokens_per_s"] = *s.transcript_tokens_per_s;
        out["audio_encode_ms"] = or_null(s.audio_encode_ms);
        out["seconds_per_audio_minute"] = or_null(s.seconds_per_audio_minute);
        out["real_time_factor"] = or_null(s.real_time_factor);
        out["first_segment_ms"] = or_null(s.first_segment_ms);
        out["tokens_per_window"] = or_null(s.tokens_per_window);
    }
    // Text-to-speech figures only where the plan has them (sherpa-onnx).
    if (s.audio_speed_multiple) {
        out["audio_speed_multiple"] = *s.audio_speed_multiple;
        out["real_time_factor"] = or_null(s.real_time_factor);
        out["seconds_per_audio_minute"] = or_null(s.seconds_per_audio_minute);
        out["first_audio_ms"] = or_null(s.first_audio_ms);
        out["first_sentence_audio_s"] = or_null(s.first_sentence_audio_s);
    }
    return out;
}

ordered_json load_json(const std::vector<LoadPoint>& load) {
    ordered_json out = ordered_json::array();
    for (const auto& p : load) {
        out.push_back({{"streams", p.streams},
                       {"aggregate_tokens_per_s", p.aggregate_tokens_per_s},
                       {"per_stream_tokens_per_s", p.per_stream_tokens_per_s},
                       {"tpot_ms", p.tpot_ms},
                       {"ttft_ms", or_null(p.ttft_ms)}});
    }
    return out;
}

ordered_json settings_json(const DeploymentSettings& s) {
    ordered_json out = {{"engine_id", s.engine_id},
            {"backend", s.backend},
            {"weights_format", s.weights_format},
            {"quantization", s.quantization},
            {"artifact_repository", or_null(s.artifact_repository)},
            {"artifact_file", or_null(s.artifact_file)},
            {"local_file", or_null(s.local_file)},
            {"ollama_tag", or_null(s.ollama_tag)},
            {"context_tokens", s.context_tokens},
            {"gpu_layers", s.gpu_layers},
            {"total_layers", s.total_layers},
            {"cpu_moe_layers", s.cpu_moe_layers},
            {"kv_cache_type", s.kv_cache_type},
            {"flash_attention", s.flash_attention},
            {"threads", s.threads},
            {"batch_tokens", s.batch_tokens},
            {"ubatch_tokens", s.ubatch_tokens},
            {"parallel_slots", s.parallel_slots},
            {"host", s.host},
            {"port", s.port},
            {"mmap", s.mmap},
            {"ssd_streaming", s.ssd_streaming},
            {"gpu_memory_utilization", or_null(s.gpu_memory_utilization)},
            {"prefix_caching", s.prefix_caching},
            {"chunked_prefill", s.chunked_prefill},
            {"draft_model_id", or_null(s.draft_model_id)},
            {"draft_quantization", or_null(s.draft_quantization)},
            {"draft_tokens", s.draft_tokens},
            {"lora_adapters", s.lora_adapters}};
    if (s.npu_accelerator) { // NPU routes only (E1-npu): what their config writers need
        out["npu"] = {{"accelerator", *s.npu_accelerator},
                      {"target_chipset", or_null(s.target_chipset)},
                      {"compiled_context_tokens", or_null(s.compiled_context_tokens)},
                      {"prompt_chunk_tokens", or_null(s.prompt_chunk_tokens)}};
    }
    return out;
}

ordered_json candidate_json(const Candidate& c) {
    ordered_json memory = ordered_json::array();
    for (const auto& d : c.memory) {
        memory.push_back(device_json(d));
    }
    return {{"model_id", c.model_id},
            {"model_name", c.model_name},
            {"quantization", c.quantization},
            {"engine_id", c.engine_id},
            {"placement", c.placement},
            {"parameters", c.parameters > 0 ? ordered_json(c.parameters) : ordered_json(nullptr)},
            {"memory", memory},
            {"memory_in_use_bytes", c.resident_bytes()},
            {"speed", speed_json(c.speed)},
            {"load", load_json(c.load)},
            {"max_concurrent_sequences", c.max_concurrent_sequences},
            {"quality", or_null(c.quality)},
            {"quality_basis", c.quality_basis},
            {"score", c.score},
            {"fits", c.fits},
            {"lost_because", c.lost_because},
            {"change", or_null(c.change)},
            {"settings", settings_json(c.settings)}};
}

ordered_json candidates_json(const std::vector<Candidate>& candidates) {
    ordered_json out = ordered_json::array();
    for (const auto& c : candidates) {
        out.push_back(candidate_json(c));
    }
    return out;
}

ordered_json notes_json(const std::vector<const PlanNote*>& notes) {
    ordered_json out = ordered_json::array();
    for (const PlanNote* n : notes) {
        ordered_json files = ordered_json::array();
        for (const NoteFile& f : n->files) {
            files.push_back({{"path", f.path}, {"language", f.language}, {"content", f.content}});
        }
        out.push_back({{"title", n->title}, {"lines", n->lines}, {"files", files}});
    }
    return out;
}

ordered_json section(int number) {
    return {{"number", number},
            {"title", std::string(plan_section_titles().at(static_cast<std::size_t>(number - 1)))}};
}

ordered_json recommendation_json(const Plan& plan) {
    ordered_json out = section(2);
    out["chosen"] = plan.chosen ? candidate_json(*plan.chosen) : ordered_json(nullptr);
    out["artifact"] =
        plan.chosen ? ordered_json(artifact_text(plan.chosen->settings)) : ordered_json(nullptr);
    ordered_json why = ordered_json::array();
    if (plan.chosen) {
        for (const auto& item : justification(plan, *plan.chosen)) {
            why.push_back({{"topic", item.topic}, {"text", item.text}});
        }
    }
    out["justification"] = why;
    out["flagged"] = !plan.approved;
    out["alternatives"] = candidates_json(plan.alternatives);
    out["runner_ups"] = candidates_json(plan.runner_ups);
    ordered_json trace = ordered_json::array();
    for (const auto& f : plan.trace) {
        trace.push_back({{"rule_id", f.rule_id},
                         {"outcome", f.outcome},
                         {"subject", f.subject},
                         {"detail", f.detail}});
    }
    out["trace"] = trace;
    return out;
}

ordered_json stack_json(const Plan& plan, const Catalog& catalog) {
    ordered_json out = section(3);
    if (plan.chosen) {
        const auto& s = plan.chosen->settings;
        const Engine* engine = catalog.find_engine(s.engine_id);
        out["serving"] = {
            {"command",
             engine != nullptr ? or_null(engine->serving.command) : ordered_json(nullptr)},
            {"interface", engine != nullptr ? engine->serving.interface : std::string("unknown")},
            {"apis", engine != nullptr ? engine->serving.apis : std::vector<std::string>{}},
            {"host", s.host},
            {"port", s.port}};
        out["engine"] = {{"id", s.engine_id},
                         {"name", engine_name(catalog, s.engine_id)},
                         {"version_checked", engine != nullptr
                                                 ? ordered_json(engine_version(*engine))
                                                 : ordered_json(nullptr)}};
        out["backend"] = {{"id", s.backend}, {"description", backend_text(plan, s)}};
    } else {
        out["serving"] = nullptr;
        out["engine"] = nullptr;
        out["backend"] = nullptr;
    }
    const std::string diagram = stack_diagram(plan, catalog);
    out["diagram"] = diagram.empty() ? ordered_json(nullptr) : ordered_json(diagram);
    out["notes"] = notes_json(notes_in(plan, NotePlacement::stack_architecture));
    out["withheld_notes"] = notes_in(plan, NotePlacement::withheld).size();
    return out;
}

ordered_json deployment_json(const Plan& plan, const Catalog& catalog) {
    const DeploymentConfig config = deployment_config(plan, catalog);
    ordered_json out = section(4);
    out["engine_id"] =
        config.engine_id.empty() ? ordered_json(nullptr) : ordered_json(config.engine_id);
    out["host"] = config.host.empty() ? ordered_json(nullptr) : ordered_json(config.host);
    out["port"] = config.port != 0 ? ordered_json(config.port) : ordered_json(nullptr);
    ordered_json files = ordered_json::array();
    for (const auto& f : config.files) {
        files.push_back(
            {{"name", f.name}, {"language", f.language}, {"tool", f.tool}, {"content", f.content}});
    }
    out["files"] = files;
    out["notes"] = config.notes;
    out["subsections"] = notes_json(notes_in(plan, NotePlacement::deployment_config));
    return out;
}

ordered_json performance_json(const Plan& plan) {
    ordered_json out = section(5);
    out["available"] = plan.chosen.has_value();
    out["speed"] = plan.chosen ? speed_json(plan.chosen->speed) : ordered_json(nullptr);
    ordered_json memory = ordered_json::array();
    if (plan.chosen) {
        for (const auto& d : plan.chosen->memory) {
            memory.push_back(device_json(d));
        }
    }
    out["memory"] = memory;
    out["load"] = plan.chosen ? load_json(plan.chosen->load) : ordered_json::array();
    out["max_concurrent_sequences"] = plan.chosen ? plan.chosen->max_concurrent_sequences : 0;
    if (plan.chosen && is_embedding(plan)) {
        const EmbeddingFigures f = embedding_figures(plan, *plan.chosen);
        out["embedding"] = {{"input_tokens_per_s", or_null(f.input_tokens_per_s)},
                            {"request_tokens", f.request_tokens},
                            {"request_ms", or_null(f.request_ms)},
                            {"inputs_per_s", or_null(f.inputs_per_s)},
                            {"kv_cache", f.kv_cache}};
    }
    return out;
}

} // namespace

ordered_json render_plan_json(const Plan& plan, const Catalog& catalog) {
    ordered_json doc;
    doc["schema_version"] = plan_schema_version;
    doc["kind"] = "edgeplan.plan";
    doc["verdict"] = {
        {"approved", plan.approved}, {"label", verdict_label(plan)}, {"text", verdict_line(plan)}};
    doc["request"] = request_json(plan.request);
    ordered_json sections = ordered_json::array();
    ordered_json audit = section(1);
    audit["profile"] = profile_to_json(plan.hardware);
    audit["constraints"] = audit_constraints(plan.hardware);
    sections.push_back(audit);
    sections.push_back(recommendation_json(plan));
    sections.push_back(stack_json(plan, catalog));
    sections.push_back(deployment_json(plan, catalog));
    sections.push_back(performance_json(plan));
    ordered_json risks = section(6);
    risks["risks"] = ordered_json::array();
    for (const auto& r : plan.risks) {
        ordered_json risk = {{"id", r.id},
                             {"title", r.title},
                             {"likelihood", r.likelihood},
                             {"impact", r.impact},
                             {"mitigation", r.mitigation}};
        if (!r.detail.empty()) {
            risk["detail"] = r.detail;
        }
        risks["risks"].push_back(std::move(risk));
    }
    sections.push_back(risks);
    ordered_json steps = section(7);
    steps["steps"] = ordered_json::array();
    int number = 1;
    for (const auto& v : plan.verification) {
        steps["steps"].push_back({{"number", number++},
                                  {"purpose", v.purpose},
                                  {"command", v.command},
                                  {"expect", v.expect}});
    }
    sections.push_back(steps);
    doc["sections"] = sections;
    return doc;
}

} // namespace edgeplan
