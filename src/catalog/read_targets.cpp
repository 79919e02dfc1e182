// data/targets/*.json: {"targets": [...]}, each a complete hardware profile read by the same
// strict reader as `audit --hardware`, with plain values credited to "preset".
#include "reader_support.hpp"

#include <edgeplan/core/profile_json.hpp>

#include <algorithm>

namespace edgeplan::catalog_detail {

namespace {

// data/schema/target.schema.json "class".
const char* const target_classes[] = {"laptop", "desktop", "workstation", "server",
                                      "sbc",    "phone",   "handheld",    "dev-kit"};

void read_memory_options(JsonReader& r, const json& node, const std::string& p, Target& out) {
    each_item(r, node, "memory_options_bytes", p, true,
              [&](const json& item, const std::string& ip) {
                  if (item.is_number_unsigned()) {
                      if (item.get<std::uint64_t>() == 0) {
                          r.problem(ip, "a memory size is positive");
                      } else {
                          out.memory_options_bytes.push_back(item.get<std::uint64_t>());
                      }
                  } else if (item.is_number_integer()) {
                      r.problem(ip, "a memory size is positive, found " + item.dump());
                  } else {
                      r.problem(ip, "expected an integer number of bytes");
                  }
              });
    const auto& options = out.memory_options_bytes;
    if (!std::is_sorted(options.begin(), options.end()) ||
        std::adjacent_find(options.begin(), options.end()) != options.end()) {
        r.problem(at(p, "memory_options_bytes"), "memory options must be ascending and distinct");
    }
}

void read_target(JsonReader& r, const json& node, const std::string& p, Target& out) {
    out.document = node;
    if (!r.object(node, p, {"id", "name", "class", "memory_options_bytes", "profile", "notes"})) {
        return;
    }
    out.id = read_id(r, node, p);
    r.string(node, "name", p, out.name, true);
    if (r.string(node, "class", p, out.target_class, true) &&
        std::none_of(std::begin(target_classes), std::end(target_classes),
                     [&](const char* name) { return out.target_class == name; })) {
        r.problem(at(p, "class"), "unknown target class \"" + out.target_class + "\"");
    }
    read_memory_options(r, node, p, out);
    r.optional_string(node, "notes", p, out.notes);
    auto profile = node.find("profile");
    if (profile == node.end()) {
        r.problem(at(p, "profile"), "required key is missing");
        return;
    }
    const std::string pp = at(p, "profile");
    std::vector<std::pair<std::string, std::string>> problems;
    out.profile_document = *profile;
    out.profile = profile_from_json_collect(*profile, PlainValueSource::preset, problems);
    for (const auto& [pointer, message] : problems) {
        r.problem(pointer == "/" ? pp : pp + pointer, message);
    }
    if (!problems.empty()) {
        return;
    }
    if (out.profile.origin.method != "preset") {
        r.problem(pp + "/origin/method", "a target's profile has origin method \"preset\"");
    }
    if (out.profile.origin.name != out.id) {
        r.problem(pp + "/origin/name", "must equal the target id \"" + out.id + "\"");
    }
    const auto& total = out.profile.memory.total_bytes.value;
    const auto& options = out.memory_options_bytes;
    if (!total) {
        r.problem(pp + "/memory/total_bytes", "a target states its default memory size");
    } else if (std::find(options.begin(), options.end(), *total) == options.end()) {
        r.problem(pp + "/memory/total_bytes", "not one of memory_options_bytes");
    }
}

} // namespace

void read_targets_file(FileContext& context, const json& document) {
    JsonReader& r = context.reader;
    if (!r.object(document, "", {"targets"})) {
        return;
    }
    each_item(r, document, "targets", "", true, [&](const json& node, const std::string& p) {
        Target target;
        read_target(r, node, p, target);
        context.catalog.targets.push_back(std::move(target));
        context.locations.targets.push_back({context.file, p});
    });
}

} // namespace edgeplan::catalog_detail
