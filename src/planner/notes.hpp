#pragma once

// The lifecycle notes written only on request: the AC-power / thermal-idle schedule for
// background work and the federated-learning loop (notes_schedule.cpp).

#include <edgeplan/core/catalog.hpp>
#include <edgeplan/core/plan.hpp>

namespace edgeplan::planner_detail {

/// Scheduling batch work for AC power and a cool machine, with the unit or task text for the
/// profile's platform. A line holding '\n' is file text, shown verbatim.
PlanNote background_note(const PlanRequest& request, const HardwareProfile& profile,
                         const Candidate& chosen, const Catalog& catalog);

/// The federated-learning loop: local LoRA fine-tuning, only clipped and noised deltas leave,
/// by secure aggregation; never raw data. A request that keeps data local gets the local half
/// only.
PlanNote federated_note(const PlanRequest& request, const HardwareProfile& profile,
                        const Candidate& chosen, const Catalog& catalog);

} // namespace edgeplan::planner_detail
