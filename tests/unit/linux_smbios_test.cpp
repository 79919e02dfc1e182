#include "probe/linux_probe.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace edgeplan;
using namespace edgeplan::probe_detail;

namespace {

/// A type-17 record of SMBIOS 3.3 length (0x5C) with the fields the parser reads.
std::string record(unsigned size_mb, unsigned char type, unsigned speed, unsigned configured,
                   unsigned char length = 0x5C) {
    std::string raw(0x5C, '\0');
    raw[0] = 17;
    raw[1] = static_cast<char>(length);
    raw[0x0C] = static_cast<char>(size_mb & 0xFF);
    raw[0x0D] = static_cast<char>(size_mb >> 8);
    raw[0x12] = static_cast<char>(type);
    raw[0x15] = static_cast<char>(speed & 0xFF);
    raw[0x16] = static_cast<char>(speed >> 8);
    raw[0x20] = static_cast<char>(configured & 0xFF);
    raw[0x21] = static_cast<char>(configured >> 8);
    return raw;
}

} // namespace

TEST_CASE("SMBIOS memory devices: type and configured speed", "[linux][smbios]") {
    const auto ddr5 = parse_smbios_memory_device(record(16384, 0x22, 5600, 4800));
    CHECK(ddr5.populated);
    CHECK(ddr5.type == "DDR5");
    CHECK(ddr5.speed_mts == 4800); // configured speed wins over the rated one
    // An SMBIOS 2.3 record (length 0x1B) has no configured speed: the rated one is used.
    const auto old = parse_smbios_memory_device(record(8192, 0x1A, 3200, 2933, 0x1B));
    CHECK(old.type == "DDR4");
    CHECK(old.speed_mts == 3200);
    CHECK_FALSE(parse_smbios_memory_device(record(0, 0x02, 0, 0)).populated);
    CHECK_FALSE(parse_smbios_memory_device("garbage").populated);
    CHECK_FALSE(parse_smbios_memory_device(std::string(3, '\x11')).populated);
}

TEST_CASE("SMBIOS entries of a fixture machine fill memory type and speed", "[linux][smbios]") {
    const SysRoot root(std::string(EDGEPLAN_FIXTURES_DIR) + "/sysroot/nvidia-desktop");
    HardwareProfile profile;
    read_smbios_memory(root, profile);
    CHECK(profile.memory.type.value == "DDR5");
    CHECK(profile.memory.type.source == Source::sysfs);
    CHECK(profile.memory.speed_mts.value == 5200);
    HardwareProfile bare;
    read_smbios_memory(SysRoot(std::string(EDGEPLAN_FIXTURES_DIR) + "/sysroot/bare-vm"), bare);
    CHECK_FALSE(bare.memory.type.known());
}
