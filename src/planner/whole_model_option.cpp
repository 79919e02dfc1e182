// Shared by speech_route.cpp, embedding_route.cpp and tts_route.cpp (see the header).
#include "whole_model_option.hpp"

#include "section_text.hpp"

#include <algorithm>

namespace edgeplan::planner_detail {

const Engine* whole_model_engine(const PlanRequest& request, const PlatformFacts& facts,
                                 const Catalog& catalog, Plan& plan, std::string_view task,
                                 const std::string& engine_id) {
    if (request.task != task) {
        return nullptr;
    }
    const Engine* engine = catalog.find_engine(engine_id);
    if (engine == nullptr || (request.engine && *request.engine != engine_id)) {
        return nullptr;
    }
    if (request.keeps_data_local() && (engine->cloud_only || engine->telemetry != "none")) {
        fire(plan, "P1-offline", "rejected", engine->id,
             "telemetry '" + engine->telemetry + "' in the catalogue");
        return nullptr;
    }
    if (std::find(engine->platforms.begin(), engine->platforms.end(), facts.os) ==
        engine->platforms.end()) {
        fire(plan, "E1-engine", "rejected", engine->id,
             engine->name + " does not run on " + facts.os);
        return nullptr;
    }
    return engine;
}

void require_real_time(Scored& s, double real_time_factor, double seconds_per_minute,
                       const std::string& what) {
    if (real_time_factor <= 1.0) {
        return;
    }
    s.meets_user_targets = false;
    s.misses.push_back("S1: slower than real time (60 s of " + what + " take " +
                       number_text(seconds_per_minute) + " s, real-time factor " +
                       number_text(real_time_factor) + ")");
}

Scored whole_model_scored(const WholeModelChoice& choice, const PlanRequest& request,
                          const Catalog& catalog) {
    const Model& model = *choice.model;
    const TaskQuality tq = task_quality(model, request.task, catalog);
    Scored s;
    Option& o = s.option;
    o.model = &model;
    o.engine = choice.engine;
    o.quantization = choice.quantization;
    o.weights_format = choice.weights_format;
    o.artifact = choice.artifact;
    o.artifact_has_quant = choice.artifact_has_quant;
    o.context_tokens = choice.context_tokens;
    o.retention = quantization_retention(choice.quantization, catalog);
    o.quality = tq.score * o.retention.retention;
    o.quality_estimated = tq.estimated;
    o.quality_basis = tq.basis + "; x " + o.retention.basis + " = " + number_text(o.quality);

    Candidate& c = s.candidate;
    c.model_id = model.id;
    c.model_name = model.name;
    c.quantization = choice.quantization;
    c.engine_id = choice.engine->id;
    c.placement = choice.gpu ? "full GPU" : "CPU only";
    c.parameters = model.parameters_total.value_or(0);
    c.memory = choice.route->memory;
    c.fits = choice.route->fits;
    c.quality = o.quality;
    c.quality_basis = o.quality_basis;
    return s;
}

} // namespace edgeplan::planner_detail
