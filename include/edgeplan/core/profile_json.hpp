#pragma once

#include <edgeplan/core/hardware_profile.hpp>
#include <edgeplan/core/result.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

namespace edgeplan {

/// Serialises a profile as the versioned JSON document described by
/// data/schema/hardware-profile.schema.json. Every sourced field is written as
/// {"value": v-or-null, "source": "..."} so that reading it back loses nothing.
nlohmann::ordered_json profile_to_json(const HardwareProfile& profile);

/// Which source a plain (un-annotated) value in a document is credited to.
enum class PlainValueSource { profile, preset };

/// Reads and validates a profile document. Sourced fields may be written in full form or
/// as a plain value (credited to `plain_source`). Unknown keys, wrong types and impossible
/// values (negative sizes, more VRAM free than total, battery above 100 %) are errors
/// whose `where` is "<document_name>: <JSON pointer>".
Result<HardwareProfile> profile_from_json(const nlohmann::json& document,
                                          const std::string& document_name,
                                          PlainValueSource plain_source);

/// Like profile_from_json, but collects every problem as (JSON pointer, message) instead of
/// failing on the first; the profile is meaningful only when `problems` stays empty. Used by
/// the catalogue, which reports every problem of every target preset at once.
HardwareProfile profile_from_json_collect(const nlohmann::json& document,
                                          PlainValueSource plain_source,
                                          std::vector<std::pair<std::string, std::string>>& problems);

/// Parses text and then calls profile_from_json. Syntax errors name line and column.
Result<HardwareProfile> profile_from_text(const std::string& text, const std::string& document_name,
                                          PlainValueSource plain_source);

} // namespace edgeplan
