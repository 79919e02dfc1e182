// `edgeplan audit --topology FILE`: a profile of another machine from its hwloc XML export.

#include "hwloc_reader.hpp"
#include "isa_inference.hpp"

#include <edgeplan/probe/probe.hpp>

namespace edgeplan {

Result<HardwareProfile> probe_topology_file(const std::filesystem::path& xml_path,
                                            const std::string& display_name) {
    HardwareProfile profile;
    profile.origin = ProfileOrigin{"topology", display_name};
    probe_detail::CpuIdentity identity;
    if (auto read = probe_detail::read_hwloc_xml(xml_path, profile, identity); !read) {
        return read.error();
    }
    // An XML carries no feature flags; the CPU identity tables give what can be known.
    profile.cpu.isa = probe_detail::infer_isa(identity);
    // Power and storage describe the machine edgeplan runs on, not the one in the file:
    // they stay unknown (read_hwloc_xml notes the file's block devices).
    profile.diagnostics.push_back(Diagnostic{
        "info", "topology",
        "fields an hwloc XML cannot carry (available memory, ISA flags, battery, thermal) are "
        "unknown or inferred"});
    return profile;
}

} // namespace edgeplan
