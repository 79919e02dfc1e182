#include "linux_probe.hpp"

#include <set>
#include <utility>

namespace edgeplan::probe_detail {

namespace {

constexpr std::string_view cpu_dir = "/sys/devices/system/cpu";

std::string cpu_path(int cpu, std::string_view leaf) {
    return std::string(cpu_dir) + "/cpu" + std::to_string(cpu) + "/" + std::string(leaf);
}

void read_topology(const SysRoot& root, HardwareProfile& profile) {
    // Only online CPUs can run threads (Documentation/ABI/testing/sysfs-devices-system-cpu).
    auto online_text = root.read_line(std::string(cpu_dir) + "/online");
    if (!online_text) {
        return;
    }
    auto online = parse_cpu_list(*online_text);
    if (!online || online->empty()) {
        return;
    }
    profile.cpu.threads.fill(static_cast<int>(online->size()), Source::sysfs);

    // A core is a (package, core id) pair: core ids repeat across packages
    // (Documentation/admin-guide/cputopology.rst).
    std::set<std::int64_t> packages;
    std::set<std::pair<std::int64_t, std::int64_t>> cores;
    for (int cpu : *online) {
        auto package = root.read_signed(cpu_path(cpu, "topology/physical_package_id"));
        auto core = root.read_signed(cpu_path(cpu, "topology/core_id"));
        if (!package || !core) {
            // Without a full topology a partial count would be wrong, not merely incomplete.
            return;
        }
        packages.insert(*package);
        cores.insert({*package, *core});
    }
    profile.cpu.packages.fill(static_cast<int>(packages.size()), Source::sysfs);
    profile.cpu.cores.fill(static_cast<int>(cores.size()), Source::sysfs);
}

void read_cpufreq(const SysRoot& root, HardwareProfile& profile) {
    // cpufreq attributes: Documentation/admin-guide/pm/cpufreq.rst. cpu0 stands for the
    // machine; hybrid parts have per-kind maxima, which hwloc's cpukinds carry.
    if (auto governor = root.read_line(cpu_path(0, "cpufreq/scaling_governor"))) {
        profile.cpu.frequency_governor.fill(*governor, Source::sysfs);
    }
    if (auto khz = root.read_unsigned(cpu_path(0, "cpufreq/cpuinfo_max_freq")); khz && *khz > 0) {
        profile.cpu.frequency_max_mhz.fill(static_cast<int>(*khz / 1000), Source::sysfs);
    }
}

} // namespace

void read_cpu_sysfs(const SysRoot& root, HardwareProfile& profile) {
    read_topology(root, profile);
    read_cpufreq(root, profile);
}

} // namespace edgeplan::probe_detail
