#include "linux_probe.hpp"

#include <algorithm>
#include <exception>
#include <string>
#include <iterator>
#include <map>
#include <utility>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

namespace edgeplan::probe_detail {

namespace {

/// "Key : value" lines of one /proc/cpuinfo block.
using CpuinfoBlock = std::map<std::string, std::string>;

std::vector<CpuinfoBlock> parse_cpuinfo_blocks(const std::string& text) {
    std::vector<CpuinfoBlock> blocks(1);
    std::string_view rest = text;
    while (!rest.empty()) {
        const auto end = rest.find('\n');
        const std::string_view line = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) {
            if (trim_view(line).empty() && !blocks.back().empty()) {
                blocks.emplace_back();
            }
            continue;
        }
        blocks.back()[trim_view(line.substr(0, colon))] = trim_view(line.substr(colon + 1));
    }
    if (blocks.back().empty()) {
        blocks.pop_back();
    }
    return blocks;
}

std::optional<std::string> first_value(const std::vector<CpuinfoBlock>& blocks,
                                       const std::string& key) {
    for (const auto& block : blocks) {
        if (auto it = block.find(key); it != block.end() && !it->second.empty()) {
            return it->second;
        }
    }
    return std::nullopt;
}

// ARM "CPU implementer" codes (the MIDR_EL1 implementer field), as listed in the Arm
// Architecture Reference Manual (DDI 0487, "MIDR_EL1") and Linux arch/arm64/include/asm/cputype.h.
std::optional<std::string> arm_vendor_from_implementer(const std::string& code) {
    static const std::map<std::string, std::string> names = {
        {"0x41", "ARM"},       {"0x42", "Broadcom"}, {"0x43", "Cavium"},   {"0x46", "Fujitsu"},
        {"0x48", "HiSilicon"}, {"0x4e", "NVIDIA"},   {"0x51", "Qualcomm"}, {"0x61", "Apple"},
        {"0x6d", "Microsoft"}, {"0xc0", "Ampere"}};
    if (auto it = names.find(code); it != names.end()) {
        return it->second;
    }
    return std::nullopt;
}

// Short names for the x86 CPUID vendor strings (CPUID leaf 0 EBX-EDX-ECX), as Intel's
// and AMD's manuals give them; other strings are kept as they are.
std::string x86_vendor_short_name(const std::string& vendor_id) {
    static const std::map<std::string, std::string> names = {{"GenuineIntel", "Intel"},
                                                             {"AuthenticAMD", "AMD"},
                                                             {"HygonGenuine", "Hygon"},
                                                             {"CentaurHauls", "Centaur"},
                                                             {"Shanghai", "Zhaoxin"}};
    if (auto it = names.find(vendor_id); it != names.end()) {
        return it->second;
    }
    return vendor_id;
}

// Hypervisor vendor signatures of CPUID leaf 0x40000000 (EBX, ECX, EDX), as each
// hypervisor documents them; names follow systemd-detect-virt.
std::optional<std::string> cpuid_hypervisor_name() {
#if defined(__x86_64__) || defined(__i386__)
    unsigned eax = 0;
    unsigned regs[3] = {};
    __cpuid(0x40000000, eax, regs[0], regs[1], regs[2]);
    const std::string signature(reinterpret_cast<const char*>(regs), 12);
    static const std::pair<const char*, const char*> known[] = {
        {"KVMKVMKVM", "kvm"},     {"Microsoft Hv", "microsoft"}, {"VMwareVMware", "vmware"},
        {"XenVMMXenVMM", "xen"},  {"TCGTCGTCGTCG", "qemu"},      {"VBoxVBoxVBox", "oracle"},
        {"ACRNACRNACRN", "acrn"}, {"bhyve bhyve ", "bhyve"},     {" lrpepyh  vr", "parallels"}};
    for (const auto& [prefix, name] : known) {
        if (signature.rfind(prefix, 0) == 0) {
            return std::string(name);
        }
    }
#endif
    return std::nullopt;
}

std::optional<std::string> dmi_hypervisor_name(const SysRoot& root) {
    const auto vendor = root.read_line("/sys/class/dmi/id/sys_vendor").value_or("");
    const auto product = root.read_line("/sys/class/dmi/id/product_name").value_or("");
    if (vendor == "QEMU" || product.rfind("KVM", 0) == 0) {
        return product.rfind("KVM", 0) == 0 ? "kvm" : "qemu";
    }
    if (vendor.rfind("VMware", 0) == 0) {
        return "vmware";
    }
    if (vendor == "Microsoft Corporation" && product == "Virtual Machine") {
        return "microsoft";
    }
    if (vendor == "innotek GmbH" || vendor == "Oracle Corporation") {
        return "oracle";
    }
    if (vendor == "Xen") {
        return "xen";
    }
    if (vendor == "Amazon EC2") {
        return "amazon";
    }
    if (vendor == "Google") {
        return "google";
    }
    return std::nullopt;
}

} // namespace

CpuinfoFlags parse_cpuinfo_flags(const std::string& cpuinfo) {
    CpuinfoFlags result;
    bool first = true;
    for (const auto& block : parse_cpuinfo_blocks(cpuinfo)) {
        auto it = block.find("flags");
        std::string architecture = "x86_64";
        if (it == block.end()) {
            it = block.find("Features");
            architecture = "aarch64";
        }
        if (it == block.end()) {
            continue;
        }
        const auto words = split_words(it->second);
        std::set<std::string> flags(words.begin(), words.end());
        if (first) {
            result.architecture = architecture;
            result.flags = std::move(flags);
            first = false;
        } else {
            // Only what every CPU can run counts: a thread may be scheduled on any of them.
            std::set<std::string> common;
            std::set_intersection(result.flags.begin(), result.flags.end(), flags.begin(),
                                  flags.end(), std::inserter(common, common.begin()));
            result.flags = std::move(common);
        }
    }
    return result;
}

IsaFeatures isa_from_flags(const std::string& architecture, const std::set<std::string>& flags,
                           Source source) {
    // Kernel spellings of each feature. x86 names are the kernel's own (/proc/cpuinfo
    // "flags", arch/x86/include/asm/cpufeatures.h); ARM ones are the hwcap names printed in
    // "Features" (Documentation/arch/arm64/elf_hwcaps.rst).
    static const std::map<std::string, std::string> arm_names = {
        {"neon", "asimd"}, {"dotprod", "asimddp"}, {"i8mm", "i8mm"}, {"bf16", "bf16"},
        {"sve", "sve"},    {"sve2", "sve2"},       {"sme", "sme"}};
    IsaFeatures isa;
    isa.source = source;
    const bool arm = architecture == "aarch64" || architecture == "arm64";
    for (const auto& name : isa_feature_names_for(architecture)) {
        std::string kernel_name = name;
        if (arm) {
            auto it = arm_names.find(name);
            kernel_name = it == arm_names.end() ? name : it->second;
        }
        isa.features[name] = flags.count(kernel_name) > 0;
    }
    return isa;
}

void read_cpuinfo(const SysRoot& root, HardwareProfile& profile) {
    auto text = root.read_file("/proc/cpuinfo");
    if (!text) {
        add_os_diagnostic(profile, "warning", "cpu.isa", "/proc/cpuinfo is not readable");
        return;
    }
    const auto blocks = parse_cpuinfo_blocks(*text);
    if (auto vendor = first_value(blocks, "vendor_id")) {
        profile.cpu.vendor.fill(x86_vendor_short_name(*vendor), Source::procfs);
    } else if (auto code = first_value(blocks, "CPU implementer")) {
        if (auto name = arm_vendor_from_implementer(*code)) {
            profile.cpu.vendor.fill(*name, Source::procfs);
        }
    }
    if (auto model = first_value(blocks, "model name")) {
        profile.cpu.model.fill(*model, Source::procfs);
    }

    const CpuinfoFlags parsed = parse_cpuinfo_flags(*text);
    auto& system_architecture = profile.system.architecture;
    const std::string architecture = system_architecture.value.value_or(parsed.architecture);
    if (!parsed.architecture.empty()) {
        system_architecture.fill(parsed.architecture, Source::procfs);
        // Counting only what the OS has enabled: the x86 kernel clears a feature flag, and the
        // flags that depend on it (arch/x86/kernel/cpu/cpuid-deps.c), when it did not enable
        // the XSAVE state component the feature needs (arch/x86/kernel/fpu/xstate.c), so
        // "flags" lists AVX/AVX-512/AMX only when XCR0 allows them. AMX additionally needs a
        // per-process arch_prctl(ARCH_REQ_XCOMP_PERM) that engines issue themselves.
        IsaFeatures isa = isa_from_flags(architecture, parsed.flags, Source::procfs);
        // /proc/cpuinfo is the OS's own answer: it replaces a guess from the CPU model.
        const Source earlier = profile.cpu.isa.source;
        if (earlier == Source::unknown || earlier == Source::inferred) {
            profile.cpu.isa = std::move(isa);
        } else {
            for (auto& [name, present] : isa.features) {
                auto& slot = profile.cpu.isa.features[name];
                if (!slot) {
                    slot = present;
                }
            }
        }
    }

    if (parsed.architecture == "x86_64") {
        // The "hypervisor" flag is CPUID.1:ECX bit 31, which hypervisors set for guests.
        if (parsed.flags.count("hypervisor") == 0) {
            profile.system.virtualization.fill("none", Source::procfs);
            return;
        }
        std::optional<std::string> name = root.is_host() ? cpuid_hypervisor_name() : std::nullopt;
        if (name) {
            profile.system.virtualization.fill(*name, Source::cpuid);
            return;
        }
        name = dmi_hypervisor_name(root);
        profile.system.virtualization.fill(name.value_or("unidentified hypervisor"),
                                           name ? Source::sysfs : Source::procfs);
        return;
    }
    if (auto name = dmi_hypervisor_name(root)) {
        profile.system.virtualization.fill(*name, Source::sysfs);
    }
}

void read_cpuinfo_clock(const SysRoot& root, HardwareProfile& profile) {
    // Only when cpufreq gave no maximum: without a cpufreq driver (most virtual machines) the
    // kernel does not scale the clock, and "cpu MHz" is the nominal (TSC) frequency it
    // calibrated at boot (arch/x86/kernel/cpu/proc.c prints cpu_khz then). With cpufreq it
    // is the current clock, which reads low at idle, so it is never used there.
    if (profile.cpu.frequency_max_mhz.known() ||
        root.read_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor")) {
        return;
    }
    auto text = root.read_file("/proc/cpuinfo");
    if (!text) {
        return;
    }
    double highest = 0;
    for (const auto& block : parse_cpuinfo_blocks(*text)) {
        auto it = block.find("cpu MHz");
        if (it == block.end()) {
            continue;
        }
        try {
            highest = std::max(highest, std::stod(it->second));
        } catch (const std::exception&) {
            // A malformed line is skipped: the clock then stays unknown.
        }
    }
    // Below 100 MHz or above 10 GHz is not a real CPU clock: leave it unknown.
    if (highest < 100 || highest > 10'000) {
        return;
    }
    profile.cpu.frequency_max_mhz.fill(static_cast<int>(highest + 0.5), Source::procfs);
    add_os_diagnostic(profile, "info", "cpu.frequency_max_mhz",
                      "no cpufreq driver: using /proc/cpuinfo 'cpu MHz' (the nominal clock); "
                      "a turbo maximum, if any, is higher");
}

} // namespace edgeplan::probe_detail
