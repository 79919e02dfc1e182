#include "sysroot.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <system_error>

#include <fcntl.h>
#include <unistd.h>

namespace edgeplan::probe_detail {

namespace {

// Large enough for /proc/cpuinfo of a many-core server (about 2 KiB per CPU); a guard
// against a fixture or a misbehaving pseudo file, not a real limit.
constexpr std::size_t max_file_bytes = 64u << 20;

bool is_space(char c) {
    return std::isspace(static_cast<unsigned char>(c)) != 0;
}

} // namespace

SysRoot::SysRoot(std::filesystem::path root) : root_(std::move(root)) {}

bool SysRoot::is_host() const {
    return root_ == "/";
}

std::filesystem::path SysRoot::resolve(std::string_view path) const {
    while (!path.empty() && path.front() == '/') {
        path.remove_prefix(1);
    }
    return root_ / std::filesystem::path(path);
}

std::optional<std::string> SysRoot::read_file(std::string_view path) const {
    // POSIX read, not iostreams: sysfs attributes report errors (EIO, ENODATA) on read,
    // and a pseudo file's size is not known in advance.
    const int fd = ::open(resolve(path).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return std::nullopt;
    }
    std::string text;
    char buffer[8192];
    while (text.size() < max_file_bytes) {
        const ssize_t got = ::read(fd, buffer, sizeof buffer);
        if (got < 0) {
            ::close(fd);
            return std::nullopt;
        }
        if (got == 0) {
            break;
        }
        text.append(buffer, static_cast<std::size_t>(got));
    }
    ::close(fd);
    return text;
}

std::optional<std::string> SysRoot::read_line(std::string_view path) const {
    auto text = read_file(path);
    if (!text) {
        return std::nullopt;
    }
    const auto end = text->find('\n');
    std::string line = trim_view(std::string_view(*text).substr(0, end));
    if (line.empty()) {
        return std::nullopt;
    }
    return line;
}

std::optional<std::uint64_t> SysRoot::read_unsigned(std::string_view path) const {
    auto line = read_line(path);
    if (!line) {
        return std::nullopt;
    }
    std::string_view digits = *line;
    int base = 10;
    if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
        digits.remove_prefix(2);
        base = 16;
    }
    std::uint64_t value = 0;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
    if (ec != std::errc() || ptr != digits.data() + digits.size()) {
        return std::nullopt;
    }
    return value;
}

std::optional<std::int64_t> SysRoot::read_signed(std::string_view path) const {
    auto line = read_line(path);
    if (!line) {
        return std::nullopt;
    }
    std::int64_t value = 0;
    auto [ptr, ec] = std::from_chars(line->data(), line->data() + line->size(), value);
    if (ec != std::errc() || ptr != line->data() + line->size()) {
        return std::nullopt;
    }
    return value;
}

std::optional<std::vector<std::string>> SysRoot::list_dir(std::string_view path) const {
    std::error_code ec;
    std::filesystem::directory_iterator it(resolve(path), ec);
    if (ec) {
        return std::nullopt;
    }
    std::vector<std::string> names;
    for (const std::filesystem::directory_iterator end; it != end; it.increment(ec)) {
        if (ec) {
            break;
        }
        std::string name = it->path().filename().string();
        if (!name.empty() && name.front() != '.') {
            names.push_back(std::move(name));
        }
    }
    std::sort(names.begin(), names.end());
    return names;
}

std::optional<std::string> SysRoot::read_link(std::string_view path) const {
    std::error_code ec;
    auto target = std::filesystem::read_symlink(resolve(path), ec);
    if (ec) {
        return std::nullopt;
    }
    return target.string();
}

std::optional<std::string> SysRoot::link_basename(std::string_view path) const {
    auto target = read_link(path);
    if (!target) {
        return std::nullopt;
    }
    std::string_view text = *target;
    while (!text.empty() && text.back() == '/') {
        text.remove_suffix(1);
    }
    const auto slash = text.rfind('/');
    std::string name(slash == std::string_view::npos ? text : text.substr(slash + 1));
    if (name.empty()) {
        return std::nullopt;
    }
    return name;
}

bool SysRoot::exists(std::string_view path) const {
    std::error_code ec;
    return std::filesystem::exists(resolve(path), ec);
}

bool SysRoot::is_directory(std::string_view path) const {
    std::error_code ec;
    return std::filesystem::is_directory(resolve(path), ec);
}

std::string trim_view(std::string_view text) {
    while (!text.empty() && is_space(text.front())) {
        text.remove_prefix(1);
    }
    while (!text.empty() && is_space(text.back())) {
        text.remove_suffix(1);
    }
    return std::string(text);
}

std::vector<std::string> split_words(std::string_view text) {
    std::vector<std::string> words;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && is_space(text[i])) {
            ++i;
        }
        const std::size_t start = i;
        while (i < text.size() && !is_space(text[i])) {
            ++i;
        }
        if (i > start) {
            words.emplace_back(text.substr(start, i - start));
        }
    }
    return words;
}

std::optional<std::vector<int>> parse_cpu_list(std::string_view text) {
    // Format of /sys/devices/system/cpu/online: Documentation/ABI/testing/sysfs-devices-system-cpu.
    std::vector<int> cpus;
    const std::string trimmed = trim_view(text);
    std::string_view rest = trimmed;
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        std::string_view range = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        const auto dash = range.find('-');
        int first = 0;
        int last = 0;
        auto parse = [](std::string_view part, int& out) {
            auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), out);
            return ec == std::errc() && ptr == part.data() + part.size() && out >= 0;
        };
        if (!parse(range.substr(0, dash), first)) {
            return std::nullopt;
        }
        last = first;
        if (dash != std::string_view::npos && !parse(range.substr(dash + 1), last)) {
            return std::nullopt;
        }
        if (last < first || last - first > 1 << 16) {
            return std::nullopt;
        }
        for (int cpu = first; cpu <= last; ++cpu) {
            cpus.push_back(cpu);
        }
    }
    return cpus;
}

} // namespace edgeplan::probe_detail
