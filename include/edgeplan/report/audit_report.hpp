#pragma once

#include <edgeplan/core/hardware_profile.hpp>

#include <string>

namespace edgeplan {

/// The "Hardware Audit" section as it appears in a plan (section 1), in Markdown: a table
/// of specs with the source of each value, then the constraints a planner must respect.
/// `heading_level` 1 gives "# Hardware Audit" (standalone audit), 2 gives "## 1. ...".
std::string render_audit_markdown(const HardwareProfile& profile, int heading_level);

} // namespace edgeplan
