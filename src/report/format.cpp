#include "format.hpp"

#include <fmt/format.h>

#include <array>

namespace edgeplan::report_detail {

std::string format_bytes(std::uint64_t bytes) {
    constexpr std::array<const char*, 6> units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double value = static_cast<double>(bytes);
    std::size_t unit = 0;
    while (value >= 1024.0 && unit + 1 < units.size()) {
        value /= 1024.0;
        ++unit;
    }
    if (unit == 0) {
        return fmt::format("{} B", bytes);
    }
    // Whole numbers print without decimals (32 KiB), others with one (23.5 GiB).
    if (value == static_cast<double>(static_cast<std::uint64_t>(value))) {
        return fmt::format("{} {}", static_cast<std::uint64_t>(value), units[unit]);
    }
    return fmt::format("{:.1f} {}", value, units[unit]);
}

std::string format_number(double value, int decimals) {
    return fmt::format("{:.{}f}", value, decimals);
}

std::string join(const std::vector<std::string>& items, const std::string& separator) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) {
            out += separator;
        }
        out += items[i];
    }
    return out;
}

std::string table_cell(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '|') {
            out += "\\|";
        } else if (c == '\n' || c == '\r') {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

} // namespace edgeplan::report_detail
