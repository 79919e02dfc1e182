#include "linux_probe.hpp"

#include <algorithm>

namespace edgeplan::probe_detail {

namespace {

// cgroup v1 writes "no limit" as the largest page-aligned signed 64-bit value
// (9223372036854771712 with 4 KiB pages); anything this large is no limit in practice.
constexpr std::uint64_t v1_unlimited_threshold = std::uint64_t{1} << 60;

/// The cgroup path of this process for one hierarchy: "0::/path" for v2 (empty
/// controller list), "N:memory:/path" for v1 (cgroups(7), /proc/[pid]/cgroup).
std::optional<std::string> cgroup_path(const std::string& self_cgroup, bool v2) {
    std::string_view rest = self_cgroup;
    while (!rest.empty()) {
        const auto end = rest.find('\n');
        const std::string_view line = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
        const auto first = line.find(':');
        const auto second = line.find(':', first + 1);
        if (first == std::string_view::npos || second == std::string_view::npos) {
            continue;
        }
        const std::string_view controllers = line.substr(first + 1, second - first - 1);
        bool match = v2 ? controllers.empty() : false;
        if (!v2) {
            std::string_view list = controllers;
            while (!list.empty() && !match) {
                const auto comma = list.find(',');
                match = list.substr(0, comma) == "memory";
                list =
                    comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
            }
        }
        if (match) {
            return std::string(line.substr(second + 1));
        }
    }
    return std::nullopt;
}

/// The smallest limit on the way from `path` up to `base`: a parent's limit also binds its
/// children, and inside a container the visible tree starts at the container's own cgroup.
std::optional<std::uint64_t> tightest_limit(const SysRoot& root, const std::string& base,
                                            std::string path, const std::string& file) {
    std::optional<std::uint64_t> limit;
    while (true) {
        if (auto value = root.read_unsigned(base + path + "/" + file)) {
            limit = limit ? std::min(*limit, *value) : *value;
        }
        if (path.empty() || path == "/") {
            break;
        }
        const auto slash = path.rfind('/');
        path = slash == std::string::npos ? std::string() : path.substr(0, slash);
    }
    return limit;
}

} // namespace

void read_cgroup_limit(const SysRoot& root, HardwareProfile& profile) {
    const std::string self = root.read_file("/proc/self/cgroup").value_or("");
    // v2 (Documentation/admin-guide/cgroup-v2.rst): memory.max holds bytes or "max";
    // read_unsigned treats "max" as no value, which is exactly "no limit".
    if (root.exists("/sys/fs/cgroup/cgroup.controllers")) {
        const auto path = cgroup_path(self, true).value_or("");
        if (auto limit = tightest_limit(root, "/sys/fs/cgroup", path, "memory.max")) {
            profile.memory.cgroup_limit_bytes.fill(*limit, Source::sysfs);
        }
        return;
    }
    // v1 (Documentation/admin-guide/cgroup-v1/memory.rst): memory.limit_in_bytes.
    if (root.is_directory("/sys/fs/cgroup/memory")) {
        const auto path = cgroup_path(self, false).value_or("");
        auto limit = tightest_limit(root, "/sys/fs/cgroup/memory", path, "memory.limit_in_bytes");
        if (limit && *limit < v1_unlimited_threshold) {
            profile.memory.cgroup_limit_bytes.fill(*limit, Source::sysfs);
        }
    }
}

} // namespace edgeplan::probe_detail
