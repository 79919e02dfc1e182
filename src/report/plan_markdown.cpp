// Plan -> Markdown: title, verdict, request, then the seven sections in order.

#include "plan_markdown.hpp"

#include "format.hpp"
#include "plan_format.hpp"
#include "plan_sections.hpp"
#include "plan_embedding.hpp"
#include "plan_speech.hpp"
#include "plan_tts.hpp"

#include <edgeplan/report/audit_report.hpp>
#include <edgeplan/report/plan_report.hpp>

#include <fmt/format.h>

namespace edgeplan {

using namespace report_detail;

const std::array<std::string_view, 7>& plan_section_titles() {
    static const std::array<std::string_view, 7> titles = {
        "Hardware Audit",         "Model Recommendation", "Stack Architecture", "Deployment Config",
        "Performance Projection", "Risk Register",        "Verification Steps"};
    return titles;
}

namespace report_detail {

std::string section_heading(int number) {
    return fmt::format("## {}. {}\n\n", number,
                       plan_section_titles().at(static_cast<std::size_t>(number - 1)));
}

std::string markdown_notes(int section, int first, const std::vector<const PlanNote*>& notes) {
    std::string out;
    int index = first;
    for (const PlanNote* note : notes) {
        out += fmt::format("\n### {}.{} {}\n\n", section, index++, note->title);
        for (const auto& line : note->lines) {
            out += "- " + line + "\n";
        }
        for (const NoteFile& file : note->files) {
            out += fmt::format("\n`{}`:\n\n```{}\n{}```\n", file.path, file.language,
                               file.content);
        }
    }
    return out;
}

namespace {

std::string candidate_row(const Candidate& c, const Catalog& catalog, bool embedding) {
    return fmt::format(
        "| `{}` | {} | {} | {} | {} | {} | {} |", c.model_id, c.quantization,
        engine_name(catalog, c.engine_id), c.fits ? "yes" : "no", gib(c.resident_bytes()),
        table_rate(c, embedding),
        c.quality ? fmt::format("{:.1f}", *c.quality) : std::string("unknown"));
}

std::string chosen_summary(const Plan& plan, const Catalog& catalog) {
    const Candidate& c = *plan.chosen;
    const auto& s = c.settings;
    std::string out =
        fmt::format("**{}** (`{}`), quantized **{}**, on {}; placement: {}.\n\n", c.model_name,
                    c.model_id, s.quantization, engine_name(catalog, s.engine_id), c.placement);
    out += "| Item | Value |\n|---|---|\n";
    const std::string params = parameter_count(c.parameters);
    out += fmt::format("| Model | `{}`: {}{} |\n", c.model_id, table_cell(c.model_name),
                       params.empty() ? "" : ", " + params + " parameters");
    out += fmt::format("| Quantized variant | {} ({}) |\n", s.quantization, s.weights_format);
    out += "| Artifact to fetch | " + table_cell(artifact_text(s)) + " |\n";
    out += "| Engine | " + table_cell(engine_name(catalog, s.engine_id)) + " |\n";
    out += "| Placement | " + table_cell(c.placement) + " |\n";
    out += "\n### 2.1 Justification\n\n";
    for (const auto& item : justification(plan, c)) {
        out += "- **" + item.topic + "**: " + item.text + "\n";
    }
    return out;
}

} // namespace

std::string markdown_recommendation(const Plan& plan, const Catalog& catalog) {
    std::string out = section_heading(2);
    int sub = 1;
    if (plan.chosen) {
        out += chosen_summary(plan, catalog);
        ++sub;
    }
    if (!plan.approved) {
        out += fmt::format("\n### 2.{} FLAG: {}\n\n", sub++,
                           plan.chosen          ? "not approved"
                           : plan.task_unserved ? "no modelled engine serves the task"
                                                : "nothing fits");
        out += verdict_line(plan) + "\n";
        out += fmt::format("\n### 2.{} Alternatives\n\n", sub++);
        if (plan.task_unserved) {
            out += "None searched: memory is not what is missing. The task's models run on "
                   "runtimes outside the estimator (see the verdict and `edgeplan catalog show "
                   "<model>`).\n";
        } else if (plan.alternatives.empty()) {
            out += "No alternative in the catalogue fits this hardware.\n";
        } else {
            out += "| Change | Model | Quant | Engine | Memory | Fits | " +
                   table_rate_header(plan.alternatives, is_embedding(plan)) +
                   " |\n"
                   "|---|---|---|---|---|---|---|\n";
            for (const auto& a : plan.alternatives) {
                out += fmt::format("| {} | `{}` | {} | {} | {} | {} | {} |\n",
                                   table_cell(a.change.value_or(a.placement)), a.model_id,
                                   a.quantization, engine_name(catalog, a.engine_id),
                                   gib(a.resident_bytes()), a.fits ? "yes" : "no",
                                   table_rate(a, is_embedding(plan)));
            }
        }
    }
    out += fmt::format("\n### 2.{} Runner-ups\n\n", sub++);
    if (plan.runner_ups.empty()) {
        out += "None: no other candidate passed the filters.\n";
    } else {
        out += "| Model | Quant | Engine | Fits | Memory | " + table_rate_header(plan.runner_ups, is_embedding(plan)) +
               " | Quality | Why it lost |\n"
               "|---|---|---|---|---|---|---|---|\n";
        for (const auto& r : plan.runner_ups) {
            out +=
                candidate_row(r, catalog, is_embedding(plan)) + " " + table_cell(join(r.lost_because, "; ")) + " |\n";
        }
    }
    out +=
        fmt::format("\n### 2.{} Decision trace: why this, and why not the runner-ups\n\n", sub++);
    if (plan.trace.empty()) {
        out += "No rule firings recorded.\n";
    } else {
        out += "| Rule | Outcome | Subject | Detail |\n|---|---|---|---|\n";
        for (const auto& f : plan.trace) {
            out += fmt::format("| {} | {} | {} | {} |\n", table_cell(f.rule_id),
                               table_cell(f.outcome), table_cell(f.subject), table_cell(f.detail));
        }
    }
    return out;
}

} // namespace report_detail

std::string render_plan_markdown(const Plan& plan, const Catalog& catalog) {
    std::string out = "# edgeplan deployment plan\n\n";
    out += "**Verdict: " + verdict_line(plan) + "**\n\n";
    out += "Request: " +
           (plan.chosen && is_tts(*plan.chosen)
                ? tts_request_summary(plan.request)
                : request_summary(plan.request, plan.chosen && is_speech(*plan.chosen))) +
           ".\n\n";
    out += render_audit_markdown(plan.hardware, 2);
    out += "\n" + markdown_recommendation(plan, catalog);
    out += "\n" + markdown_stack(plan, catalog);
    out += "\n" + markdown_deployment(plan, catalog);
    out += "\n" + markdown_performance(plan);
    out += "\n" + markdown_risks(plan);
    out += "\n" + markdown_verification(plan);
    return out;
}

} // namespace edgeplan
