#pragma once

// Running the real planner in a unit test: the embedded catalogue, a catalogue target preset
// turned into a hardware profile the way `--target` does it, and a plan for a request.
// Shared by the planner and report tests that need the planner's own output rather than
// hand-built plans (those are in report_plan_fixtures.hpp).

#include "cli/target_profile.hpp"

#include <edgeplan/catalog/catalog.hpp>
#include <edgeplan/planner/planner.hpp>

#include <catch2/catch.hpp>

#include <string>

namespace plan_fixtures {

using namespace edgeplan;

/// The embedded catalogue, loaded once.
inline const Catalog& catalog() {
    static const Catalog loaded = *load_catalog(CatalogSource::embedded());
    return loaded;
}

/// The profile `--target ID` gives (target preset with no overrides).
inline HardwareProfile target(const std::string& id) {
    cli::TargetOverrides overrides;
    std::string hint;
    auto profile = cli::target_profile(catalog(), id, overrides, hint);
    REQUIRE(profile);
    return *profile;
}

/// plan_deployment on a target preset; the test fails if the planner returns an error.
inline Plan plan_on(const std::string& target_id, const PlanRequest& request) {
    auto plan = plan_deployment(request, target(target_id), catalog());
    REQUIRE(plan);
    return *plan;
}

/// "subject: detail" of every firing of `rule` with `outcome`, one per line.
inline std::string fired_details(const Plan& plan, const std::string& rule,
                                 const std::string& outcome) {
    std::string out;
    for (const auto& f : plan.trace) {
        if (f.rule_id == rule && f.outcome == outcome) {
            out += f.subject + ": " + f.detail + "\n";
        }
    }
    return out;
}

inline bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

} // namespace plan_fixtures
