#include "linux_probe.hpp"

#include <charconv>
#include <utility>

#include <sys/utsname.h>

namespace edgeplan::probe_detail {

namespace {

std::optional<std::uint64_t> meminfo_bytes(const std::string& text, std::string_view key) {
    // Lines look like "MemTotal:       24684084 kB"; the kernel's "kB" is KiB (fs/proc/meminfo.c).
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto end = text.find('\n', pos);
        std::string_view line(text.data() + pos,
                              (end == std::string::npos ? text.size() : end) - pos);
        pos = end == std::string::npos ? text.size() : end + 1;
        if (line.size() <= key.size() || line.substr(0, key.size()) != key ||
            line[key.size()] != ':') {
            continue;
        }
        const auto words = split_words(line.substr(key.size() + 1));
        std::uint64_t value = 0;
        if (words.empty()) {
            return std::nullopt;
        }
        auto [ptr, ec] = std::from_chars(words[0].data(), words[0].data() + words[0].size(), value);
        if (ec != std::errc() || ptr != words[0].data() + words[0].size()) {
            return std::nullopt;
        }
        const bool kib = words.size() > 1 && words[1] == "kB";
        return kib ? value * 1024 : value;
    }
    return std::nullopt;
}

} // namespace

void read_linux_system(const SysRoot& root, HardwareProfile& profile) {
    if (auto text = root.read_file("/etc/os-release")) {
        // os-release(5): shell-style KEY=value lines, values optionally quoted.
        std::string_view rest = *text;
        while (!rest.empty()) {
            const auto end = rest.find('\n');
            std::string line = trim_view(rest.substr(0, end));
            rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
            if (line.rfind("PRETTY_NAME=", 0) != 0) {
                continue;
            }
            std::string value = line.substr(12);
            if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
                value.back() == value.front()) {
                value = value.substr(1, value.size() - 2);
            }
            if (!value.empty()) {
                // Replaces hwloc's OSName, which is only the kernel's name ("Linux").
                profile.system.os.set(value, Source::os);
            }
        }
    }
    if (root.is_host()) {
        struct utsname names {};
        if (::uname(&names) == 0) {
            profile.system.kernel.fill(names.release, Source::os);
            profile.system.architecture.fill(names.machine, Source::os);
        }
    } else {
        if (auto release = root.read_line("/proc/sys/kernel/osrelease")) {
            profile.system.kernel.fill(*release, Source::procfs);
        }
        if (auto arch = root.read_line("/proc/sys/kernel/arch")) {
            profile.system.architecture.fill(*arch, Source::procfs);
        }
    }
}

void read_meminfo(const SysRoot& root, HardwareProfile& profile) {
    auto text = root.read_file("/proc/meminfo");
    if (!text) {
        add_os_diagnostic(profile, "warning", "memory.total_bytes",
                          "/proc/meminfo is not readable");
        return;
    }
    // The OS figures replace hwloc's: the kernel is the authority for totals (hwloc's NUMA
    // sizes undercount on some VMs, see probe_live.cpp).
    auto& memory = profile.memory;
    const std::pair<Sourced<std::uint64_t>*, std::string_view> fields[] = {
        {&memory.total_bytes, "MemTotal"},
        {&memory.available_bytes, "MemAvailable"},
        {&memory.swap_total_bytes, "SwapTotal"},
        {&memory.swap_free_bytes, "SwapFree"}};
    for (const auto& [field, key] : fields) {
        if (auto bytes = meminfo_bytes(*text, key)) {
            field->set(*bytes, Source::procfs);
        }
    }
}

void add_os_diagnostic(HardwareProfile& profile, std::string severity, std::string where,
                       std::string message) {
    profile.diagnostics.push_back({std::move(severity), std::move(where), std::move(message)});
}

} // namespace edgeplan::probe_detail
