// Hybrid CPU kinds (hwloc cpukinds) and the CPU's maximum frequency.

#include "hwloc_detail.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <regex>

namespace edgeplan::probe_detail {

namespace {

struct BitmapDeleter {
    void operator()(hwloc_bitmap_s* bitmap) const {
        hwloc_bitmap_free(bitmap);
    }
};
using BitmapPtr = std::unique_ptr<hwloc_bitmap_s, BitmapDeleter>;

struct RawKind {
    BitmapPtr cpuset;
    int efficiency = -1; ///< hwloc's rank, -1 when unknown
    std::optional<std::string> core_type;
    std::optional<std::string> cpu_part;
    std::optional<int> frequency_max_mhz;
    std::optional<int> frequency_base_mhz;
};

std::optional<int> parse_mhz(const char* text) {
    char* end = nullptr;
    const long value = std::strtol(text, &end, 10);
    if (end == text || *end != '\0' || value <= 0 || value > 100000) {
        return std::nullopt;
    }
    return static_cast<int>(value);
}

RawKind read_kind(hwloc_topology_t topology, unsigned index) {
    RawKind kind;
    kind.cpuset.reset(hwloc_bitmap_alloc());
    unsigned nr_infos = 0;
    hwloc_info_s* infos = nullptr;
    hwloc_cpukinds_get_info(topology, index, kind.cpuset.get(), &kind.efficiency, &nr_infos, &infos,
                            0);
    for (unsigned i = 0; i < nr_infos; ++i) {
        const std::string_view name = infos[i].name;
        if (name == "CoreType") {
            kind.core_type = infos[i].value;
        } else if (name == "CPUPart") {
            kind.cpu_part = infos[i].value;
        } else if (name == "FrequencyMaxMHz") {
            kind.frequency_max_mhz = parse_mhz(infos[i].value);
        } else if (name == "FrequencyBaseMHz") {
            kind.frequency_base_mhz = parse_mhz(infos[i].value);
        }
    }
    return kind;
}

// hwloc's x86 backend core types (hwloc docs, "CPU Kinds" attributes; IntelLowPower and the
// AMD types since hwloc 2.10/2.12).
std::optional<std::string> label_for_core_type(const std::optional<std::string>& core_type) {
    if (!core_type) {
        return std::nullopt;
    }
    if (*core_type == "IntelLowPower") {
        return "low-power";
    }
    if (*core_type == "IntelAtom" || *core_type == "AMDEfficiency") {
        return "efficiency";
    }
    if (*core_type == "IntelCore" || *core_type == "AMDPerformance") {
        return "performance";
    }
    return std::nullopt;
}

// Kinds come from hwloc sorted by rising efficiency rank. Two ranked kinds are E and P;
// three or more are a ranking that only the core type can name (notes: hwloc.md 2.4).
std::string label_for(const std::vector<RawKind>& kinds, std::size_t index) {
    const bool ranked =
        std::all_of(kinds.begin(), kinds.end(), [](const RawKind& k) { return k.efficiency >= 0; });
    if (kinds.size() == 2 && ranked && kinds[0].efficiency != kinds[1].efficiency) {
        return index == 0 ? "efficiency" : "performance";
    }
    return label_for_core_type(kinds[index].core_type).value_or(fmt::format("rank-{}", index));
}

int count_cores_in(hwloc_topology_t topology, hwloc_const_bitmap_t cpuset) {
    int cores = 0;
    hwloc_obj_t core = nullptr;
    while ((core = hwloc_get_next_obj_by_type(topology, HWLOC_OBJ_CORE, core)) != nullptr) {
        if (hwloc_bitmap_intersects(core->cpuset, cpuset)) {
            ++cores;
        }
    }
    return cores;
}

CpuKind make_kind(hwloc_topology_t topology, const std::vector<RawKind>& kinds, std::size_t index) {
    const RawKind& raw = kinds[index];
    CpuKind kind;
    kind.label = kinds.size() == 1 ? "uniform" : label_for(kinds, index);
    kind.core_type = raw.core_type ? raw.core_type : raw.cpu_part;
    kind.cores = count_cores_in(topology, raw.cpuset.get());
    kind.threads = hwloc_get_nbobjs_inside_cpuset_by_type(topology, raw.cpuset.get(), HWLOC_OBJ_PU);
    if (raw.efficiency >= 0) {
        kind.efficiency_rank = raw.efficiency;
    }
    kind.frequency_max_mhz = raw.frequency_max_mhz;
    kind.frequency_base_mhz = raw.frequency_base_mhz;
    return kind;
}

void check_coverage(hwloc_topology_t topology, const std::vector<RawKind>& kinds,
                    HardwareProfile& profile) {
    // Kinds need not cover every PU (2arm-2c.xml: cpufreq data for cpu0 only).
    BitmapPtr covered(hwloc_bitmap_alloc());
    for (const auto& kind : kinds) {
        hwloc_bitmap_or(covered.get(), covered.get(), kind.cpuset.get());
    }
    const int total = hwloc_bitmap_weight(hwloc_topology_get_topology_cpuset(topology));
    hwloc_bitmap_and(covered.get(), covered.get(), hwloc_topology_get_topology_cpuset(topology));
    const int in_kinds = hwloc_bitmap_weight(covered.get());
    if (total > 0 && in_kinds < total) {
        add_diagnostic(profile, "info", "cpu.kinds",
                       fmt::format("{} of {} hardware threads belong to no CPU kind; their core "
                                   "type is unknown",
                                   total - in_kinds, total));
    }
}

// The nominal clock in brand strings such as "Intel(R) Xeon(R) CPU E5-2650 0 @ 2.00GHz".
std::optional<int> nominal_mhz_from_model(const std::string& model) {
    static const std::regex at_ghz(R"(@\s*([0-9]+(\.[0-9]+)?)\s*GHz)");
    std::smatch match;
    if (!std::regex_search(model, match, at_ghz)) {
        return std::nullopt;
    }
    const double ghz = std::stod(match[1].str());
    return static_cast<int>(std::lround(ghz * 1000.0));
}

void fill_frequency(HardwareProfile& profile, Source source) {
    CpuInfo& cpu = profile.cpu;
    std::optional<int> highest;
    for (const auto& kind : cpu.kinds) {
        if (kind.frequency_max_mhz) {
            highest = std::max(highest.value_or(0), *kind.frequency_max_mhz);
        }
    }
    if (highest) {
        cpu.frequency_max_mhz.set(*highest, source);
        return;
    }
    if (!cpu.model.value) {
        return;
    }
    if (auto nominal = nominal_mhz_from_model(*cpu.model.value)) {
        // The brand string gives the base clock: a lower bound of the maximum (turbo).
        cpu.frequency_max_mhz.set(*nominal, Source::inferred);
        add_diagnostic(profile, "info", "cpu.frequency_max_mhz",
                       "taken from the nominal clock in the CPU model name; turbo clocks may "
                       "be higher");
    }
}

} // namespace

void read_cpu_kinds(hwloc_topology_t topology, TopologyOrigin origin, HardwareProfile& profile,
                    CpuIdentity& identity) {
    const Source source = source_for(origin);
    const int count = hwloc_cpukinds_get_nr(topology, 0);
    std::vector<RawKind> raw;
    for (int i = 0; i < count; ++i) {
        raw.push_back(read_kind(topology, static_cast<unsigned>(i)));
    }
    if (!raw.empty()) {
        // One kind means "homogeneous", which is worth knowing; none means hwloc cannot tell.
        profile.cpu.kinds_source = source;
        const bool single_without_clock =
            raw.size() == 1 && !raw[0].frequency_max_mhz && !raw[0].frequency_base_mhz;
        if (!single_without_clock) {
            for (std::size_t i = 0; i < raw.size(); ++i) {
                profile.cpu.kinds.push_back(make_kind(topology, raw, i));
            }
        }
        check_coverage(topology, raw, profile);
    }
    // Newer hwloc puts the MIDR part on each kind of a hybrid ARM chip; most performant first.
    for (auto it = raw.rbegin(); it != raw.rend(); ++it) {
        const auto part = it->cpu_part ? parse_midr_field(*it->cpu_part) : std::nullopt;
        if (part && std::find(identity.arm_parts.begin(), identity.arm_parts.end(), *part) ==
                        identity.arm_parts.end()) {
            identity.arm_parts.push_back(*part);
        }
    }
    fill_frequency(profile, source);
}

} // namespace edgeplan::probe_detail
