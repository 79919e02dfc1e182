#include <edgeplan/core/profile_json.hpp>

namespace edgeplan {

using nlohmann::ordered_json;

namespace {

template <typename T> ordered_json sourced(const Sourced<T>& field) {
    ordered_json out;
    out["value"] = field.value ? ordered_json(*field.value) : ordered_json(nullptr);
    out["source"] = std::string(source_name(field.value ? field.source : Source::unknown));
    return out;
}

template <typename T> ordered_json optional(const std::optional<T>& value) {
    return value ? ordered_json(*value) : ordered_json(nullptr);
}

ordered_json cache_json(const CacheLevel& level) {
    return {{"size_bytes", sourced(level.size_bytes)}, {"instances", sourced(level.instances)}};
}

ordered_json cpu_json(const CpuInfo& cpu) {
    ordered_json kinds = ordered_json::array();
    for (const auto& kind : cpu.kinds) {
        kinds.push_back({{"label", kind.label},
                         {"core_type", optional(kind.core_type)},
                         {"cores", kind.cores},
                         {"threads", kind.threads},
                         {"efficiency_rank", optional(kind.efficiency_rank)},
                         {"frequency_max_mhz", optional(kind.frequency_max_mhz)},
                         {"frequency_base_mhz", optional(kind.frequency_base_mhz)}});
    }
    ordered_json numa = ordered_json::array();
    for (const auto& node : cpu.numa_nodes) {
        numa.push_back({{"index", node.index},
                        {"memory_bytes", optional(node.memory_bytes)},
                        {"kind", node.kind}});
    }
    ordered_json features = ordered_json::object();
    for (const auto& [name, present] : cpu.isa.features) {
        features[name] = optional(present);
    }
    return {{"vendor", sourced(cpu.vendor)},
            {"model", sourced(cpu.model)},
            {"packages", sourced(cpu.packages)},
            {"cores", sourced(cpu.cores)},
            {"threads", sourced(cpu.threads)},
            {"frequency_max_mhz", sourced(cpu.frequency_max_mhz)},
            {"frequency_governor", sourced(cpu.frequency_governor)},
            {"kinds", {{"source", source_name(cpu.kinds_source)}, {"items", kinds}}},
            {"caches",
             {{"l1d", cache_json(cpu.l1d)}, {"l2", cache_json(cpu.l2)}, {"l3", cache_json(cpu.l3)}}},
            {"numa_nodes", {{"source", source_name(cpu.numa_source)}, {"items", numa}}},
            {"isa", {{"source", source_name(cpu.isa.source)}, {"features", features}}}};
}

ordered_json memory_json(const MemoryInfo& memory) {
    return {{"total_bytes", sourced(memory.total_bytes)},
            {"available_bytes", sourced(memory.available_bytes)},
            {"swap_total_bytes", sourced(memory.swap_total_bytes)},
            {"swap_free_bytes", sourced(memory.swap_free_bytes)},
            {"cgroup_limit_bytes", sourced(memory.cgroup_limit_bytes)},
            {"type", sourced(memory.type)},
            {"speed_mts", sourced(memory.speed_mts)},
            {"bandwidth_gbps", sourced(memory.bandwidth_gbps)},
            {"measured_read_gbps", sourced(memory.measured_read_gbps)}};
}

ordered_json gpu_json(const GpuDevice& gpu) {
    return {{"id", gpu.id},
            {"vendor", sourced(gpu.vendor)},
            {"model", sourced(gpu.model)},
            {"pci_bus_id", optional(gpu.pci_bus_id)},
            {"pci_id", optional(gpu.pci_id)},
            {"memory_total_bytes", sourced(gpu.memory_total_bytes)},
            {"memory_free_bytes", sourced(gpu.memory_free_bytes)},
            {"memory_kind", sourced(gpu.memory_kind)},
            {"shared_memory_bytes", sourced(gpu.shared_memory_bytes)},
            {"working_set_limit_bytes", sourced(gpu.working_set_limit_bytes)},
            {"apis", {{"source", source_name(gpu.apis_source)}, {"items", gpu.apis}}},
            {"compute_capability", sourced(gpu.compute_capability)},
            {"memory_bandwidth_gbps", sourced(gpu.memory_bandwidth_gbps)},
            {"fp16_tflops", sourced(gpu.fp16_tflops)},
            {"peer_link_gbps", sourced(gpu.peer_link_gbps)},
            {"driver", sourced(gpu.driver)},
            {"os_views", gpu.os_views}};
}

ordered_json npu_json(const NpuDevice& npu) {
    return {{"id", npu.id},
            {"vendor", sourced(npu.vendor)},
            {"model", sourced(npu.model)},
            {"driver", sourced(npu.driver)},
            {"pci_bus_id", optional(npu.pci_bus_id)},
            {"pci_id", optional(npu.pci_id)},
            {"int8_tops", sourced(npu.int8_tops)}};
}

ordered_json power_json(const PowerInfo& power) {
    ordered_json zones = ordered_json::array();
    for (const auto& zone : power.thermal_zones) {
        ordered_json trips = ordered_json::array();
        for (const auto& trip : zone.trip_points) {
            trips.push_back({{"type", trip.type}, {"temperature_c", trip.temperature_c}});
        }
        zones.push_back({{"name", zone.name},
                         {"temperature_c", optional(zone.temperature_c)},
                         {"trip_points", trips}});
    }
    return {{"supply", sourced(power.supply)},
            {"has_battery", sourced(power.has_battery)},
            {"battery_percent", sourced(power.battery_percent)},
            {"battery_state", sourced(power.battery_state)},
            {"tdp_watts", sourced(power.tdp_watts)},
            {"cooling", sourced(power.cooling)},
            {"sustained_fraction", sourced(power.sustained_fraction)},
            {"thermal_zones", {{"source", source_name(power.thermal_source)}, {"items", zones}}}};
}

} // namespace

ordered_json profile_to_json(const HardwareProfile& profile) {
    ordered_json gpus = ordered_json::array();
    for (const auto& gpu : profile.gpus) {
        gpus.push_back(gpu_json(gpu));
    }
    ordered_json npus = ordered_json::array();
    for (const auto& npu : profile.npus) {
        npus.push_back(npu_json(npu));
    }
    ordered_json diagnostics = ordered_json::array();
    for (const auto& d : profile.diagnostics) {
        diagnostics.push_back({{"severity", d.severity}, {"where", d.where}, {"message", d.message}});
    }
    ordered_json references = ordered_json::array();
    for (const auto& ref : profile.references) {
        references.push_back({{"url", ref.url}, {"covers", ref.covers}});
    }
    const auto& s = profile.system;
    const auto& st = profile.storage;
    return {{"schema_version", profile.schema_version},
            {"kind", "edgeplan.hardware_profile"},
            {"origin", {{"method", profile.origin.method}, {"name", profile.origin.name}}},
            {"system",
             {{"os", sourced(s.os)},
              {"kernel", sourced(s.kernel)},
              {"architecture", sourced(s.architecture)},
              {"virtualization", sourced(s.virtualization)}}},
            {"cpu", cpu_json(profile.cpu)},
            {"memory", memory_json(profile.memory)},
            {"gpus", {{"source", source_name(profile.gpus_source)}, {"items", gpus}}},
            {"npus", {{"source", source_name(profile.npus_source)}, {"items", npus}}},
            {"storage",
             {{"device", sourced(st.device)},
              {"type", sourced(st.type)},
              {"free_bytes", sourced(st.free_bytes)},
              {"total_bytes", sourced(st.total_bytes)},
              {"read_bandwidth_mbps", sourced(st.read_bandwidth_mbps)}}},
            {"power", power_json(profile.power)},
            {"diagnostics", diagnostics},
            {"references", references}};
}

} // namespace edgeplan
