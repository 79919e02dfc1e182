// Memory type and speed from the SMBIOS "Memory Device" records (type 17) that Linux
// exposes as /sys/firmware/dmi/entries/17-N/raw (root-readable). Layout and codes from
// DMTF DSP0134 (SMBIOS Reference Specification 3.7), section 7.18:
//   0x0C Size (WORD, 0 = slot empty), 0x12 Memory Type (BYTE), 0x15 Speed (WORD, MT/s,
//   since 2.3), 0x20 Configured Memory Speed (WORD, MT/s, since 2.7), 0x54 Extended Speed
//   (DWORD, since 3.3, used when Speed is 0xFFFF).
#include "linux_probe.hpp"

#include <algorithm>
#include <map>

namespace edgeplan::probe_detail {

namespace {

std::uint32_t little_endian(const std::string& raw, std::size_t offset, std::size_t bytes) {
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < bytes; ++i) {
        value |= static_cast<std::uint32_t>(static_cast<unsigned char>(raw[offset + i])) << (8 * i);
    }
    return value;
}

std::optional<std::string> memory_type_name(unsigned code) {
    // DSP0134 table 76 ("Memory Device - Type").
    static const std::map<unsigned, std::string> names = {
        {0x18, "DDR3"},   {0x1A, "DDR4"},   {0x1B, "LPDDR"},  {0x1C, "LPDDR2"},
        {0x1D, "LPDDR3"}, {0x1E, "LPDDR4"}, {0x20, "HBM"},    {0x21, "HBM2"},
        {0x22, "DDR5"},   {0x23, "LPDDR5"}, {0x24, "HBM3"}};
    auto it = names.find(code);
    return it == names.end() ? std::nullopt : std::optional<std::string>(it->second);
}

} // namespace

SmbiosMemoryDevice parse_smbios_memory_device(const std::string& raw) {
    SmbiosMemoryDevice device;
    // The formatted area's length is byte 1; fields beyond it are absent in older versions.
    if (raw.size() < 0x15 || static_cast<unsigned char>(raw[0]) != 17) {
        return device;
    }
    const std::size_t length = std::min<std::size_t>(static_cast<unsigned char>(raw[1]), raw.size());
    if (length < 0x13) {
        return device;
    }
    device.populated = little_endian(raw, 0x0C, 2) != 0;
    device.type = memory_type_name(static_cast<unsigned char>(raw[0x12]));
    std::uint32_t speed = 0;
    if (length >= 0x22) {
        speed = little_endian(raw, 0x20, 2); // configured: what the DIMM actually runs at
    }
    if ((speed == 0 || speed == 0xFFFF) && length >= 0x17) {
        speed = little_endian(raw, 0x15, 2);
    }
    if (speed == 0xFFFF && length >= 0x58) {
        speed = little_endian(raw, 0x54, 4) & 0x7FFFFFFF;
    }
    if (speed != 0 && speed != 0xFFFF) {
        device.speed_mts = static_cast<int>(speed);
    }
    return device;
}

void read_smbios_memory(const SysRoot& root, HardwareProfile& profile) {
    const auto entries = root.list_dir("sys/firmware/dmi/entries");
    if (!entries) {
        return;
    }
    std::optional<std::string> type;
    std::optional<int> slowest;
    for (const auto& entry : *entries) {
        if (entry.rfind("17-", 0) != 0) {
            continue;
        }
        const auto raw = root.read_file("sys/firmware/dmi/entries/" + entry + "/raw");
        if (!raw) {
            continue;
        }
        const auto device = parse_smbios_memory_device(*raw);
        if (!device.populated) {
            continue;
        }
        if (device.type && !type) {
            type = device.type;
        }
        // Mixed modules run at the slowest one's speed.
        if (device.speed_mts && (!slowest || *device.speed_mts < *slowest)) {
            slowest = device.speed_mts;
        }
    }
    if (type) {
        profile.memory.type.fill(*type, Source::sysfs);
    }
    if (slowest) {
        profile.memory.speed_mts.fill(*slowest, Source::sysfs);
    }
}

} // namespace edgeplan::probe_detail
