// The Linux layer of the live audit against fixture trees (tests/fixtures/sysroot/<name>):
// each fixture fakes one kind of machine through the SysRoot seam, hwloc off.

#include <catch2/catch.hpp>

#include <edgeplan/probe/probe.hpp>

#include <algorithm>
#include <string>

using namespace edgeplan;

namespace {

constexpr std::uint64_t mib = std::uint64_t{1} << 20;
constexpr std::uint64_t gib = std::uint64_t{1} << 30;

std::filesystem::path fixture(const std::string& name) {
    return std::filesystem::path(EDGEPLAN_FIXTURES_DIR) / "sysroot" / name;
}

/// A fixture audit: hwloc off, NVML only when `nvml_library` names one.
HardwareProfile probe_fixture(const std::string& name, const std::string& nvml_library = "") {
    LiveProbeOptions options;
    options.system_root = fixture(name);
    options.models_dir = fixture(name);
    options.use_hwloc = false;
    options.nvml_library = nvml_library;
    auto result = probe_live(options);
    REQUIRE(result.ok());
    return std::move(result).value();
}

bool has_warning_containing(const HardwareProfile& profile, const std::string& text) {
    return std::any_of(profile.diagnostics.begin(), profile.diagnostics.end(), [&](const auto& d) {
        return d.severity == "warning" && d.message.find(text) != std::string::npos;
    });
}

const std::string missing_nvml = "/nonexistent/libnvidia-ml.so.1";

} // namespace

TEST_CASE("laptop-amd-apu: system, memory, cgroup and CPU come from procfs and sysfs", "[linux]") {
    const auto p = probe_fixture("laptop-amd-apu");
    CHECK(p.origin == ProfileOrigin{"live", "this machine"});
    CHECK(p.system.os == Sourced<std::string>("Ubuntu 24.04.1 LTS", Source::os));
    CHECK(p.system.kernel == Sourced<std::string>("6.8.0-45-generic", Source::procfs));
    CHECK(p.system.architecture.value == "x86_64");
    CHECK(p.system.virtualization == Sourced<std::string>("none", Source::procfs));

    CHECK(p.memory.total_bytes == Sourced<std::uint64_t>(31998936ull * 1024, Source::procfs));
    CHECK(p.memory.available_bytes.value == 20971520ull * 1024);
    CHECK(p.memory.swap_total_bytes.value == 8388604ull * 1024);
    CHECK(p.memory.swap_free_bytes.value == 8000000ull * 1024);
    // The tightest memory.max on the way up from the process's cgroup.
    CHECK(p.memory.cgroup_limit_bytes == Sourced<std::uint64_t>(16 * gib, Source::sysfs));

    CHECK(p.cpu.vendor == Sourced<std::string>("AMD", Source::procfs));
    CHECK(p.cpu.model.value == "AMD Ryzen AI 9 HX 370 w/ Radeon 890M");
    CHECK(p.cpu.threads == Sourced<int>(2, Source::sysfs));
    CHECK(p.cpu.cores.value == 1); // two SMT threads of one core
    CHECK(p.cpu.packages.value == 1);
    CHECK(p.cpu.frequency_governor == Sourced<std::string>("powersave", Source::sysfs));
    CHECK(p.cpu.frequency_max_mhz == Sourced<int>(5157, Source::sysfs));
}

TEST_CASE("laptop-amd-apu: the x86 ISA map is complete and ARM keys are left out", "[linux]") {
    const auto p = probe_fixture("laptop-amd-apu");
    const auto& isa = p.cpu.isa;
    CHECK(isa.source == Source::procfs);
    CHECK(isa.features.size() == 14);
    CHECK(isa.features.count("neon") == 0);
    for (const char* present : {"sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512bw",
                                "avx512_vnni", "avx512_bf16", "avx_vnni"}) {
        INFO(present);
        CHECK(isa.features.at(present) == true);
    }
    for (const char* absent : {"avx512_fp16", "amx_tile", "amx_int8", "amx_bf16"}) {
        INFO(absent);
        CHECK(isa.features.at(absent) == false);
    }
}

TEST_CASE("laptop-amd-apu: the APU is one unified-memory GPU with ROCm and Vulkan", "[linux]") {
    const auto p = probe_fixture("laptop-amd-apu");
    CHECK(p.gpus_source == Source::sysfs);
    REQUIRE(p.gpus.size() == 1);
    const auto& gpu = p.gpus[0];
    CHECK(gpu.id == "gpu0");
    CHECK(gpu.vendor == Sourced<std::string>("AMD", Source::sysfs));
    CHECK(gpu.pci_bus_id == "0000:c4:00.0");
    CHECK(gpu.pci_id == "1002:150e");
    CHECK(gpu.driver == Sourced<std::string>("amdgpu", Source::sysfs));
    CHECK(gpu.memory_total_bytes == Sourced<std::uint64_t>(512 * mib, Source::sysfs));
    CHECK(gpu.memory_free_bytes.value == 412 * mib);
    CHECK(gpu.shared_memory_bytes.value == 16 * gib);
    CHECK(gpu.memory_kind.value == "unified");
    CHECK(gpu.apis == std::vector<std::string>{"rocm", "vulkan"});
    CHECK(gpu.os_views == std::vector<std::string>{"card0"});
}

TEST_CASE("laptop-amd-apu: the XDNA accel device is an NPU", "[linux]") {
    const auto p = probe_fixture("laptop-amd-apu");
    CHECK(p.npus_source == Source::sysfs);
    REQUIRE(p.npus.size() == 1);
    const auto& npu = p.npus[0];
    CHECK(npu.id == "npu0");
    CHECK(npu.driver == Sourced<std::string>("amdxdna", Source::sysfs));
    CHECK(npu.vendor.value == "AMD");
    CHECK(npu.model.value == "AMD XDNA NPU");
    CHECK(npu.pci_bus_id == "0000:c5:00.1");
    CHECK(npu.pci_id == "1022:17f0");
}

TEST_CASE("laptop-amd-apu: on battery at 57 %, a mouse battery is ignored", "[linux]") {
    const auto p = probe_fixture("laptop-amd-apu");
    CHECK(p.power.has_battery == Sourced<bool>(true, Source::sysfs));
    CHECK(p.power.battery_percent == Sourced<int>(57, Source::sysfs));
    CHECK(p.power.battery_state.value == "discharging");
    CHECK(p.power.supply == Sourced<std::string>("battery", Source::sysfs));
    CHECK(p.power.thermal_source == Source::sysfs);
    REQUIRE(p.power.thermal_zones.size() == 1);
    const auto& zone = p.power.thermal_zones[0];
    CHECK(zone.name == "acpitz");
    CHECK(zone.temperature_c == Approx(71.5));
    REQUIRE(zone.trip_points.size() == 2);
    CHECK(zone.trip_points[0] == TripPoint{"critical", 110.0});
    CHECK(zone.trip_points[1] == TripPoint{"passive", 95.0});
}

TEST_CASE("a fixture root without an NVML library named does not load this machine's NVML",
          "[linux][nvml]") {
    const auto p = probe_fixture("nvidia-desktop");
    REQUIRE(p.gpus.size() == 1);
    CHECK(p.gpus[0].os_views == std::vector<std::string>{"card1"});
    CHECK_FALSE(p.gpus[0].memory_total_bytes.known());
    CHECK(has_warning_containing(p, "libnvidia-ml.so.1"));
}

TEST_CASE("nvidia-desktop without NVML: the DRM card alone, named from pci.ids", "[linux]") {
    const auto p = probe_fixture("nvidia-desktop", missing_nvml);
    REQUIRE(p.gpus.size() == 1);
    const auto& gpu = p.gpus[0];
    CHECK(gpu.pci_bus_id == "0000:01:00.0");
    CHECK(gpu.vendor.value == "NVIDIA");
    CHECK(gpu.model == Sourced<std::string>("AD102 [GeForce RTX 4090]", Source::inferred));
    CHECK(gpu.driver.value == "nvidia");
    CHECK(gpu.apis == std::vector<std::string>{"cuda", "vulkan", "opencl"});
    CHECK_FALSE(gpu.memory_total_bytes.known());
}

TEST_CASE("nvidia-desktop: a desktop with no battery runs on mains", "[linux]") {
    const auto p = probe_fixture("nvidia-desktop", missing_nvml);
    CHECK(p.power.has_battery == Sourced<bool>(false, Source::sysfs));
    CHECK(p.power.supply == Sourced<std::string>("ac", Source::inferred));
    CHECK_FALSE(p.power.battery_percent.known());
    REQUIRE(p.power.thermal_zones.size() == 2);
    CHECK(p.power.thermal_zones[0].name == "x86_pkg_temp");
    CHECK(p.power.thermal_zones[0].temperature_c == Approx(45.0));
    CHECK(p.power.thermal_zones[1].trip_points.empty());
    CHECK(p.cpu.isa.features.at("avx_vnni") == true);
    CHECK(p.cpu.isa.features.at("avx512f") == false); // hybrid Raptor Lake: AVX-512 fused off
    CHECK(p.cpu.vendor.value == "Intel");
    CHECK(p.cpu.cores.value == 4);
    CHECK_FALSE(p.memory.cgroup_limit_bytes.known());
}

TEST_CASE("arm-board: aarch64 Features map to the ARM ISA keys only", "[linux]") {
    const auto p = probe_fixture("arm-board");
    CHECK(p.system.architecture == Sourced<std::string>("aarch64", Source::procfs));
    const auto& features = p.cpu.isa.features;
    CHECK(features.size() == 7);
    CHECK(features.count("avx2") == 0);
    CHECK(features.at("neon") == true);    // asimd
    CHECK(features.at("dotprod") == true); // asimddp
    for (const char* absent : {"i8mm", "bf16", "sve", "sve2", "sme"}) {
        INFO(absent);
        CHECK(features.at(absent) == false);
    }
    CHECK(p.cpu.vendor.value == "ARM");
    CHECK_FALSE(p.cpu.model.known()); // the Cortex name is the hwloc layer's job
    CHECK(p.cpu.threads.value == 4);
    CHECK(p.cpu.cores.value == 4);
    CHECK(p.cpu.frequency_max_mhz.value == 2400);
    CHECK(p.cpu.frequency_governor.value == "ondemand");
    CHECK_FALSE(p.system.virtualization.known());
}

TEST_CASE("arm-board: a platform display device is no GPU; no battery; cpu-thermal", "[linux]") {
    const auto p = probe_fixture("arm-board");
    CHECK(p.gpus.empty());
    CHECK(p.gpus_source == Source::sysfs);
    CHECK(p.npus.empty());
    CHECK(p.npus_source == Source::sysfs);
    CHECK(p.power.has_battery == Sourced<bool>(false, Source::sysfs));
    REQUIRE(p.power.thermal_zones.size() == 1);
    CHECK(p.power.thermal_zones[0].name == "cpu-thermal");
    CHECK(p.power.thermal_zones[0].temperature_c == Approx(48.85));
    CHECK(p.power.thermal_zones[0].trip_points.size() == 2);
}

TEST_CASE("bare-vm: nothing found is reported as checked and empty, not as an error", "[linux]") {
    const auto p = probe_fixture("bare-vm", missing_nvml);
    CHECK(p.gpus.empty());
    CHECK(p.gpus_source == Source::sysfs);
    CHECK(p.npus.empty());
    CHECK(p.npus_source == Source::sysfs);
    CHECK(p.power.has_battery == Sourced<bool>(false, Source::sysfs));
    CHECK(p.power.thermal_zones.empty());
    CHECK(p.power.thermal_source == Source::sysfs);
    CHECK(p.system.virtualization.value == "unidentified hypervisor");
    CHECK(p.cpu.isa.features.at("avx2") == true);
    CHECK(p.cpu.isa.features.at("avx512f") == false);
    // No cpufreq driver in the guest: the nominal clock from /proc/cpuinfo stands in.
    CHECK(p.cpu.frequency_max_mhz == Sourced<int>(2596, Source::procfs));
    CHECK(p.storage.free_bytes.source == Source::os);
    CHECK(p.storage.total_bytes.known());
    for (const auto& diagnostic : p.diagnostics) {
        INFO(diagnostic.where << ": " << diagnostic.message);
        CHECK(diagnostic.severity != "warning");
    }
}
