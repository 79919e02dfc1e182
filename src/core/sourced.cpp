#include <edgeplan/core/sourced.hpp>

#include <array>
#include <utility>

namespace edgeplan {

namespace {

constexpr std::array<std::pair<Source, std::string_view>, 13> source_names{{
    {Source::unknown, "unknown"},
    {Source::hwloc, "hwloc"},
    {Source::procfs, "procfs"},
    {Source::sysfs, "sysfs"},
    {Source::cpuid, "cpuid"},
    {Source::nvml, "nvml"},
    {Source::os, "os"},
    {Source::xml, "xml"},
    {Source::profile, "profile"},
    {Source::preset, "preset"},
    {Source::inferred, "inferred"},
    {Source::user, "user"},
    {Source::measured, "measured"},
}};

} // namespace

std::string_view source_name(Source source) {
    for (const auto& [value, name] : source_names) {
        if (value == source) {
            return name;
        }
    }
    return "unknown";
}

std::optional<Source> parse_source(std::string_view name) {
    for (const auto& [value, known] : source_names) {
        if (known == name) {
            return value;
        }
    }
    return std::nullopt;
}

} // namespace edgeplan
