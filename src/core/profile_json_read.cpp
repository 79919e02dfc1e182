#include <edgeplan/core/json_reader.hpp>

#include <edgeplan/core/profile_json.hpp>

#include <algorithm>

namespace edgeplan {

using detail::JsonReader;
using nlohmann::json;

namespace {

// Upper bounds that no real machine reaches; a value beyond them is a typo or corruption.
constexpr int max_count = 1 << 20;
constexpr int max_mhz = 20000;
/// Largest memory a profile may state for RAM, VRAM or swap: 1 PiB. The largest single
/// systems sold hold tens of TiB; a larger figure is a typo or a damaged file, and would
/// overflow the estimator's byte sums.
constexpr std::uint64_t max_memory_bytes = 1ull << 50;

/// Refuses a memory size beyond max_memory_bytes.
void check_memory_size(JsonReader& r, const Sourced<std::uint64_t>& field,
                       const std::string& pointer) {
    if (field.value && *field.value > max_memory_bytes) {
        r.problem(pointer, "more than 1 PiB: no machine has that much memory (typo?)");
    }
}

/// Reads a list wrapper {"source": "...", "items": [...]} and calls `each` per item.
template <typename Each>
void read_list(JsonReader& r, const json& parent, const char* key, const std::string& pointer,
               Source& source, Each each) {
    auto it = parent.find(key);
    if (it == parent.end()) {
        return;
    }
    const std::string here = pointer + "/" + key;
    if (!r.object(*it, here, {"source", "items"})) {
        return;
    }
    r.source(*it, "source", here, source);
    auto items = it->find("items");
    if (items == it->end() || items->is_null()) {
        return;
    }
    if (!r.array(*items, here + "/items")) {
        return;
    }
    for (std::size_t i = 0; i < items->size(); ++i) {
        each((*items)[i], here + "/items/" + std::to_string(i));
    }
}

void read_system(JsonReader& r, const json& node, const std::string& p, SystemInfo& out) {
    if (!r.object(node, p, {"os", "kernel", "architecture", "virtualization"})) {
        return;
    }
    r.sourced(node, "os", p, out.os);
    r.sourced(node, "kernel", p, out.kernel);
    r.sourced(node, "architecture", p, out.architecture);
    r.sourced(node, "virtualization", p, out.virtualization);
}

void read_cache(JsonReader& r, const json& parent, const char* key, const std::string& pointer,
                CacheLevel& out) {
    auto it = parent.find(key);
    if (it == parent.end()) {
        return;
    }
    const std::string p = pointer + "/" + key;
    if (r.object(*it, p, {"size_bytes", "instances"})) {
        r.sourced(*it, "size_bytes", p, out.size_bytes);
        r.sourced(*it, "instances", p, out.instances, 1, max_count);
    }
}

void read_cpu(JsonReader& r, const json& node, const std::string& p, CpuInfo& out) {
    if (!r.object(node, p,
                  {"vendor", "model", "packages", "cores", "threads", "frequency_max_mhz",
                   "frequency_governor", "kinds", "caches", "numa_nodes", "isa"})) {
        return;
    }
    r.sourced(node, "vendor", p, out.vendor);
    r.sourced(node, "model", p, out.model);
    r.sourced(node, "packages", p, out.packages, 1, max_count);
    r.sourced(node, "cores", p, out.cores, 1, max_count);
    r.sourced(node, "threads", p, out.threads, 1, max_count);
    r.sourced(node, "frequency_max_mhz", p, out.frequency_max_mhz, 1, max_mhz);
    r.sourced(node, "frequency_governor", p, out.frequency_governor);
    read_list(r, node, "kinds", p, out.kinds_source, [&](const json& item, const std::string& ip) {
        CpuKind kind;
        if (!r.object(item, ip,
                      {"label", "core_type", "cores", "threads", "efficiency_rank",
                       "frequency_max_mhz", "frequency_base_mhz"})) {
            return;
        }
        std::int64_t cores = 0;
        std::int64_t threads = 0;
        r.string(item, "label", ip, kind.label, true);
        r.optional_string(item, "core_type", ip, kind.core_type);
        r.integer(item, "cores", ip, cores, 0, max_count, true);
        r.integer(item, "threads", ip, threads, 1, max_count, true);
        kind.cores = static_cast<int>(cores);
        kind.threads = static_cast<int>(threads);
        r.optional_int(item, "efficiency_rank", ip, kind.efficiency_rank, -1, 1000);
        r.optional_int(item, "frequency_max_mhz", ip, kind.frequency_max_mhz, 1, max_mhz);
        r.optional_int(item, "frequency_base_mhz", ip, kind.frequency_base_mhz, 1, max_mhz);
        out.kinds.push_back(kind);
    });
    if (auto caches = node.find("caches"); caches != node.end()) {
        if (r.object(*caches, p + "/caches", {"l1d", "l2", "l3"})) {
            read_cache(r, *caches, "l1d", p + "/caches", out.l1d);
            read_cache(r, *caches, "l2", p + "/caches", out.l2);
            read_cache(r, *caches, "l3", p + "/caches", out.l3);
        }
    }
    read_list(r, node, "numa_nodes", p, out.numa_source, [&](const json& item, const std::string& ip) {
        NumaNode numa;
        if (!r.object(item, ip, {"index", "memory_bytes", "kind"})) {
            return;
        }
        std::int64_t index = 0;
        r.integer(item, "index", ip, index, 0, max_count, true);
        numa.index = static_cast<int>(index);
        r.optional_u64(item, "memory_bytes", ip, numa.memory_bytes);
        r.string(item, "kind", ip, numa.kind, true);
        out.numa_nodes.push_back(numa);
    });
    if (auto isa = node.find("isa"); isa != node.end()) {
        const std::string ip = p + "/isa";
        if (r.object(*isa, ip, {"source", "features"})) {
            r.source(*isa, "source", ip, out.isa.source);
            if (auto features = isa->find("features"); features != isa->end()) {
                const auto& known = isa_feature_names();
                if (!features->is_object()) {
                    r.problem(ip + "/features", "expected an object");
                    return;
                }
                for (const auto& item : features->items()) {
                    if (std::find(known.begin(), known.end(), item.key()) == known.end()) {
                        r.problem(ip + "/features/" + item.key(), "unknown ISA feature");
                        continue;
                    }
                    if (item.value().is_null()) {
                        out.isa.features[item.key()] = std::nullopt;
                    } else if (item.value().is_boolean()) {
                        out.isa.features[item.key()] = item.value().get<bool>();
                    } else {
                        r.problem(ip + "/features/" + item.key(), "expected true, false or null");
                    }
                }
            }
        }
    }
}

void read_memory(JsonReader& r, const json& node, const std::string& p, MemoryInfo& out) {
    if (!r.object(node, p,
                  {"total_bytes", "available_bytes", "swap_total_bytes", "swap_free_bytes",
                   "cgroup_limit_bytes", "type", "speed_mts", "bandwidth_gbps",
                   "measured_read_gbps"})) {
        return;
    }
    r.sourced(node, "total_bytes", p, out.total_bytes);
    r.sourced(node, "available_bytes", p, out.available_bytes);
    r.sourced(node, "swap_total_bytes", p, out.swap_total_bytes);
    r.sourced(node, "swap_free_bytes", p, out.swap_free_bytes);
    r.sourced(node, "cgroup_limit_bytes", p, out.cgroup_limit_bytes);
    r.sourced(node, "type", p, out.type);
    r.sourced(node, "speed_mts", p, out.speed_mts, 1, 100000);
    r.sourced(node, "bandwidth_gbps", p, out.bandwidth_gbps, 0.001, 100000);
    r.sourced(node, "measured_read_gbps", p, out.measured_read_gbps, 0.001, 100000);
    check_memory_size(r, out.total_bytes, p + "/total_bytes");
    check_memory_size(r, out.available_bytes, p + "/available_bytes");
    check_memory_size(r, out.swap_total_bytes, p + "/swap_total_bytes");
    check_memory_size(r, out.cgroup_limit_bytes, p + "/cgroup_limit_bytes");
    if (out.total_bytes.value && *out.total_bytes.value == 0) {
        r.problem(p + "/total_bytes", "memory total cannot be 0; use null for unknown");
    }
    if (out.total_bytes.value && out.available_bytes.value &&
        *out.available_bytes.value > *out.total_bytes.value) {
        r.problem(p + "/available_bytes", "available memory exceeds total memory");
    }
    if (out.swap_total_bytes.value && out.swap_free_bytes.value &&
        *out.swap_free_bytes.value > *out.swap_total_bytes.value) {
        r.problem(p + "/swap_free_bytes", "free swap exceeds total swap");
    }
}

void read_gpu(JsonReader& r, const json& item, const std::string& p, GpuDevice& gpu) {
    if (!r.object(item, p,
                  {"id", "vendor", "model", "pci_bus_id", "pci_id", "memory_total_bytes",
                   "memory_free_bytes", "memory_kind", "shared_memory_bytes",
                   "working_set_limit_bytes", "apis", "compute_capability",
                   "memory_bandwidth_gbps", "fp16_tflops", "peer_link_gbps", "driver",
                   "os_views"})) {
        return;
    }
    r.string(item, "id", p, gpu.id, true);
    r.sourced(item, "vendor", p, gpu.vendor);
    r.sourced(item, "model", p, gpu.model);
    r.optional_string(item, "pci_bus_id", p, gpu.pci_bus_id);
    r.optional_string(item, "pci_id", p, gpu.pci_id);
    r.sourced(item, "memory_total_bytes", p, gpu.memory_total_bytes);
    r.sourced(item, "memory_free_bytes", p, gpu.memory_free_bytes);
    r.sourced(item, "memory_kind", p, gpu.memory_kind);
    r.sourced(item, "shared_memory_bytes", p, gpu.shared_memory_bytes);
    r.sourced(item, "working_set_limit_bytes", p, gpu.working_set_limit_bytes);
    read_list(r, item, "apis", p, gpu.apis_source, [&](const json& api, const std::string& ap) {
        if (!api.is_string()) {
            r.problem(ap, "expected a string");
            return;
        }
        gpu.apis.push_back(api.get<std::string>());
    });
    r.sourced(item, "compute_capability", p, gpu.compute_capability);
    r.sourced(item, "memory_bandwidth_gbps", p, gpu.memory_bandwidth_gbps, 0.001, 100000);
    r.sourced(item, "fp16_tflops", p, gpu.fp16_tflops, 0.0, 100000);
    r.sourced(item, "peer_link_gbps", p, gpu.peer_link_gbps, 0.001, 100000);
    r.sourced(item, "driver", p, gpu.driver);
    r.string_list(item, "os_views", p, gpu.os_views);
    if (gpu.memory_kind.value && *gpu.memory_kind.value != "discrete" &&
        *gpu.memory_kind.value != "unified") {
        r.problem(p + "/memory_kind", "expected \"discrete\" or \"unified\"");
    }
    check_memory_size(r, gpu.memory_total_bytes, p + "/memory_total_bytes");
    check_memory_size(r, gpu.shared_memory_bytes, p + "/shared_memory_bytes");
    check_memory_size(r, gpu.working_set_limit_bytes, p + "/working_set_limit_bytes");
    if (gpu.memory_total_bytes.value && *gpu.memory_total_bytes.value == 0) {
        r.problem(p + "/memory_total_bytes", "GPU memory total cannot be 0; use null for unknown");
    }
    if (gpu.memory_total_bytes.value && gpu.memory_free_bytes.value &&
        *gpu.memory_free_bytes.value > *gpu.memory_total_bytes.value) {
        r.problem(p + "/memory_free_bytes", "more GPU memory free than total");
    }
}

void read_npu(JsonReader& r, const json& item, const std::string& p, NpuDevice& npu) {
    if (!r.object(item, p, {"id", "vendor", "model", "driver", "pci_bus_id", "pci_id", "int8_tops"})) {
        return;
    }
    r.string(item, "id", p, npu.id, true);
    r.sourced(item, "vendor", p, npu.vendor);
    r.sourced(item, "model", p, npu.model);
    r.sourced(item, "driver", p, npu.driver);
    r.optional_string(item, "pci_bus_id", p, npu.pci_bus_id);
    r.optional_string(item, "pci_id", p, npu.pci_id);
    r.sourced(item, "int8_tops", p, npu.int8_tops, 0.0, 100000);
}

void read_storage(JsonReader& r, const json& node, const std::string& p, StorageInfo& out) {
    if (!r.object(node, p, {"device", "type", "free_bytes", "total_bytes", "read_bandwidth_mbps"})) {
        return;
    }
    r.sourced(node, "device", p, out.device);
    r.sourced(node, "type", p, out.type);
    r.sourced(node, "free_bytes", p, out.free_bytes);
    r.sourced(node, "total_bytes", p, out.total_bytes);
    r.sourced(node, "read_bandwidth_mbps", p, out.read_bandwidth_mbps, 0.001, 1.0e7);
    if (out.free_bytes.value && out.total_bytes.value && *out.free_bytes.value > *out.total_bytes.value) {
        r.problem(p + "/free_bytes", "more disk space free than total");
    }
}

void read_power(JsonReader& r, const json& node, const std::string& p, PowerInfo& out) {
    if (!r.object(node, p,
                  {"supply", "has_battery", "battery_percent", "battery_state", "tdp_watts",
                   "cooling", "sustained_fraction", "thermal_zones"})) {
        return;
    }
    r.sourced(node, "supply", p, out.supply);
    r.sourced(node, "has_battery", p, out.has_battery);
    r.sourced(node, "battery_percent", p, out.battery_percent, 0, 100);
    r.sourced(node, "battery_state", p, out.battery_state);
    r.sourced(node, "tdp_watts", p, out.tdp_watts, 0.01, 100000);
    r.sourced(node, "cooling", p, out.cooling);
    r.sourced(node, "sustained_fraction", p, out.sustained_fraction, 0.01, 1.0);
    if (out.supply.value && *out.supply.value != "ac" && *out.supply.value != "battery") {
        r.problem(p + "/supply", "expected \"ac\" or \"battery\"");
    }
    if (out.cooling.value && *out.cooling.value != "active" && *out.cooling.value != "passive") {
        r.problem(p + "/cooling", "expected \"active\" or \"passive\"");
    }
    read_list(r, node, "thermal_zones", p, out.thermal_source, [&](const json& item, const std::string& zp) {
        ThermalZone zone;
        if (!r.object(item, zp, {"name", "temperature_c", "trip_points"})) {
            return;
        }
        r.string(item, "name", zp, zone.name, true);
        r.optional_double(item, "temperature_c", zp, zone.temperature_c, -273.15, 500);
        if (auto trips = item.find("trip_points"); trips != item.end() && r.array(*trips, zp + "/trip_points")) {
            for (std::size_t i = 0; i < trips->size(); ++i) {
                const std::string tp = zp + "/trip_points/" + std::to_string(i);
                TripPoint trip;
                std::optional<double> temperature;
                if (r.object((*trips)[i], tp, {"type", "temperature_c"})) {
                    r.string((*trips)[i], "type", tp, trip.type, true);
                    r.optional_double((*trips)[i], "temperature_c", tp, temperature, -273.15, 500);
                    trip.temperature_c = temperature.value_or(0);
                    zone.trip_points.push_back(trip);
                }
            }
        }
        out.thermal_zones.push_back(zone);
    });
}

void read_profile(JsonReader& r, const json& doc, HardwareProfile& out) {
    if (!r.object(doc, "",
                  {"schema_version", "kind", "origin", "system", "cpu", "memory", "gpus", "npus",
                   "storage", "power", "diagnostics", "references"})) {
        return;
    }
    std::int64_t version = 0;
    if (r.integer(doc, "schema_version", "", version, 0, 1000000, true) &&
        version != hardware_profile_schema_version) {
        r.problem("/schema_version", "unsupported schema version " + std::to_string(version) +
                                         " (this edgeplan reads version " +
                                         std::to_string(hardware_profile_schema_version) + ")");
        return;
    }
    std::string kind;
    if (r.string(doc, "kind", "", kind, false) && kind != "edgeplan.hardware_profile") {
        r.problem("/kind", "expected \"edgeplan.hardware_profile\"");
    }
    if (auto origin = doc.find("origin"); origin != doc.end() &&
                                          r.object(*origin, "/origin", {"method", "name"})) {
        r.string(*origin, "method", "/origin", out.origin.method, false);
        r.string(*origin, "name", "/origin", out.origin.name, false);
    }
    const json empty = json::object();
    auto section = [&](const char* key) -> const json& {
        auto it = doc.find(key);
        return it == doc.end() ? empty : *it;
    };
    read_system(r, section("system"), "/system", out.system);
    read_cpu(r, section("cpu"), "/cpu", out.cpu);
    read_memory(r, section("memory"), "/memory", out.memory);
    read_list(r, doc, "gpus", "", out.gpus_source, [&](const json& item, const std::string& p) {
        GpuDevice gpu;
        read_gpu(r, item, p, gpu);
        out.gpus.push_back(gpu);
    });
    read_list(r, doc, "npus", "", out.npus_source, [&](const json& item, const std::string& p) {
        NpuDevice npu;
        read_npu(r, item, p, npu);
        out.npus.push_back(npu);
    });
    read_storage(r, section("storage"), "/storage", out.storage);
    read_power(r, section("power"), "/power", out.power);
    if (auto diags = doc.find("diagnostics"); diags != doc.end() && r.array(*diags, "/diagnostics")) {
        for (std::size_t i = 0; i < diags->size(); ++i) {
            const std::string p = "/diagnostics/" + std::to_string(i);
            Diagnostic d;
            if (r.object((*diags)[i], p, {"severity", "where", "message"})) {
                r.string((*diags)[i], "severity", p, d.severity, true);
                r.string((*diags)[i], "where", p, d.where, true);
                r.string((*diags)[i], "message", p, d.message, true);
                out.diagnostics.push_back(d);
            }
        }
    }
    if (auto refs = doc.find("references"); refs != doc.end() && r.array(*refs, "/references")) {
        for (std::size_t i = 0; i < refs->size(); ++i) {
            const std::string p = "/references/" + std::to_string(i);
            Reference ref;
            if (r.object((*refs)[i], p, {"url", "covers"})) {
                r.string((*refs)[i], "url", p, ref.url, true);
                r.string((*refs)[i], "covers", p, ref.covers, false);
                out.references.push_back(ref);
            }
        }
    }
    // Cross-field checks that a single member cannot express.
    const auto& cpu = out.cpu;
    if (cpu.cores.value && cpu.threads.value && *cpu.threads.value < *cpu.cores.value) {
        r.problem("/cpu/threads", "fewer hardware threads than cores");
    }
}

} // namespace

HardwareProfile profile_from_json_collect(const json& document, PlainValueSource plain_source,
                                          std::vector<std::pair<std::string, std::string>>& problems) {
    JsonReader reader(plain_source == PlainValueSource::preset ? Source::preset : Source::profile);
    HardwareProfile profile;
    read_profile(reader, document, profile);
    problems.insert(problems.end(), reader.problems().begin(), reader.problems().end());
    return profile;
}

Result<HardwareProfile> profile_from_json(const json& document, const std::string& document_name,
                                          PlainValueSource plain_source) {
    std::vector<std::pair<std::string, std::string>> problems;
    HardwareProfile profile = profile_from_json_collect(document, plain_source, problems);
    if (!problems.empty()) {
        std::string message = problems.front().second;
        if (problems.size() > 1) {
            message += " (and " + std::to_string(problems.size() - 1) + " more problem" +
                       (problems.size() > 2 ? "s" : "") + ")";
        }
        return make_error(ExitCode::bad_input, document_name + ": " + problems.front().first, message);
    }
    return profile;
}

Result<HardwareProfile> profile_from_text(const std::string& text, const std::string& document_name,
                                          PlainValueSource plain_source) {
    json document;
    try {
        document = json::parse(text);
    } catch (const json::parse_error& e) {
        // nlohmann's message is "[json.exception.parse_error.101] parse error at line 1, ...".
        std::string what = e.what();
        if (auto pos = what.find("] "); pos != std::string::npos) {
            what = what.substr(pos + 2);
        }
        return make_error(ExitCode::bad_input, document_name, "not valid JSON: " + what);
    }
    return profile_from_json(document, document_name, plain_source);
}

} // namespace edgeplan
