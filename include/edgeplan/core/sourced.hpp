#pragma once

#include <optional>
#include <string_view>
#include <utility>

namespace edgeplan {

/// Where a probed or loaded value came from. Shown beside every value in the audit so a
/// user can tell a measurement from an inference.
enum class Source {
    unknown,  ///< nothing could tell; the value is absent
    hwloc,    ///< live hwloc discovery on this machine
    procfs,   ///< /proc on this machine
    sysfs,    ///< /sys on this machine
    cpuid,    ///< the CPUID instruction on this machine
    nvml,     ///< NVIDIA's management library, loaded at run time
    os,       ///< an OS call (uname, statvfs, sysctl, IOKit)
    xml,      ///< an hwloc XML topology file
    profile,  ///< a saved JSON profile that gave a plain value
    preset,   ///< a catalogue target preset
    inferred, ///< derived by edgeplan from other fields (a table or a formula)
    user,     ///< overridden on the command line
    measured, ///< measured by edgeplan on request (e.g. --measure-disk)
};

/// Stable lower-case name used in JSON and reports.
std::string_view source_name(Source source);
/// Parses a name written by source_name; nullopt for anything else.
std::optional<Source> parse_source(std::string_view name);

/// A value that may be unknown, together with where it came from. Unknown is never 0:
/// an absent value has `value == nullopt` (and usually Source::unknown).
template <typename T> struct Sourced {
    std::optional<T> value;
    Source source = Source::unknown;

    Sourced() = default;
    Sourced(T v, Source s) : value(std::move(v)), source(s) {}

    [[nodiscard]] bool known() const { return value.has_value(); }
    /// Sets the value only if it is still unknown: the first, most trusted, source wins.
    void fill(T v, Source s) {
        if (!value) {
            value = std::move(v);
            source = s;
        }
    }
    /// Sets the value, replacing what was there.
    void set(T v, Source s) {
        value = std::move(v);
        source = s;
    }
    friend bool operator==(const Sourced&, const Sourced&) = default;
};

} // namespace edgeplan
