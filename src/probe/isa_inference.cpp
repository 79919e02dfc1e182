// ISA features from CPU identity tables, for topologies that carry no feature flags.
// A table entry states the complete feature set of a microarchitecture, so features it
// does not list are false; a CPU no entry matches keeps every feature unknown.

#include "isa_inference.hpp"

#include <algorithm>
#include <regex>

namespace edgeplan::probe_detail {

namespace {

using Features = std::vector<std::string>;

Features with(Features base, std::initializer_list<const char*> more) {
    base.insert(base.end(), more.begin(), more.end());
    return base;
}

// x86 feature sets per microarchitecture. Sources: Intel ARK "Instruction Set Extensions"
// of each product, the Intel SDM vol. 1 ch. 2 history of extensions, AMD's product pages
// and Wikipedia's "AVX-512" CPU table (sections "CPUs with AVX-512", "AVX-VNNI") and
// "Advanced Matrix Extensions".
const Features nehalem = {"sse4_2"};
const Features sandy_bridge = {"sse4_2", "avx"};
const Features ivy_bridge = with(sandy_bridge, {"f16c"});
const Features haswell = with(ivy_bridge, {"avx2", "fma"}); // also Zen 1-3
const Features skylake_sp = with(haswell, {"avx512f", "avx512bw"});
const Features cascade_lake = with(skylake_sp, {"avx512_vnni"}); // also Ice/Tiger Lake
const Features cooper_lake = with(cascade_lake, {"avx512_bf16"});
// Sapphire/Emerald/Granite Rapids: AVX512-FP16, AVX-VNNI and AMX (Intel ISA Extensions
// Reference 319433; ARK lists "Intel AMX" for the Xeon Max 9460).
const Features sapphire_rapids =
    with(cooper_lake, {"avx512_fp16", "avx_vnni", "amx_tile", "amx_int8", "amx_bf16"});
// Knights Landing/Mill: AVX-512F/CD/ER/PF but not BW/VL (Wikipedia "Xeon Phi").
const Features knights_landing = with(haswell, {"avx512f"});
// Alder Lake onward client hybrids ship with AVX-512 disabled, AVX-VNNI present (ARK:
// "Intel AVX2"; Intel's Alder Lake optimization guide on AVX-VNNI).
const Features intel_hybrid_client = with(haswell, {"avx_vnni"});
// Zen 4: AVX-512 F/BW/VL/VNNI/BF16, no FP16, no AVX-VNNI, no AMX (AMD "Zen 4" ISA
// announcement; Wikipedia "Zen 4"). Zen 5 adds AVX-VNNI (Wikipedia "Zen 5").
const Features zen4 = with(haswell, {"avx512f", "avx512bw", "avx512_vnni", "avx512_bf16"});
const Features zen5 = with(zen4, {"avx_vnni"});

// ARM feature sets, from each core's TRM ("Supported standards", "Features"): Armv8.0 cores
// have Advanced SIMD only; Armv8.2 cores with the dot product extension add it; Neoverse V1
// (Armv8.4) has SVE, BF16 and I8MM but not SVE2; Armv9 cores have SVE2, BF16 and I8MM.
// SME is left unknown: none of these TRMs is read here to list it.
const Features armv8_0 = {"neon"};
const Features armv8_2_dotprod = {"neon", "dotprod"};
const Features neoverse_v1 = {"neon", "dotprod", "i8mm", "bf16", "sve"};
const Features armv9 = {"neon", "dotprod", "i8mm", "bf16", "sve", "sve2"};

bool in(int value, std::initializer_list<int> set) {
    return std::find(set.begin(), set.end(), value) != set.end();
}

// Intel family 6 models, from the Intel SDM vol. 4 table 2-1 (CPUID signatures) and the
// Linux kernel's arch/x86/include/asm/intel-family.h.
const Features* intel_family6(int model, std::optional<int> stepping) {
    if (in(model, {0x1a, 0x1e, 0x1f, 0x2e, 0x25, 0x2c, 0x2f})) {
        return &nehalem; // Nehalem, Westmere
    }
    if (in(model, {0x2a, 0x2d})) {
        return &sandy_bridge;
    }
    if (in(model, {0x3a, 0x3e})) {
        return &ivy_bridge;
    }
    if (in(model,
           {0x3c, 0x3f, 0x45, 0x46, 0x3d, 0x47, 0x4f, 0x56, 0x4e, 0x5e, 0x8e, 0x9e, 0xa5, 0xa6})) {
        return &haswell; // Haswell, Broadwell, client Skylake to Comet Lake
    }
    if (model == 0x55 && stepping) {
        // One model number, three generations told apart by stepping (intel-family.h).
        if (*stepping <= 4) {
            return &skylake_sp;
        }
        if (*stepping <= 7) {
            return &cascade_lake;
        }
        return &cooper_lake;
    }
    if (in(model, {0x6a, 0x6c, 0x7d, 0x7e, 0x8c, 0x8d, 0xa7})) {
        return &cascade_lake; // Ice Lake SP/client, Tiger Lake, Rocket Lake: VNNI, no BF16
    }
    if (in(model, {0x8f, 0xcf, 0xad, 0xae})) {
        return &sapphire_rapids; // Sapphire, Emerald, Granite Rapids
    }
    if (in(model, {0x57, 0x85})) {
        return &knights_landing;
    }
    if (in(model, {0x97, 0x9a, 0xbe, 0xb7, 0xba, 0xbf, 0xaa, 0xac, 0xbd, 0xc5, 0xc6, 0xb5})) {
        return &intel_hybrid_client; // Alder, Raptor, Meteor, Lunar, Arrow Lake
    }
    if (model == 0x8a) {
        // Lakefield: the Tremont cores have no AVX, so it is disabled on the whole chip
        // (ARK i5-L16G7: "Intel SSE4.1, Intel SSE4.2" only).
        return &nehalem;
    }
    return nullptr;
}

// AMD families 17h-1Ah: model ranges per Wikipedia "Zen 3"/"Zen 4" and AMD's Processor
// Programming Reference documents (PPR) for each family.
const Features* amd_family(int family, int model) {
    if (family == 0x17 || family == 0x18) {
        return &haswell; // Zen, Zen+, Zen 2; Hygon Dhyana (family 18h) is a Zen derivative
    }
    if (family == 0x19) {
        if (model < 0x10 || (model >= 0x20 && model <= 0x5f)) {
            return &haswell; // Zen 3/3+: Milan, Vermeer, Badami, Rembrandt, Cezanne
        }
        if ((model >= 0x10 && model <= 0x1f) || (model >= 0x60 && model <= 0x7f) ||
            (model >= 0xa0 && model <= 0xaf)) {
            return &zen4; // Genoa, Raphael, Phoenix, Bergamo/Siena
        }
        return nullptr;
    }
    if (family == 0x1a) {
        return &zen5;
    }
    return nullptr;
}

// Xeon E5 brand strings without family/model numbers (older hwloc exports): the "vN" suffix
// names the generation (ARK: E5-2650 Sandy Bridge-EP; v2 Ivy Bridge; v3 Haswell; v4 Broadwell).
const Features* intel_by_name(const std::string& name) {
    static const std::regex xeon_e5(R"(Intel.*\bE5-\d{4}[A-Z]*( v([2-4]))?\b)");
    std::smatch match;
    if (!std::regex_search(name, match, xeon_e5)) {
        return nullptr;
    }
    if (!match[2].matched) {
        return &sandy_bridge;
    }
    const char generation = match[2].str()[0];
    return generation == '2' ? &ivy_bridge : &haswell;
}

const Features* arm_features(unsigned implementer, unsigned part) {
    if (implementer == 0x41) {
        switch (part) {
        case 0xd03: // Cortex-A53
        case 0xd07: // Cortex-A57
        case 0xd08: // Cortex-A72
            return &armv8_0;
        case 0xd05: // Cortex-A55
        case 0xd0b: // Cortex-A76
        case 0xd0c: // Neoverse-N1
            return &armv8_2_dotprod;
        case 0xd40:
            return &neoverse_v1;
        case 0xd47: // Cortex-A710
        case 0xd49: // Neoverse-N2
        case 0xd4f: // Neoverse-V2
        case 0xd85: // Cortex-X925
        case 0xd87: // Cortex-A725
            return &armv9;
        default:
            return nullptr;
        }
    }
    if (implementer == 0x48 && part == 0xd01) {
        return &armv8_2_dotprod; // Kunpeng 920: Armv8.2 with dot product, no SVE
    }
    return nullptr;
}

// Sets every key to false, then the table's features to true.
void set_exact(IsaFeatures& isa, const std::vector<std::string>& keys, const Features& present) {
    for (const auto& key : keys) {
        isa.features[key] = std::find(present.begin(), present.end(), key) != present.end();
    }
}

std::string effective_architecture(const CpuIdentity& identity) {
    if (!identity.architecture.empty()) {
        return identity.architecture;
    }
    // CPUID-only topologies and some old exports have no Architecture info; the vendor
    // string or an Intel/AMD brand string says x86.
    const std::string& name = identity.model_name;
    if (x86_vendor_name(identity.vendor_id) || name.rfind("Intel", 0) == 0 ||
        name.rfind("AMD", 0) == 0) {
        return "x86_64";
    }
    return identity.arm_implementer ? "aarch64" : "";
}

void infer_x86(const CpuIdentity& identity, const std::vector<std::string>& keys,
               IsaFeatures& isa) {
    const Features* table = nullptr;
    if (identity.family && identity.model_number) {
        if (identity.vendor_id == "GenuineIntel" && *identity.family == 6) {
            table = intel_family6(*identity.model_number, identity.stepping);
        } else if (identity.vendor_id == "AuthenticAMD" || identity.vendor_id == "HygonGenuine") {
            table = amd_family(*identity.family, *identity.model_number);
        }
    } else {
        table = intel_by_name(identity.model_name);
    }
    if (table) {
        set_exact(isa, keys, *table);
    }
}

void infer_arm(const CpuIdentity& identity, const std::string& architecture,
               const std::vector<std::string>& keys, IsaFeatures& isa) {
    // A big.LITTLE chip gets the features all its core types share; the tables list whole
    // sets, so that is the intersection.
    std::optional<Features> common;
    bool all_known = identity.arm_implementer && !identity.arm_parts.empty();
    for (const unsigned part : identity.arm_parts) {
        const Features* table =
            identity.arm_implementer ? arm_features(*identity.arm_implementer, part) : nullptr;
        if (!table) {
            all_known = false;
            break;
        }
        if (!common) {
            common = *table;
        } else {
            std::erase_if(*common, [&](const std::string& f) {
                return std::find(table->begin(), table->end(), f) == table->end();
            });
        }
    }
    if (all_known && common) {
        set_exact(isa, keys, *common);
        isa.features["sme"] = std::nullopt;
        return;
    }
    const bool armv7_a9 = identity.arm_implementer == 0x41u && identity.arm_parts.size() == 1 &&
                          identity.arm_parts[0] == 0xc09;
    if (armv7_a9) {
        // Armv7: none of the Armv8+ extensions. NEON is an optional unit on the Cortex-A9
        // (Cortex-A9 MPCore TRM, "Media Processing Engine"), so it stays unknown.
        set_exact(isa, keys, {});
        isa.features["neon"] = std::nullopt;
        return;
    }
    if (architecture == "aarch64" || architecture == "arm64") {
        // AArch64 Linux requires FP/Advanced SIMD (Arm ARM A1.5: both are mandatory in
        // implementations for general-purpose software); the rest varies by core.
        isa.features["neon"] = true;
    }
}

} // namespace

IsaFeatures infer_isa(const CpuIdentity& identity) {
    IsaFeatures isa;
    const std::string architecture = effective_architecture(identity);
    const auto keys = isa_feature_names_for(architecture);
    // Other architectures (POWER, s390x, RISC-V) have their own vector extensions that
    // edgeplan does not list; "absent" would wrongly read as "no SIMD", so stay unknown.
    if (architecture == "x86_64" || architecture == "i686" || architecture == "x86") {
        infer_x86(identity, keys, isa);
    } else if (architecture == "aarch64" || architecture == "arm64" ||
               architecture.rfind("arm", 0) == 0) {
        infer_arm(identity, architecture, keys, isa);
    }
    const bool any_known = std::any_of(isa.features.begin(), isa.features.end(),
                                       [](const auto& entry) { return entry.second.has_value(); });
    if (!any_known) {
        return IsaFeatures{};
    }
    for (const auto& key : keys) {
        isa.features.try_emplace(key, std::nullopt);
    }
    isa.source = Source::inferred;
    return isa;
}

} // namespace edgeplan::probe_detail
