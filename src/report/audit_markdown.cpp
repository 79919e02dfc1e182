#include "audit_constraints.hpp"
#include "format.hpp"

#include <edgeplan/report/audit_report.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace edgeplan {

using report_detail::format_bytes;
using report_detail::format_number;
using report_detail::join;
using report_detail::table_cell;

namespace {

struct Row {
    std::string spec;
    std::string value;
    std::string source;
};

/// Distinct source names of the known fields, in the order given ("hwloc, procfs").
std::string sources_of(std::initializer_list<Source> sources) {
    std::vector<std::string> names;
    for (Source s : sources) {
        const std::string name(source_name(s));
        if (s != Source::unknown && std::find(names.begin(), names.end(), name) == names.end()) {
            names.push_back(name);
        }
    }
    return names.empty() ? "unknown" : join(names);
}

std::string text_or_unknown(const Sourced<std::string>& field) {
    return field.value ? *field.value : "unknown";
}

std::string count_or_unknown(const Sourced<int>& field) {
    return field.value ? std::to_string(*field.value) : "unknown";
}

std::string origin_line(const ProfileOrigin& origin) {
    if (origin.method == "live") {
        return "Live audit of this machine.";
    }
    if (origin.method == "topology") {
        return fmt::format("From the hwloc XML topology `{}`.", origin.name);
    }
    if (origin.method == "preset") {
        return fmt::format("From the target preset `{}`.", origin.name);
    }
    return fmt::format("From the saved profile `{}`.", origin.name);
}

std::string kinds_text(const CpuInfo& cpu) {
    std::vector<std::string> parts;
    // Most performant first: that is how people describe hybrid CPUs ("6P + 8E").
    for (auto it = cpu.kinds.rbegin(); it != cpu.kinds.rend(); ++it) {
        std::string part = fmt::format("{} {} ({} threads", it->cores, it->label, it->threads);
        if (it->core_type) {
            part += ", " + *it->core_type;
        }
        if (it->frequency_max_mhz) {
            part += fmt::format(", max {} MHz", *it->frequency_max_mhz);
        }
        parts.push_back(part + ")");
    }
    return join(parts, " + ");
}

std::string cache_text(const char* name, const CacheLevel& level) {
    if (!level.size_bytes.value) {
        return std::string(name) + " unknown";
    }
    std::string text = std::string(name) + " " + format_bytes(*level.size_bytes.value);
    if (level.instances.value) {
        text += fmt::format(" x{}", *level.instances.value);
    }
    return text;
}

std::string numa_text(const CpuInfo& cpu) {
    if (cpu.numa_nodes.empty()) {
        return "unknown";
    }
    std::vector<std::string> nodes;
    for (const auto& node : cpu.numa_nodes) {
        nodes.push_back(fmt::format("node{} {}{}", node.index,
                                    node.memory_bytes ? format_bytes(*node.memory_bytes) : "size unknown",
                                    node.kind == "DRAM" ? "" : " " + node.kind));
    }
    return fmt::format("{}: {}", cpu.numa_nodes.size(), join(nodes));
}

std::string isa_text(const IsaFeatures& isa, bool wanted) {
    std::vector<std::string> names;
    for (const auto& name : isa_feature_names()) {
        auto it = isa.features.find(name);
        if (it != isa.features.end() && it->second && *it->second == wanted) {
            names.push_back(name);
        }
    }
    return names.empty() ? "none" : join(names, " ");
}

std::string gpu_text(const GpuDevice& gpu) {
    std::vector<std::string> parts;
    std::string name = text_or_unknown(gpu.vendor) + " " + text_or_unknown(gpu.model);
    if (gpu.pci_id || gpu.pci_bus_id) {
        name += fmt::format(" ({})", join([&] {
                                std::vector<std::string> ids;
                                if (gpu.pci_id) {
                                    ids.push_back(*gpu.pci_id);
                                }
                                if (gpu.pci_bus_id) {
                                    ids.push_back("at " + *gpu.pci_bus_id);
                                }
                                return ids;
                            }(), " "));
    }
    parts.push_back(name);
    std::string memory = gpu.memory_total_bytes.value
                             ? format_bytes(*gpu.memory_total_bytes.value)
                             : std::string("memory unknown");
    if (gpu.memory_free_bytes.value) {
        memory += fmt::format(" ({} free)", format_bytes(*gpu.memory_free_bytes.value));
    }
    if (gpu.memory_kind.value) {
        memory += " " + *gpu.memory_kind.value;
    }
    parts.push_back(memory);
    if (gpu.shared_memory_bytes.value) {
        parts.push_back("shared " + format_bytes(*gpu.shared_memory_bytes.value));
    }
    if (gpu.working_set_limit_bytes.value) {
        parts.push_back("GPU working-set limit " + format_bytes(*gpu.working_set_limit_bytes.value));
    }
    if (!gpu.apis.empty()) {
        parts.push_back(join(gpu.apis, "/"));
    }
    if (gpu.compute_capability.value) {
        parts.push_back("compute " + *gpu.compute_capability.value);
    }
    if (gpu.memory_bandwidth_gbps.value) {
        parts.push_back(format_number(*gpu.memory_bandwidth_gbps.value, 0) + " GB/s");
    }
    if (gpu.fp16_tflops.value) {
        parts.push_back(format_number(*gpu.fp16_tflops.value, 1) + " FP16 TFLOPS");
    }
    if (gpu.driver.value) {
        parts.push_back("driver " + *gpu.driver.value);
    }
    return join(parts);
}

std::string npu_text(const NpuDevice& npu) {
    std::string text = text_or_unknown(npu.vendor) + " " + text_or_unknown(npu.model);
    if (npu.pci_id) {
        text += " (" + *npu.pci_id + ")";
    }
    if (npu.driver.value) {
        text += ", driver " + *npu.driver.value;
    }
    if (npu.int8_tops.value) {
        text += ", " + format_number(*npu.int8_tops.value, 0) + " INT8 TOPS";
    }
    return text;
}

void add_system_rows(const HardwareProfile& p, std::vector<Row>& rows) {
    const auto& s = p.system;
    rows.push_back({"OS", text_or_unknown(s.os), sources_of({s.os.source})});
    rows.push_back({"Kernel", text_or_unknown(s.kernel), sources_of({s.kernel.source})});
    rows.push_back({"Architecture", text_or_unknown(s.architecture), sources_of({s.architecture.source})});
    if (s.virtualization.value) {
        rows.push_back({"Virtualization", *s.virtualization.value, sources_of({s.virtualization.source})});
    }
}

void add_cpu_rows(const HardwareProfile& p, std::vector<Row>& rows) {
    const auto& c = p.cpu;
    std::string model = text_or_unknown(c.model);
    if (c.vendor.value && (!c.model.value || c.model.value->find(*c.vendor.value) == std::string::npos)) {
        model = *c.vendor.value + " " + model;
    }
    rows.push_back({"CPU", model, sources_of({c.vendor.source, c.model.source})});
    rows.push_back({"Packages / cores / threads",
                    fmt::format("{} / {} / {}", count_or_unknown(c.packages), count_or_unknown(c.cores),
                                count_or_unknown(c.threads)),
                    sources_of({c.packages.source, c.cores.source, c.threads.source})});
    if (!c.kinds.empty()) {
        rows.push_back({"Core kinds", kinds_text(c), sources_of({c.kinds_source})});
    }
    rows.push_back({"Max frequency",
                    c.frequency_max_mhz.value ? fmt::format("{} MHz", *c.frequency_max_mhz.value) : "unknown",
                    sources_of({c.frequency_max_mhz.source})});
    rows.push_back({"Caches",
                    join({cache_text("L1d", c.l1d), cache_text("L2", c.l2), cache_text("L3", c.l3)}),
                    sources_of({c.l1d.size_bytes.source, c.l2.size_bytes.source, c.l3.size_bytes.source})});
    rows.push_back({"NUMA nodes", numa_text(c), sources_of({c.numa_source})});
    if (c.isa.source == Source::unknown) {
        rows.push_back({"ISA extensions", "unknown", "unknown"});
    } else {
        rows.push_back({"ISA extensions", isa_text(c.isa, true), sources_of({c.isa.source})});
        rows.push_back({"ISA extensions absent", isa_text(c.isa, false), sources_of({c.isa.source})});
    }
    if (c.frequency_governor.value) {
        rows.push_back({"CPU frequency governor", *c.frequency_governor.value,
                        sources_of({c.frequency_governor.source})});
    }
}

void add_memory_rows(const HardwareProfile& p, std::vector<Row>& rows) {
    const auto& m = p.memory;
    std::string memory = m.total_bytes.value ? format_bytes(*m.total_bytes.value) + " total" : "total unknown";
    memory += m.available_bytes.value ? ", " + format_bytes(*m.available_bytes.value) + " available"
                                      : ", available unknown";
    rows.push_back({"Memory", memory, sources_of({m.total_bytes.source, m.available_bytes.source})});
    if (m.cgroup_limit_bytes.value) {
        rows.push_back({"Container memory limit", format_bytes(*m.cgroup_limit_bytes.value),
                        sources_of({m.cgroup_limit_bytes.source})});
    }
    if (m.swap_total_bytes.value) {
        rows.push_back({"Swap",
                        *m.swap_total_bytes.value == 0
                            ? std::string("none")
                            : format_bytes(*m.swap_total_bytes.value) +
                                  (m.swap_free_bytes.value ? ", " + format_bytes(*m.swap_free_bytes.value) + " free" : ""),
                        sources_of({m.swap_total_bytes.source})});
    }
    std::vector<std::string> kind;
    if (m.type.value) {
        kind.push_back(*m.type.value);
    }
    if (m.speed_mts.value) {
        kind.push_back(fmt::format("{} MT/s", *m.speed_mts.value));
    }
    rows.push_back({"Memory type", kind.empty() ? "unknown" : join(kind, " "),
                    sources_of({m.type.source, m.speed_mts.source})});
    rows.push_back({"Memory bandwidth",
                    m.bandwidth_gbps.value ? format_number(*m.bandwidth_gbps.value, 1) + " GB/s peak" : "unknown",
                    sources_of({m.bandwidth_gbps.source})});
    if (m.measured_read_gbps.value) {
        rows.push_back({"Memory read bandwidth (measured)",
                        format_number(*m.measured_read_gbps.value, 1) + " GB/s",
                        sources_of({m.measured_read_gbps.source})});
    }
}

void add_device_rows(const HardwareProfile& p, std::vector<Row>& rows) {
    if (p.gpus.empty()) {
        rows.push_back({"GPUs", p.gpus_source == Source::unknown ? "unknown" : "none found",
                        sources_of({p.gpus_source})});
    }
    for (const auto& gpu : p.gpus) {
        rows.push_back({"GPU " + gpu.id.substr(3), gpu_text(gpu),
                        sources_of({gpu.model.source, gpu.memory_total_bytes.source, gpu.apis_source,
                                    gpu.memory_bandwidth_gbps.source})});
    }
    if (p.npus.empty()) {
        rows.push_back({"NPUs", p.npus_source == Source::unknown ? "unknown" : "none found",
                        sources_of({p.npus_source})});
    }
    for (const auto& npu : p.npus) {
        rows.push_back({"NPU " + npu.id.substr(3), npu_text(npu),
                        sources_of({npu.model.source, npu.driver.source, npu.int8_tops.source})});
    }
}

void add_storage_power_rows(const HardwareProfile& p, std::vector<Row>& rows) {
    const auto& st = p.storage;
    std::vector<std::string> disk;
    if (st.type.value) {
        disk.push_back(*st.type.value);
    }
    if (st.device.value) {
        disk.push_back(*st.device.value);
    }
    std::string storage = disk.empty() ? "unknown" : join(disk, " ");
    if (st.free_bytes.value) {
        storage += ", " + format_bytes(*st.free_bytes.value) + " free";
        if (st.total_bytes.value) {
            storage += " of " + format_bytes(*st.total_bytes.value);
        }
    }
    if (st.read_bandwidth_mbps.value) {
        storage += ", sequential read " + format_number(*st.read_bandwidth_mbps.value, 0) + " MB/s";
    }
    rows.push_back({"Models disk", storage,
                    sources_of({st.type.source, st.free_bytes.source, st.read_bandwidth_mbps.source})});

    const auto& pw = p.power;
    std::string power = pw.supply.value ? (*pw.supply.value == "ac" ? "AC" : "battery") : "unknown";
    if (pw.has_battery.value && !*pw.has_battery.value) {
        power += ", no battery";
    }
    if (pw.battery_percent.value) {
        power += fmt::format(", battery {}%", *pw.battery_percent.value);
    }
    if (pw.battery_state.value) {
        power += " " + *pw.battery_state.value;
    }
    rows.push_back({"Power", power, sources_of({pw.supply.source, pw.has_battery.source, pw.battery_percent.source})});
    if (pw.tdp_watts.value || pw.cooling.value) {
        std::vector<std::string> budget;
        if (pw.tdp_watts.value) {
            budget.push_back(format_number(*pw.tdp_watts.value, 0) + " W TDP");
        }
        if (pw.cooling.value) {
            budget.push_back(*pw.cooling.value + " cooling");
        }
        if (pw.sustained_fraction.value) {
            budget.push_back(format_number(*pw.sustained_fraction.value * 100, 0) + "% of peak sustained");
        }
        rows.push_back({"Power budget", join(budget), sources_of({pw.tdp_watts.source, pw.cooling.source})});
    }
    if (pw.thermal_zones.empty()) {
        rows.push_back({"Thermal zones", pw.thermal_source == Source::unknown ? "unknown" : "none found",
                        sources_of({pw.thermal_source})});
    } else {
        std::vector<std::string> zones;
        for (const auto& zone : pw.thermal_zones) {
            std::string text = zone.name + " " +
                               (zone.temperature_c ? format_number(*zone.temperature_c, 1) + " °C" : "unknown");
            for (const auto& trip : zone.trip_points) {
                if (trip.type == "critical" || trip.type == "passive" || trip.type == "hot") {
                    text += fmt::format(" ({} {} °C)", trip.type, format_number(trip.temperature_c, 0));
                }
            }
            zones.push_back(text);
        }
        rows.push_back({"Thermal zones", join(zones), sources_of({pw.thermal_source})});
    }
}

} // namespace

std::string render_audit_markdown(const HardwareProfile& profile, int heading_level) {
    std::vector<Row> rows;
    add_system_rows(profile, rows);
    add_cpu_rows(profile, rows);
    add_memory_rows(profile, rows);
    add_device_rows(profile, rows);
    add_storage_power_rows(profile, rows);

    const std::string hashes(static_cast<std::size_t>(std::max(1, heading_level)), '#');
    std::string out = hashes + (heading_level >= 2 ? " 1. Hardware Audit\n\n" : " Hardware Audit\n\n");
    out += origin_line(profile.origin) + " Each value names its source; \"unknown\" means no source could tell.\n\n";
    out += "| Spec | Value | Source |\n|---|---|---|\n";
    for (const auto& row : rows) {
        out += fmt::format("| {} | {} | {} |\n", table_cell(row.spec), table_cell(row.value), row.source);
    }
    out += "\n" + hashes + "# Constraints\n\n";
    for (const auto& line : report_detail::audit_constraints(profile)) {
        out += "- " + line + "\n";
    }
    if (!profile.diagnostics.empty()) {
        out += "\n" + hashes + "# Notes\n\n";
        for (const auto& d : profile.diagnostics) {
            out += fmt::format("- {}: {}: {}\n", d.severity, d.where, d.message);
        }
    }
    if (!profile.references.empty()) {
        out += "\n" + hashes + "# Sources\n\n";
        for (const auto& ref : profile.references) {
            out += "- " + ref.url + (ref.covers.empty() ? "" : " (" + ref.covers + ")") + "\n";
        }
    }
    return out;
}

} // namespace edgeplan
