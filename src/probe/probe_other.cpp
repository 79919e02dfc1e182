// probe_live for platforms with no live OS layer yet (Windows, the BSDs). The topology
// file path (probe_topology_file) works everywhere hwloc builds.

#include <edgeplan/probe/probe.hpp>

namespace edgeplan {

Result<HardwareProfile> probe_live(const LiveProbeOptions& /*options*/) {
    return make_error(ExitCode::probe_failed, "audit",
                      "live audit is supported on Linux and macOS; use --topology or "
                      "--hardware on this system");
}

} // namespace edgeplan
