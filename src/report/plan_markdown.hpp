#pragma once

// The Markdown renderer's sections, one function each, split over three files by size.

#include <edgeplan/core/catalog.hpp>
#include <edgeplan/core/plan.hpp>

#include <string>

namespace edgeplan::report_detail {

std::string markdown_recommendation(const Plan& plan, const Catalog& catalog); ///< section 2
std::string markdown_stack(const Plan& plan, const Catalog& catalog);          ///< section 3
std::string markdown_deployment(const Plan& plan, const Catalog& catalog);     ///< section 4
std::string markdown_performance(const Plan& plan);                            ///< section 5
std::string markdown_risks(const Plan& plan);                                  ///< section 6
std::string markdown_verification(const Plan& plan);                           ///< section 7

/// "## N. Title\n\n".
std::string section_heading(int number);
/// "### N.k Title\n\n- line\n..." for each note, numbered from `first`.
std::string markdown_notes(int section, int first, const std::vector<const PlanNote*>& notes);

} // namespace edgeplan::report_detail
