#pragma once

// Number formats of the plan report (issue 5): GiB with one decimal, tok/s with one decimal
// (none at 100 and above, where the decimal is noise), milliseconds with one decimal below
// 100 ms and none above. Shared by the Markdown text and the stack diagram.

#include <cstdint>
#include <optional>
#include <string>

namespace edgeplan::report_detail {

/// "23.5 GiB"; below 0.1 GiB "48 MiB", so a non-zero buffer never reads "0.0 GiB".
std::string gib(std::uint64_t bytes);
/// Like gib, with a leading "-" for a negative margin.
std::string gib_signed(std::int64_t bytes);
/// "95.3" or "3210" (tokens per second, no unit).
std::string rate_number(double tokens_per_s);
/// "95.3 tok/s".
std::string rate(double tokens_per_s);
/// "12.5 ms" or "160 ms".
std::string millis(double ms);
/// "unknown (reason)", or "unknown" without a reason.
std::string unknown_because(const std::optional<std::string>& reason);

} // namespace edgeplan::report_detail
