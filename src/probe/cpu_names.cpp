// Names for the raw CPU identity values hwloc records: x86 CPUID vendor strings and ARM MIDR
// implementer/part numbers. Declared in isa_inference.hpp, which uses the same tables.

#include "isa_inference.hpp"

#include <charconv>

namespace edgeplan::probe_detail {

std::optional<std::string> x86_vendor_name(const std::string& vendor_id) {
    // CPUID leaf 0 vendor strings (Intel SDM vol. 2A "CPUID"; AMD APM vol. 3; Hygon and
    // Zhaoxin as listed by the Linux kernel, arch/x86/kernel/cpu/*.c).
    if (vendor_id == "GenuineIntel") {
        return "Intel";
    }
    if (vendor_id == "AuthenticAMD") {
        return "AMD";
    }
    if (vendor_id == "HygonGenuine") {
        return "Hygon";
    }
    if (vendor_id == "CentaurHauls" || vendor_id == "  Shanghai  ") {
        return "Zhaoxin";
    }
    return std::nullopt;
}

std::optional<std::string> arm_implementer_name(unsigned implementer) {
    // MIDR_EL1.Implementer codes, Arm Architecture Reference Manual (DDI 0487) D23.2 "MIDR_EL1".
    switch (implementer) {
    case 0x41:
        return "ARM";
    case 0x42:
        return "Broadcom";
    case 0x43:
        return "Cavium";
    case 0x48:
        return "HiSilicon";
    case 0x4e:
        return "NVIDIA";
    case 0x51:
        return "Qualcomm";
    case 0x61:
        return "Apple";
    case 0xc0:
        return "Ampere";
    default:
        return std::nullopt;
    }
}

std::optional<std::string> arm_part_name(unsigned implementer, unsigned part) {
    // Part numbers from each core's Technical Reference Manual ("MIDR_EL1, Main ID Register"
    // / "Main ID Register" for Cortex-A9), the same values Linux lists in
    // arch/arm64/include/asm/cputype.h.
    if (implementer == 0x41) {
        switch (part) {
        case 0xc09:
            return "Cortex-A9";
        case 0xd03:
            return "Cortex-A53";
        case 0xd05:
            return "Cortex-A55";
        case 0xd07:
            return "Cortex-A57";
        case 0xd08:
            return "Cortex-A72";
        case 0xd0b:
            return "Cortex-A76";
        case 0xd0c:
            return "Neoverse-N1";
        case 0xd40:
            return "Neoverse-V1";
        case 0xd47:
            return "Cortex-A710";
        case 0xd49:
            return "Neoverse-N2";
        case 0xd4f:
            return "Neoverse-V2";
        case 0xd85:
            return "Cortex-X925";
        case 0xd87:
            return "Cortex-A725";
        default:
            return std::nullopt;
        }
    }
    if (implementer == 0x48 && part == 0xd01) {
        // Huawei's core in the Kunpeng 920 (Linux: HISI_CPU_PART_TSV110).
        return "TaiShan v110 (Kunpeng 920)";
    }
    return std::nullopt;
}

std::optional<unsigned> parse_midr_field(const std::string& text) {
    std::string_view digits = text;
    int base = 10;
    if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
        digits.remove_prefix(2);
        base = 16;
    }
    unsigned value = 0;
    const auto [ptr, ec] =
        std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
    if (digits.empty() || ec != std::errc() || ptr != digits.data() + digits.size()) {
        return std::nullopt;
    }
    return value;
}

} // namespace edgeplan::probe_detail
