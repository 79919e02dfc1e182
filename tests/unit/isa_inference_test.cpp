// ISA features inferred from CPU identity tables for XML topologies (isa_inference.cpp).

#include "probe/isa_inference.hpp"

#include <catch2/catch.hpp>

using namespace edgeplan;
using namespace edgeplan::probe_detail;

namespace {

CpuIdentity x86(const char* vendor, int family, int model, std::optional<int> stepping = {}) {
    CpuIdentity id;
    id.architecture = "x86_64";
    id.vendor_id = vendor;
    id.family = family;
    id.model_number = model;
    id.stepping = stepping;
    return id;
}

CpuIdentity arm(unsigned implementer, std::vector<unsigned> parts) {
    CpuIdentity id;
    id.architecture = "aarch64";
    id.arm_implementer = implementer;
    id.arm_parts = std::move(parts);
    return id;
}

std::optional<bool> feature(const IsaFeatures& isa, const std::string& name) {
    const auto it = isa.features.find(name);
    REQUIRE(it != isa.features.end());
    return it->second;
}

} // namespace

TEST_CASE("AMD Zen generations by family and model", "[hwloc][isa]") {
    const auto zen4 = infer_isa(x86("AuthenticAMD", 0x19, 0x11)); // EPYC 9654
    CHECK(zen4.source == Source::inferred);
    CHECK(feature(zen4, "avx512f") == true);
    CHECK(feature(zen4, "avx512_bf16") == true);
    CHECK(feature(zen4, "avx512_fp16") == false);
    CHECK(feature(zen4, "avx_vnni") == false);
    CHECK(feature(zen4, "amx_tile") == false);
    const auto zen3 = infer_isa(x86("AuthenticAMD", 0x19, 0x01)); // EPYC Milan
    CHECK(feature(zen3, "avx2") == true);
    CHECK(feature(zen3, "avx512f") == false);
    CHECK(feature(infer_isa(x86("AuthenticAMD", 0x19, 0x21)), "avx512f") == false); // Vermeer
    const auto zen5 = infer_isa(x86("AuthenticAMD", 0x1a, 0x24));                   // Strix Point
    CHECK(feature(zen5, "avx_vnni") == true);
    CHECK(feature(zen5, "avx512_vnni") == true);
}

TEST_CASE("Intel generations by family 6 model", "[hwloc][isa]") {
    const auto spr = infer_isa(x86("GenuineIntel", 6, 0x8f)); // Xeon Max 9460
    CHECK(feature(spr, "amx_int8") == true);
    CHECK(feature(spr, "avx512_fp16") == true);
    const auto knl = infer_isa(x86("GenuineIntel", 6, 0x57));
    CHECK(feature(knl, "avx512f") == true);
    CHECK(feature(knl, "avx512bw") == false);
    CHECK(feature(infer_isa(x86("GenuineIntel", 6, 0x55, 4)), "avx512_vnni") == false); // SKX
    CHECK(feature(infer_isa(x86("GenuineIntel", 6, 0x55, 7)), "avx512_vnni") == true);  // CLX
    const auto arrow = infer_isa(x86("GenuineIntel", 6, 0xb5)); // Core Ultra 5 225U
    CHECK(feature(arrow, "avx_vnni") == true);
    CHECK(feature(arrow, "avx512f") == false);
    CHECK(feature(infer_isa(x86("GenuineIntel", 6, 0x8a)), "avx") == false); // Lakefield
}

TEST_CASE("an unknown CPU infers nothing rather than guessing", "[hwloc][isa]") {
    const auto unknown = infer_isa(x86("GenuineIntel", 6, 0x01));
    CHECK(unknown.source == Source::unknown);
    CHECK(unknown.features.empty());
    CHECK(infer_isa(x86("AuthenticAMD", 0x15, 0x01)).source == Source::unknown); // Bulldozer
    CHECK(infer_isa(CpuIdentity{}).source == Source::unknown);
}

TEST_CASE("old Xeon E5 brand strings without CPUID numbers", "[hwloc][isa]") {
    CpuIdentity id;
    id.model_name = "Intel(R) Xeon(R) CPU E5-2650 0 @ 2.00GHz"; // no Architecture either
    const auto sandy = infer_isa(id);
    CHECK(feature(sandy, "avx") == true);
    CHECK(feature(sandy, "avx2") == false);
    CHECK(sandy.features.count("neon") == 0); // x86 keys only
    id.model_name = "Intel(R) Xeon(R) CPU E5-2680 v3 @ 2.50GHz";
    CHECK(feature(infer_isa(id), "avx2") == true);
}

TEST_CASE("ARM cores by MIDR implementer and part", "[hwloc][isa]") {
    const auto kunpeng = infer_isa(arm(0x48, {0xd01}));
    CHECK(feature(kunpeng, "dotprod") == true);
    CHECK(feature(kunpeng, "sve") == false);
    const auto v1 = infer_isa(arm(0x41, {0xd40}));
    CHECK(feature(v1, "sve") == true);
    CHECK(feature(v1, "sve2") == false);
    const auto gb10 = infer_isa(arm(0x41, {0xd85, 0xd87}));
    CHECK(feature(gb10, "sve2") == true);
    CHECK(feature(gb10, "i8mm") == true);
    CHECK_FALSE(feature(gb10, "sme").has_value());
    CHECK(gb10.features.count("avx2") == 0);
    // big.LITTLE: only what every core type has.
    const auto mixed = infer_isa(arm(0x41, {0xd0b, 0xd05}));
    CHECK(feature(mixed, "dotprod") == true);
    CHECK(feature(mixed, "i8mm") == false);
}

TEST_CASE("ARM without a known part: only what the architecture guarantees", "[hwloc][isa]") {
    CpuIdentity id;
    id.architecture = "aarch64"; // Kunpeng file: no MIDR infos at all
    const auto bare = infer_isa(id);
    CHECK(feature(bare, "neon") == true);
    CHECK_FALSE(feature(bare, "sve").has_value());
    CpuIdentity a9 = arm(0x41, {0xc09});
    a9.architecture = "arm";
    const auto armv7 = infer_isa(a9);
    CHECK_FALSE(feature(armv7, "neon").has_value()); // optional unit on the Cortex-A9
    CHECK(feature(armv7, "dotprod") == false);
}

TEST_CASE("POWER's ISA stays unknown rather than 'no SIMD'", "[hwloc][isa]") {
    CpuIdentity id;
    id.architecture = "ppc64le";
    const auto power = infer_isa(id);
    CHECK(power.source == Source::unknown);
    CHECK(power.features.empty());
}

TEST_CASE("CPU identity names", "[hwloc][isa]") {
    CHECK(x86_vendor_name("GenuineIntel") == "Intel");
    CHECK(x86_vendor_name("HygonGenuine") == "Hygon");
    CHECK_FALSE(x86_vendor_name("Bogus").has_value());
    CHECK(arm_implementer_name(0x4e) == "NVIDIA");
    CHECK(arm_part_name(0x41, 0xd4f) == "Neoverse-V2");
    CHECK(arm_part_name(0x48, 0xd01) == "TaiShan v110 (Kunpeng 920)");
    CHECK_FALSE(arm_part_name(0x51, 0xd85).has_value());
    CHECK(parse_midr_field("0xd85") == 0xd85u);
    CHECK(parse_midr_field("65") == 65u);
    CHECK_FALSE(parse_midr_field("0x").has_value());
    CHECK_FALSE(parse_midr_field("zz").has_value());
}
