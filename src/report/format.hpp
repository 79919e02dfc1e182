#pragma once

// Small text formatters shared by the report renderers. Binary units (GiB = 2^30 bytes)
// for memory, because that is what OS tools and engine logs print.

#include <edgeplan/core/sourced.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace edgeplan::report_detail {

/// "23.5 GiB", "512 MiB", "32 KiB", "0 B".
std::string format_bytes(std::uint64_t bytes);

/// "1,008 GB/s"-style decimal with the given number of decimals and no grouping.
std::string format_number(double value, int decimals);

/// The value, or "unknown".
template <typename T, typename F> std::string known_or_unknown(const Sourced<T>& field, F format) {
    return field.value ? format(*field.value) : std::string("unknown");
}

/// Joins with ", ".
std::string join(const std::vector<std::string>& items, const std::string& separator = ", ");

/// Escapes characters that would break a Markdown table cell ("|", newlines).
std::string table_cell(const std::string& text);

} // namespace edgeplan::report_detail
