// Shared by speech_route.cpp, embedding_route.cpp and tts_route.cpp (see the header).
#include "whole_model_option.hpp"

#include "section_text.hpp"

namespace edgeplan::planner_detail {

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
