#include "plan_format.hpp"

#include <fmt/format.h>

#include <cmath>

namespace edgeplan::report_detail {

namespace {
constexpr double bytes_per_gib = 1024.0 * 1024.0 * 1024.0;
constexpr double bytes_per_mib = 1024.0 * 1024.0;
} // namespace

std::string gib(std::uint64_t bytes) {
    const double value = static_cast<double>(bytes);
    if (bytes > 0 && value < 0.1 * bytes_per_gib) {
        return fmt::format("{:.0f} MiB", value / bytes_per_mib);
    }
    return fmt::format("{:.1f} GiB", value / bytes_per_gib);
}

std::string gib_signed(std::int64_t bytes) {
    if (bytes < 0) {
        return "-" + gib(static_cast<std::uint64_t>(-bytes));
    }
    return gib(static_cast<std::uint64_t>(bytes));
}

std::string rate_number(double tokens_per_s) {
    if (std::fabs(tokens_per_s) >= 100.0) {
        return fmt::format("{:.0f}", tokens_per_s);
    }
    return fmt::format("{:.1f}", tokens_per_s);
}

std::string rate(double tokens_per_s) {
    return rate_number(tokens_per_s) + " tok/s";
}

std::string millis(double ms) {
    if (std::fabs(ms) >= 100.0) {
        return fmt::format("{:.0f} ms", ms);
    }
    return fmt::format("{:.1f} ms", ms);
}

std::string unknown_because(const std::optional<std::string>& reason) {
    return reason && !reason->empty() ? "unknown (" + *reason + ")" : std::string("unknown");
}

} // namespace edgeplan::report_detail
