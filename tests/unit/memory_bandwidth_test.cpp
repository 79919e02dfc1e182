#include "probe/memory_bandwidth.hpp"

#include <catch2/catch.hpp>

using namespace edgeplan::probe_detail;

TEST_CASE("the bandwidth buffer outgrows the caches but not the free memory", "[probe][memory]") {
    constexpr std::size_t mib = 1ull << 20;
    CHECK(read_bandwidth_buffer_bytes(std::nullopt, std::nullopt) == 1024 * mib);
    CHECK(read_bandwidth_buffer_bytes(32 * mib, std::nullopt) == 1024 * mib);
    CHECK(read_bandwidth_buffer_bytes(384 * mib, std::nullopt) == 4 * 384 * mib); // EPYC 9654
    CHECK(read_bandwidth_buffer_bytes(384 * mib, 2048 * mib) == 512 * mib);
    CHECK(read_bandwidth_buffer_bytes(32 * mib, 16384 * mib) == 1024 * mib);
}

TEST_CASE("a read-bandwidth measurement gives a plausible figure", "[probe][memory]") {
    // 64 MiB keeps the test fast; it may partly hit the L3, so only the range is checked:
    // any machine streams between 0.1 GB/s and 10 TB/s.
    const auto gbps = measure_read_bandwidth(64ull << 20, 2);
    REQUIRE(gbps.has_value());
    CHECK(*gbps > 0.1);
    CHECK(*gbps < 10000.0);
    CHECK_FALSE(measure_read_bandwidth(1024, 4).has_value()); // too small to split
}
