#pragma once

// The risk register's parts, one function per kind of risk; plan_risks (risks.cpp) calls
// them in report order. Each appends zero or more Risk entries.

#include <edgeplan/core/catalog.hpp>
#include <edgeplan/core/plan.hpp>
#include <edgeplan/planner/sections.hpp>

#include <optional>
#include <string>
#include <vector>

namespace edgeplan::planner_detail {

/// What every risk function reads.
struct RiskInputs {
    const PlanRequest& request;
    const HardwareProfile& profile;
    const Candidate& chosen;
    const Catalog& catalog;
    const Engine* engine; ///< nullptr: the engine id is not in the catalogue
    DevicePlatform platform;
};

/// A smaller KV-cache type the chosen engine accepts, and how it is switched on.
struct KvSwitch {
    std::string value;   ///< as the engine spells it: "q8_0", "fp8", "8"
    std::string setting; ///< "-ctk q8_0 -ctv q8_0", "--kv-cache-dtype fp8"...
    double ratio = 1;    ///< new bytes per element / current bytes per element
};
/// nullopt when the plan's KV type is already quantized or the engine has no smaller type.
std::optional<KvSwitch> smaller_kv_type(const Candidate& chosen, const Catalog& catalog);

/// The engine's setting for a context of `tokens` per sequence ("-c 16384 -np 2"...).
std::string context_setting(const Candidate& chosen, long long tokens);

void add_memory_risks(const RiskInputs& in, std::vector<Risk>& out);
void add_quantization_risk(const RiskInputs& in, std::vector<Risk>& out);
void add_engine_risk(const RiskInputs& in, std::vector<Risk>& out);
void add_thermal_risk(const RiskInputs& in, std::vector<Risk>& out);
void add_power_risk(const RiskInputs& in, std::vector<Risk>& out);
void add_storage_risk(const RiskInputs& in, std::vector<Risk>& out);
void add_accelerator_risk(const RiskInputs& in, std::vector<Risk>& out);
void add_port_risk(const RiskInputs& in, std::vector<Risk>& out);
void add_telemetry_risk(const RiskInputs& in, std::vector<Risk>& out);
/// Text-to-speech plans only: phonemizer and voice licences, long sentences, real time.
void add_tts_risks(const RiskInputs& in, std::vector<Risk>& out);

} // namespace edgeplan::planner_detail
