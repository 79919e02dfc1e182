// CPU identity, counts, caches and NUMA nodes from an hwloc topology.

#include "hwloc_detail.hpp"

#include <algorithm>
#include <charconv>
#include <string_view>

namespace edgeplan::probe_detail {

namespace {

// CPU identity infos sit on the Package objects, or on the Machine when the backend had no
// per-package data (2arm-2c.xml); the first package that has the key wins.
std::optional<std::string> cpu_info(hwloc_topology_t topology, const char* name) {
    hwloc_obj_t package = nullptr;
    while ((package = hwloc_get_next_obj_by_type(topology, HWLOC_OBJ_PACKAGE, package))) {
        if (auto value = obj_info(package, name)) {
            return value;
        }
    }
    return obj_info(hwloc_get_root_obj(topology), name);
}

std::optional<int> parse_int(const std::optional<std::string>& text) {
    if (!text) {
        return std::nullopt;
    }
    int value = 0;
    const auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc() || ptr != text->data() + text->size()) {
        return std::nullopt;
    }
    return value;
}

CpuIdentity read_identity(hwloc_topology_t topology) {
    CpuIdentity identity;
    identity.architecture = obj_info(hwloc_get_root_obj(topology), "Architecture").value_or("");
    identity.vendor_id = trim(cpu_info(topology, "CPUVendor").value_or(""));
    identity.family = parse_int(cpu_info(topology, "CPUFamilyNumber"));
    identity.model_number = parse_int(cpu_info(topology, "CPUModelNumber"));
    identity.stepping = parse_int(cpu_info(topology, "CPUStepping"));
    identity.model_name = trim(cpu_info(topology, "CPUModel").value_or(""));
    if (auto implementer = cpu_info(topology, "CPUImplementer")) {
        identity.arm_implementer = parse_midr_field(*implementer);
    }
    if (auto part = cpu_info(topology, "CPUPart")) {
        if (auto value = parse_midr_field(*part)) {
            identity.arm_parts.push_back(*value);
        }
    }
    return identity;
}

// Vendor from the identity; brand strings and POWER model names are a weaker hint (older
// exports have CPUModel only), credited as inferred.
void fill_vendor(const CpuIdentity& identity, Source source, CpuInfo& cpu) {
    if (!identity.vendor_id.empty()) {
        const auto name = x86_vendor_name(identity.vendor_id);
        cpu.vendor.set(name.value_or(identity.vendor_id), source);
        return;
    }
    if (identity.arm_implementer) {
        if (auto name = arm_implementer_name(*identity.arm_implementer)) {
            cpu.vendor.set(*name, source);
            return;
        }
    }
    const std::string& model = identity.model_name;
    if (model.rfind("Intel", 0) == 0) {
        cpu.vendor.set("Intel", Source::inferred);
    } else if (model.rfind("AMD", 0) == 0) {
        cpu.vendor.set("AMD", Source::inferred);
    } else if (model.rfind("POWER", 0) == 0) {
        cpu.vendor.set("IBM", Source::inferred);
    }
}

void set_count(Sourced<int>& field, int count, Source source) {
    if (count > 0) {
        field.set(count, source);
    }
}

CacheLevel read_cache(hwloc_topology_t topology, hwloc_obj_type_t type, Source source) {
    // On hybrids an L2 is per P-core but per 4-core E-cluster (Raptor Lake), with different
    // sizes; "one instance" is the largest. A size of 0 means the exporter did not know it.
    CacheLevel level;
    const int count = hwloc_get_nbobjs_by_type(topology, type);
    if (count <= 0) {
        return level;
    }
    level.instances.set(count, source);
    std::uint64_t largest = 0;
    for (int i = 0; i < count; ++i) {
        const hwloc_obj_t cache = hwloc_get_obj_by_type(topology, type, static_cast<unsigned>(i));
        largest = std::max<std::uint64_t>(largest, cache->attr->cache.size);
    }
    if (largest > 0) {
        level.size_bytes.set(largest, source);
    }
    return level;
}

void read_numa_nodes(hwloc_topology_t topology, Source source, CpuInfo& cpu) {
    hwloc_obj_t node = nullptr;
    while ((node = hwloc_get_next_obj_by_type(topology, HWLOC_OBJ_NUMANODE, node)) != nullptr) {
        NumaNode entry;
        entry.index = static_cast<int>(node->os_index);
        if (node->attr->numanode.local_memory > 0) {
            entry.memory_bytes = node->attr->numanode.local_memory;
        }
        entry.kind = node->subtype ? node->subtype : "DRAM";
        cpu.numa_nodes.push_back(std::move(entry));
    }
    if (!cpu.numa_nodes.empty()) {
        cpu.numa_source = source;
    }
}

} // namespace

CpuIdentity read_cpu(hwloc_topology_t topology, TopologyOrigin origin, HardwareProfile& profile) {
    const Source source = source_for(origin);
    CpuInfo& cpu = profile.cpu;
    CpuIdentity identity = read_identity(topology);
    fill_vendor(identity, source, cpu);
    if (!identity.model_name.empty()) {
        cpu.model.set(identity.model_name, source);
    }
    set_count(cpu.packages, hwloc_get_nbobjs_by_type(topology, HWLOC_OBJ_PACKAGE), source);
    set_count(cpu.cores, hwloc_get_nbobjs_by_type(topology, HWLOC_OBJ_CORE), source);
    set_count(cpu.threads, hwloc_get_nbobjs_by_type(topology, HWLOC_OBJ_PU), source);
    cpu.l1d = read_cache(topology, HWLOC_OBJ_L1CACHE, source);
    cpu.l2 = read_cache(topology, HWLOC_OBJ_L2CACHE, source);
    cpu.l3 = read_cache(topology, HWLOC_OBJ_L3CACHE, source);
    read_numa_nodes(topology, source, cpu);
    return identity;
}

void derive_arm_model(const CpuIdentity& identity, CpuInfo& cpu) {
    // ARM Linux exports often have no CPUModel (Kunpeng, GB10); the MIDR part numbers name
    // the cores. Parts are ordered most performant first.
    if (cpu.model.known() || !identity.arm_implementer || identity.arm_parts.empty()) {
        return;
    }
    std::string model;
    for (const unsigned part : identity.arm_parts) {
        const auto name = arm_part_name(*identity.arm_implementer, part);
        if (!name) {
            return;
        }
        model += (model.empty() ? "" : " + ") + *name;
    }
    cpu.model.set(model, Source::inferred);
}

} // namespace edgeplan::probe_detail
