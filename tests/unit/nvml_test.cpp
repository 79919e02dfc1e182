// NVML loaded at run time (src/probe/nvml_loader.cpp) against the stub library
// tests/fixtures/nvml_stub.c, which describes an RTX 4090 and an RTX 3060.

#include "probe/nvml_loader.hpp"

#include <catch2/catch.hpp>

#include <edgeplan/probe/probe.hpp>

using namespace edgeplan;
using namespace edgeplan::probe_detail;

namespace {

constexpr std::uint64_t gib = std::uint64_t{1} << 30;

} // namespace

TEST_CASE("NVML lists both stub GPUs with memory, compute capability and bandwidth", "[nvml]") {
    const NvmlScan scan = read_nvml(EDGEPLAN_NVML_STUB);
    CHECK(scan.loaded);
    CHECK(scan.diagnostics.empty());
    REQUIRE(scan.gpus.size() == 2);

    const auto& rtx4090 = scan.gpus[0];
    CHECK(rtx4090.model == Sourced<std::string>("NVIDIA GeForce RTX 4090", Source::nvml));
    CHECK(rtx4090.vendor.value == "NVIDIA");
    CHECK(rtx4090.memory_total_bytes == Sourced<std::uint64_t>(24 * gib, Source::nvml));
    CHECK(rtx4090.memory_free_bytes == Sourced<std::uint64_t>(22 * gib, Source::nvml));
    CHECK(rtx4090.pci_bus_id == "0000:01:00.0"); // NVML's 8-digit domain normalised
    CHECK(rtx4090.pci_id == "10de:2684");
    CHECK(rtx4090.compute_capability == Sourced<std::string>("8.9", Source::nvml));
    CHECK(rtx4090.driver.value == "nvidia 550.54.14");
    REQUIRE(rtx4090.memory_bandwidth_gbps.known());
    CHECK(rtx4090.memory_bandwidth_gbps.source == Source::nvml);
    CHECK(*rtx4090.memory_bandwidth_gbps.value == Approx(1008.0).margin(0.5));
    CHECK(rtx4090.os_views == std::vector<std::string>{"nvml0"});

    const auto& rtx3060 = scan.gpus[1];
    CHECK(rtx3060.memory_total_bytes.value == 12 * gib);
    CHECK(rtx3060.pci_bus_id == "0000:02:00.0");
    CHECK(rtx3060.compute_capability.value == "8.6");
    CHECK(*rtx3060.memory_bandwidth_gbps.value == Approx(360.0).margin(0.5));
}

TEST_CASE("the NVML bandwidth formula matches NVIDIA's datasheet figures", "[nvml]") {
    CHECK(nvml_memory_bandwidth_gbps(384, 10501) == Approx(1008.1).margin(0.1)); // RTX 4090
    CHECK(nvml_memory_bandwidth_gbps(5120, 2619) == Approx(3352.3).margin(0.1)); // H100 SXM
}

TEST_CASE("a missing NVML library means no NVIDIA GPUs, without a diagnostic", "[nvml]") {
    const NvmlScan scan = read_nvml("/nonexistent/libnvidia-ml.so.1");
    CHECK_FALSE(scan.loaded);
    CHECK(scan.gpus.empty());
    CHECK(scan.diagnostics.empty());
}

TEST_CASE("NVML and the DRM card of the same bus id merge into one GPU", "[nvml][linux]") {
    LiveProbeOptions options;
    options.system_root = std::filesystem::path(EDGEPLAN_FIXTURES_DIR) / "sysroot/nvidia-desktop";
    options.models_dir = options.system_root;
    options.use_hwloc = false;
    options.nvml_library = EDGEPLAN_NVML_STUB;
    const auto result = probe_live(options);
    REQUIRE(result.ok());
    const auto& gpus = result->gpus;
    REQUIRE(gpus.size() == 2);

    const auto& merged = gpus[0];
    CHECK(merged.id == "gpu0");
    CHECK(merged.pci_bus_id == "0000:01:00.0");
    CHECK(merged.os_views == std::vector<std::string>{"card1", "nvml0"});
    // NVML's own answers win over the pci.ids name and the bare driver name.
    CHECK(merged.model == Sourced<std::string>("NVIDIA GeForce RTX 4090", Source::nvml));
    CHECK(merged.memory_total_bytes == Sourced<std::uint64_t>(24 * gib, Source::nvml));
    CHECK(merged.driver.value == "nvidia 550.54.14");
    CHECK(merged.apis == std::vector<std::string>{"cuda", "vulkan", "opencl"});

    const auto& nvml_only = gpus[1];
    CHECK(nvml_only.id == "gpu1");
    CHECK(nvml_only.pci_bus_id == "0000:02:00.0");
    CHECK(nvml_only.os_views == std::vector<std::string>{"nvml1"});
    CHECK(nvml_only.memory_total_bytes.value == 12 * gib);
    CHECK(result->gpus_source == Source::sysfs);
}
