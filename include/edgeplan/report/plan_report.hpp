#pragma once

// The seven-section plan report: Plan -> Markdown and Plan -> JSON. Both renderers walk the
// same plan with the same shared pieces (verdict, justification, stack diagram, deployment
// files), so the two formats carry the same content in the same order. Rendering computes
// nothing new about the deployment: every figure comes from the Plan.

#include <edgeplan/core/catalog.hpp>
#include <edgeplan/core/plan.hpp>

#include <nlohmann/json.hpp>

#include <array>
#include <string>
#include <string_view>

namespace edgeplan {

/// Titles of the seven sections, in report order ("Hardware Audit" ... "Verification Steps").
const std::array<std::string_view, 7>& plan_section_titles();

/// The plan as Markdown: a title, a one-line verdict ("APPROVED" / "NOT APPROVED: reason"),
/// a one-line request summary, then "## 1. Hardware Audit" ... "## 7. Verification Steps".
/// Plan notes become subsections: a hybrid cloud-edge note goes in section 3 (and only when
/// the request keeps no data local), every other note (security at rest, lifecycle...) in
/// section 4. The text holds no clock time, host name or absolute path.
/// `catalog` supplies engine names, versions, flags and ports; unknown ids render as ids.
std::string render_plan_markdown(const Plan& plan, const Catalog& catalog);

/// The same content as a JSON document (data/schema/plan.schema.json):
/// {"schema_version", "kind": "edgeplan.plan", "verdict", "request", "sections": [7 objects]}.
/// Sizes are integer bytes, rates numbers per second, unknown figures null.
nlohmann::ordered_json render_plan_json(const Plan& plan, const Catalog& catalog);

} // namespace edgeplan
