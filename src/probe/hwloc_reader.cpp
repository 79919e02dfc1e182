// Opening an hwloc topology (live or XML) and the pieces shared by the hwloc layer. The CPU,
// cpukind and I/O parts live in hwloc_cpu.cpp, hwloc_kinds.cpp and hwloc_io.cpp.

#include "hwloc_reader.hpp"

#include "hwloc_detail.hpp"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <fstream>
#include <memory>
#include <system_error>

namespace edgeplan::probe_detail {

namespace {

struct TopologyDeleter {
    void operator()(hwloc_topology* topology) const {
        hwloc_topology_destroy(topology);
    }
};
using TopologyPtr = std::unique_ptr<hwloc_topology, TopologyDeleter>;

// How many bytes of an XML file are searched for the format version: the <topology> element
// follows the XML declaration and DOCTYPE, well within the first 4 KiB of any export.
constexpr std::size_t version_sniff_bytes = 4096;

// I/O objects are off by default in the library (on in lstopo) and must be enabled before
// load, for XML too, or every PCI and OS device in the file is dropped (notes: hwloc.md 2.5,
// 2.7). OS devices are kept whole: without vendor plugins the DRM card nodes are the only
// OS-level GPU handle, and KEEP_IMPORTANT drops them. DMA channels are skipped when read.
void set_io_filters(hwloc_topology_t topology) {
    hwloc_topology_set_io_types_filter(topology, HWLOC_TYPE_FILTER_KEEP_IMPORTANT);
    hwloc_topology_set_type_filter(topology, HWLOC_OBJ_OS_DEVICE, HWLOC_TYPE_FILTER_KEEP_ALL);
}

Result<TopologyPtr> init_topology() {
    hwloc_topology_t raw = nullptr;
    if (hwloc_topology_init(&raw) != 0) {
        return make_error(ExitCode::probe_failed, "hwloc", "could not initialise hwloc");
    }
    TopologyPtr topology(raw);
    set_io_filters(topology.get());
    // hwloc's "gl" plugin (libhwloc-plugins) opens X displays :0 to :9 to find NV-CONTROL
    // GPUs; with no local X server, Xlib falls back to TCP to 127.0.0.1:6000+N. edgeplan
    // never touches the network, and NVML already names NVIDIA GPUs, so the plugin is off
    // (tests/network/no_network.sh caught the connect() calls).
    hwloc_topology_set_components(topology.get(), HWLOC_TOPOLOGY_COMPONENTS_FLAG_BLACKLIST, "gl");
    return topology;
}

// Reads the start of the file: catches missing, unreadable, empty and v3-format files with a
// message naming the problem, before hwloc reports them all as EINVAL.
Status check_xml_file(const std::filesystem::path& path, const std::string& where) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        return make_error(ExitCode::bad_input, where, "file not found");
    }
    if (std::filesystem::is_directory(path, ec)) {
        return make_error(ExitCode::bad_input, where, "is a directory, not an hwloc XML file");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return make_error(ExitCode::bad_input, where, "cannot be read (permission denied?)");
    }
    std::string head(version_sniff_bytes, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    if (head.find_first_not_of(" \t\r\n") == std::string::npos) {
        return make_error(ExitCode::bad_input, where, "file is empty");
    }
    if (head.find("<topology version=\"3.") != std::string::npos) {
        return make_error(ExitCode::bad_input, where,
                          "hwloc XML format 3.0 is not supported by hwloc 2.x; re-export it "
                          "with `lstopo --export-xml-flags v2 FILE.xml`");
    }
    return Done{};
}

void read_all(hwloc_topology_t topology, TopologyOrigin origin, HardwareProfile& profile,
              CpuIdentity& identity) {
    read_system(topology, origin, profile);
    identity = read_cpu(topology, origin, profile);
    read_cpu_kinds(topology, origin, profile, identity);
    derive_arm_model(identity, profile.cpu);
    if (origin == TopologyOrigin::xml) {
        read_memory_total(topology, profile);
    }
    read_io_devices(topology, origin, profile);
}

} // namespace

Source source_for(TopologyOrigin origin) {
    return origin == TopologyOrigin::live ? Source::hwloc : Source::xml;
}

std::optional<std::string> obj_info(hwloc_obj_t obj, const char* name) {
    if (!obj) {
        return std::nullopt;
    }
    const char* value = hwloc_obj_get_info_by_name(obj, name);
    if (!value || !*value) {
        return std::nullopt;
    }
    return std::string(value);
}

std::string trim(const std::string& text) {
    const auto is_space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
    std::size_t begin = 0;
    std::size_t end = text.size();
    while (begin < end && is_space(text[begin])) {
        ++begin;
    }
    while (end > begin && is_space(text[end - 1])) {
        --end;
    }
    return text.substr(begin, end - begin);
}

std::optional<std::uint64_t> parse_kib_size(const std::string& text) {
    const std::string value = trim(text);
    std::uint64_t number = 0;
    const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (ec != std::errc() || ptr == value.data() || number == 0) {
        return std::nullopt;
    }
    const std::string unit = trim(std::string(ptr, value.data() + value.size()));
    unsigned shift = 0;
    if (unit.empty() || unit == "KiB" || unit == "kB" || unit == "KB") {
        shift = 10;
    } else if (unit == "MiB" || unit == "MB") {
        shift = 20;
    } else if (unit == "GiB" || unit == "GB") {
        shift = 30;
    } else if (unit == "TiB" || unit == "TB") {
        shift = 40;
    } else {
        return std::nullopt;
    }
    if (number > (UINT64_MAX >> shift)) {
        return std::nullopt;
    }
    return number << shift;
}

void add_diagnostic(HardwareProfile& profile, const char* severity, std::string where,
                    std::string message) {
    profile.diagnostics.push_back(Diagnostic{severity, std::move(where), std::move(message)});
}

void read_system(hwloc_topology_t topology, TopologyOrigin origin, HardwareProfile& profile) {
    // Root infos set by the Linux/Darwin backends at export time. HostName is deliberately
    // not read: reports carry no host names.
    const hwloc_obj_t root = hwloc_get_root_obj(topology);
    const Source source = source_for(origin);
    if (auto os = obj_info(root, "OSName")) {
        profile.system.os.set(*os, source);
    }
    if (auto kernel = obj_info(root, "OSRelease")) {
        profile.system.kernel.set(*kernel, source);
    }
    if (auto architecture = obj_info(root, "Architecture")) {
        profile.system.architecture.set(*architecture, source);
    }
}

void read_memory_total(hwloc_topology_t topology, HardwareProfile& profile) {
    // root->total_memory would count GPU-memory NUMA nodes (POWER9/Grace V100 memory) as
    // system RAM; sum the other nodes instead (notes: hwloc.md 2.3).
    std::uint64_t total = 0;
    int nodes_without_size = 0;
    hwloc_obj_t node = nullptr;
    while ((node = hwloc_get_next_obj_by_type(topology, HWLOC_OBJ_NUMANODE, node)) != nullptr) {
        if (node->subtype && std::string_view(node->subtype) == "GPUMemory") {
            continue;
        }
        if (node->attr->numanode.local_memory == 0) {
            ++nodes_without_size;
        } else {
            total += node->attr->numanode.local_memory;
        }
    }
    if (nodes_without_size > 0) {
        // A partial sum would understate the machine; CPUID-only exports have no sizes at all.
        add_diagnostic(profile, "info", "memory.total_bytes",
                       "the topology gives no size for some NUMA nodes (a CPUID-only export?); "
                       "total memory is unknown");
        return;
    }
    if (total > 0) {
        profile.memory.total_bytes.set(total, Source::xml);
    }
}

Status read_hwloc_live(HardwareProfile& profile) {
    auto topology = init_topology();
    if (!topology) {
        return topology.error();
    }
    if (hwloc_topology_load(topology->get()) != 0) {
        return make_error(ExitCode::probe_failed, "hwloc",
                          "hwloc could not discover this machine's topology");
    }
    if (!hwloc_topology_is_thissystem(topology->get())) {
        // HWLOC_XMLFILE or HWLOC_SYNTHETIC in the environment replace live discovery
        // silently (notes: hwloc.md 2.7); the audit must not pass another machine off as this.
        add_diagnostic(profile, "warning", "topology",
                       "hwloc did not describe this machine (HWLOC_XMLFILE or HWLOC_SYNTHETIC "
                       "set?); CPU and GPU figures may belong to another system");
    }
    CpuIdentity identity;
    read_all(topology->get(), TopologyOrigin::live, profile, identity);
    return Done{};
}

Status read_hwloc_xml(const std::filesystem::path& path, HardwareProfile& profile,
                      CpuIdentity& identity) {
    const std::string where = path.filename().string();
    if (auto checked = check_xml_file(path, where); !checked) {
        return checked.error();
    }
    auto topology = init_topology();
    if (!topology) {
        return topology.error();
    }
    const std::string file = path.string();
    if (hwloc_topology_set_xml(topology->get(), file.c_str()) != 0 ||
        hwloc_topology_load(topology->get()) != 0) {
        return make_error(ExitCode::bad_input, where, "not a valid hwloc XML topology");
    }
    read_all(topology->get(), TopologyOrigin::xml, profile, identity);
    return Done{};
}

Status read_hwloc_xml(const std::filesystem::path& path, HardwareProfile& profile) {
    CpuIdentity identity;
    return read_hwloc_xml(path, profile, identity);
}

} // namespace edgeplan::probe_detail
