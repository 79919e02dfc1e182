#include "target_profile.hpp"

#include "catalog_command.hpp"

#include <edgeplan/catalog/catalog.hpp>
#include <edgeplan/core/profile_json.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace edgeplan::cli {

namespace {

using nlohmann::json;

constexpr double bytes_per_gib = 1024.0 * 1024.0 * 1024.0;

bool is_sourced(const json& node) {
    return node.is_object() && node.size() == 2 && node.contains("value") &&
           node.contains("source");
}

/// Sets the field at `pointer`: a sourced field gets the value and source "user"; a plain
/// field is replaced. The field must exist (every preset is a complete profile), so a typo
/// in the pointer is an error rather than a silently ignored new key.
Status assign(json& document, const std::string& pointer, const json& value) {
    json::json_pointer where;
    try {
        where = json::json_pointer(pointer);
    } catch (const json::exception&) {
        return make_error(ExitCode::usage, "--set " + pointer,
                          "not a JSON pointer (it starts with '/', e.g. /memory/bandwidth_gbps)");
    }
    if (pointer.empty() || !document.contains(where)) {
        return make_error(ExitCode::usage, "--set " + pointer,
                          "no such field in the target's profile");
    }
    json& node = document[where];
    if (is_sourced(node)) {
        node["value"] = value;
        node["source"] = "user";
    } else if (where.back() == "value" && is_sourced(document[where.parent_pointer()])) {
        node = value;
        document[where.parent_pointer()]["source"] = "user";
    } else {
        node = value;
    }
    return Done{};
}

Status apply_assignment(json& document, const std::string& assignment) {
    const auto equals = assignment.find('=');
    if (equals == std::string::npos) {
        return make_error(ExitCode::usage, "--set " + assignment, "expected POINTER=VALUE");
    }
    const std::string pointer = assignment.substr(0, equals);
    const std::string text = assignment.substr(equals + 1);
    // A JSON value; text that is not JSON is taken as a string, so --set /cpu/model=M4 works.
    json value = json::parse(text, nullptr, false);
    if (value.is_discarded()) {
        value = text;
    }
    return assign(document, pointer, value);
}

std::string gib_list(const std::vector<std::uint64_t>& options) {
    std::string out;
    for (auto bytes : options) {
        out += (out.empty() ? "" : ", ") +
               fmt::format("{:g}", static_cast<double>(bytes) / bytes_per_gib);
    }
    return out;
}

} // namespace

Result<HardwareProfile> target_profile(const Catalog& catalog, const std::string& target_id,
                                       const TargetOverrides& overrides, std::string& hint) {
    const Target* target = catalog.find_target(target_id);
    if (target == nullptr) {
        std::vector<std::string> ids;
        for (const auto& t : catalog.targets) {
            ids.push_back(t.id);
        }
        hint = did_you_mean(target_id, ids, "run 'edgeplan catalog list targets' to see every target");
        return make_error(ExitCode::usage, "--target", "unknown target '" + target_id + "'");
    }
    // The full form ({"value", "source"} on every field) whatever the preset file wrote, so
    // an override can always mark its field "user", including fields the preset leaves unknown.
    json document = json::parse(profile_to_json(target->profile).dump());
    std::optional<Diagnostic> memory_note;
    if (overrides.memory_gib) {
        const auto bytes =
            static_cast<std::uint64_t>(std::llround(*overrides.memory_gib * bytes_per_gib));
        document["memory"]["total_bytes"] = {{"value", bytes}, {"source", "user"}};
        const auto& options = target->memory_options_bytes;
        if (std::find(options.begin(), options.end(), bytes) == options.end()) {
            memory_note =
                Diagnostic{"warning", "memory.total_bytes",
                           fmt::format("{:g} GiB is not a size {} is sold with ({} GiB)",
                                       *overrides.memory_gib, target->id, gib_list(options))};
        }
    }
    for (const auto& assignment : overrides.assignments) {
        if (auto applied = apply_assignment(document, assignment); !applied) {
            return applied.error();
        }
    }
    auto profile = profile_from_json(document, target->id, PlainValueSource::preset);
    if (!profile) {
        // The strict reader names the field; the user typed a --set or --memory-gb.
        const Error& error = profile.error();
        return make_error(ExitCode::usage, overrides.assignments.empty() ? "--memory-gb" : "--set",
                          error.where + ": " + error.message);
    }
    if (memory_note) {
        profile->diagnostics.push_back(*memory_note);
    }
    return profile;
}

} // namespace edgeplan::cli
