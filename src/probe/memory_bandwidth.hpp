#pragma once

// A short streaming-read benchmark: what a memory-bound LLM decode on the CPU can read per
// second, measured rather than taken from a datasheet (VMs and laptops rarely say).

#include <cstddef>
#include <optional>

namespace edgeplan::probe_detail {

/// Sustained read bandwidth in GB/s (10^9 B/s): `threads` threads each stream their share
/// of a `buffer_bytes` buffer; the median of five passes counts. nullopt if the buffer
/// cannot be allocated. Takes roughly buffer_bytes / bandwidth x 6 plus the first touch.
std::optional<double> measure_read_bandwidth(std::size_t buffer_bytes, int threads);

/// Buffer size for the measurement: four times the last-level cache so caches cannot
/// serve it, at least 1 GiB, at most a quarter of the available memory.
std::size_t read_bandwidth_buffer_bytes(std::optional<std::size_t> l3_total_bytes,
                                        std::optional<std::size_t> available_bytes);

} // namespace edgeplan::probe_detail
