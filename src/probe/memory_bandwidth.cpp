#include "memory_bandwidth.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <new>
#include <thread>
#include <vector>

namespace edgeplan::probe_detail {

namespace {

// Four independent accumulators let the compiler vectorise the loop and keep several loads
// in flight per core, as the dot products of a quantized matmul do.
std::uint64_t sum_slice(const std::uint64_t* data, std::size_t count) {
    std::uint64_t a = 0;
    std::uint64_t b = 0;
    std::uint64_t c = 0;
    std::uint64_t d = 0;
    std::size_t i = 0;
    for (; i + 4 <= count; i += 4) {
        a += data[i];
        b += data[i + 1];
        c += data[i + 2];
        d += data[i + 3];
    }
    for (; i < count; ++i) {
        a += data[i];
    }
    return a + b + c + d;
}

} // namespace

std::size_t read_bandwidth_buffer_bytes(std::optional<std::size_t> l3_total_bytes,
                                        std::optional<std::size_t> available_bytes) {
    // 1 GiB: large enough that a host's last-level cache (up to 1.1 GiB on EPYC parts with
    // stacked cache, which a VM does not see in its own topology) cannot serve it.
    constexpr std::size_t minimum = 1024ull << 20;
    std::size_t size = std::max(minimum, 4 * l3_total_bytes.value_or(0));
    if (available_bytes) {
        size = std::min(size, *available_bytes / 4);
    }
    return size;
}

std::optional<double> measure_read_bandwidth(std::size_t buffer_bytes, int threads) {
    threads = std::max(1, threads);
    const std::size_t count = buffer_bytes / sizeof(std::uint64_t);
    if (count < static_cast<std::size_t>(threads) * 1024) {
        return std::nullopt;
    }
    std::unique_ptr<std::uint64_t[]> buffer(new (std::nothrow) std::uint64_t[count]);
    if (!buffer) {
        return std::nullopt;
    }
    // Touch every page first, so the timed passes measure reads, not page faults.
    for (std::size_t i = 0; i < count; ++i) {
        buffer[i] = i;
    }
    const std::size_t slice = count / static_cast<std::size_t>(threads);
    std::vector<std::uint64_t> sinks(static_cast<std::size_t>(threads), 0);
    std::vector<double> pass_seconds;
    constexpr int passes = 5;
    for (int pass = 0; pass < passes; ++pass) {
        const auto start = std::chrono::steady_clock::now();
        std::vector<std::thread> workers;
        workers.reserve(static_cast<std::size_t>(threads));
        for (int t = 0; t < threads; ++t) {
            workers.emplace_back([&, t] {
                const std::size_t begin = static_cast<std::size_t>(t) * slice;
                const std::size_t length = t + 1 == threads ? count - begin : slice;
                sinks[static_cast<std::size_t>(t)] += sum_slice(buffer.get() + begin, length);
            });
        }
        for (auto& worker : workers) {
            worker.join();
        }
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        pass_seconds.push_back(seconds);
    }
    // The sinks keep the sums observable so the reads cannot be optimised away.
    volatile std::uint64_t keep = 0;
    for (auto value : sinks) {
        keep = keep + value;
    }
    // The median pass, not the best: on a shared host the best pass catches a moment when
    // the neighbours are idle, which a minutes-long decode does not get.
    std::sort(pass_seconds.begin(), pass_seconds.end());
    const double median_seconds = pass_seconds[pass_seconds.size() / 2];
    if (median_seconds <= 0) {
        return std::nullopt;
    }
    return static_cast<double>(count * sizeof(std::uint64_t)) / median_seconds / 1e9;
}

} // namespace edgeplan::probe_detail
