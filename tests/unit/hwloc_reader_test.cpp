// The hwloc layer on recorded topologies: ../shared/topologies (real machines, skipped when
// the folder is absent) and tests/fixtures/topologies (files written for these tests).

#include "probe/hwloc_reader.hpp"

#include <edgeplan/probe/probe.hpp>

#include <catch2/catch.hpp>

#include <set>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

using namespace edgeplan;
namespace fs = std::filesystem;

namespace {

const fs::path shared_topologies = fs::path(EDGEPLAN_SHARED_DIR) / "topologies";
const fs::path fixture_topologies = fs::path(EDGEPLAN_FIXTURES_DIR) / "topologies";

HardwareProfile load(const fs::path& path) {
    auto profile = probe_topology_file(path, path.filename().string());
    INFO(path.filename().string() << ": " << (profile ? "" : profile.error().message));
    REQUIRE(profile.ok());
    return std::move(profile).value();
}

const GpuDevice* gpu_by_bus(const HardwareProfile& profile, const std::string& bus) {
    for (const auto& gpu : profile.gpus) {
        if (gpu.pci_bus_id == bus) {
            return &gpu;
        }
    }
    return nullptr;
}

bool has_diagnostic(const HardwareProfile& profile, const std::string& where,
                    const std::string& text) {
    return std::any_of(profile.diagnostics.begin(), profile.diagnostics.end(),
                       [&](const Diagnostic& d) {
                           return d.where == where && d.message.find(text) != std::string::npos;
                       });
}

struct Expected {
    int packages;
    int cores;
    int threads;
    int numa_nodes;
    int gpus;
};

// Expected counts. Packages, cores, PUs and NUMA nodes are hwloc 2.9.0's own:
//   hwloc-info --input FILE  (the "Package", "Core", "PU" and "NUMANode" lines).
// GPUs are the PCI devices of class 03xx or 0b40 that are not BMC display adapters:
//   lstopo-no-graphics --input FILE -v | grep -E ' PCI .*class=(03|0b40)' |
//     grep -vcE 'id=(1a03|102b):'
// (one per physical device, however many CUDA/OpenCL/NVML views it has).
const std::map<std::string, Expected> expected_counts = {
    {"128arm-2pa2n8cluster4co.xml", {2, 128, 128, 4, 0}},
    {"192em64t-24n8c2t.xml", {24, 192, 384, 24, 0}},
    {"20em64t-hybrid-1p6c2t+2ca4co1t.xml", {1, 14, 20, 1, 0}},
    {"2arm-2c.xml", {1, 2, 2, 1, 0}},
    {"32em64t-2n8c+dax+nvme+mic+dimms.xml", {2, 16, 16, 2, 1}},
    {"32em64t-2n8c2t-pci-normalio.xml", {2, 16, 32, 2, 4}},
    {"32intel64-2p8co2t+8ve.xml", {2, 16, 32, 2, 8}},
    {"5intel64-hybrid-lakefield.xml", {1, 5, 5, 1, 0}},
    {"64intel64-fakeKNL-SNC4-hybrid.xml", {1, 16, 64, 8, 0}},
    {"AMD-19h-Zen4-2xEpyc-9654.xml", {2, 192, 384, 2, 0}},
    {"AMD-1Ah-Zen5StrixPoint-RyzenAI9HX370.xml", {1, 12, 24, 1, 0}},
    {"Intel-ArrowLake-CoreUltra5-225U.xml", {1, 12, 14, 1, 0}},
    {"Intel-KnightsLanding-XeonPhi-7210.xml", {1, 64, 256, 1, 0}},
    {"Intel-SapphireRapids-2xXeonMax9460.xml", {2, 80, 160, 1, 0}},
    {"debian-vm-2c-amd-epyc.xml", {1, 2, 2, 1, 0}},
    {"nvidia-dgx-gb10.xml", {1, 20, 20, 1, 0}},
    {"nvidiaDGX2.xml", {2, 4, 4, 2, 16}},
    {"nvidiagpunumanodes-kept.xml", {2, 8, 32, 8, 6}},
    {"power8gpudistances.xml", {2, 8, 16, 2, 4}},
};

#define SKIP_WITHOUT_SHARED()                                                                      \
    if (!fs::exists(shared_topologies)) {                                                          \
        WARN("SKIPPED: ../shared not found");                                                      \
        return;                                                                                    \
    }

} // namespace

const std::set<std::string> files_without_io = {
    "128arm-2pa2n8cluster4co.xml", "20em64t-hybrid-1p6c2t+2ca4co1t.xml", "2arm-2c.xml",
    "5intel64-hybrid-lakefield.xml", "64intel64-fakeKNL-SNC4-hybrid.xml",
    "AMD-19h-Zen4-2xEpyc-9654.xml", "AMD-1Ah-Zen5StrixPoint-RyzenAI9HX370.xml",
    "Intel-ArrowLake-CoreUltra5-225U.xml", "Intel-KnightsLanding-XeonPhi-7210.xml",
    "Intel-SapphireRapids-2xXeonMax9460.xml", "nvidia-dgx-gb10.xml"};

TEST_CASE("every shared topology loads with hwloc-info's counts", "[hwloc]") {
    SKIP_WITHOUT_SHARED();
    int files = 0;
    for (const auto& entry : fs::directory_iterator(shared_topologies)) {
        if (entry.path().extension() != ".xml") {
            continue;
        }
        ++files;
        const std::string name = entry.path().filename().string();
        INFO(name);
        const auto expected = expected_counts.find(name);
        REQUIRE(expected != expected_counts.end()); // a new file needs a row in the table
        const HardwareProfile p = load(entry.path());
        CHECK(p.origin == ProfileOrigin{"topology", name});
        CHECK(p.cpu.packages.value == expected->second.packages);
        CHECK(p.cpu.cores.value == expected->second.cores);
        CHECK(p.cpu.threads.value == expected->second.threads);
        CHECK(p.cpu.threads.source == Source::xml);
        CHECK(static_cast<int>(p.cpu.numa_nodes.size()) == expected->second.numa_nodes);
        CHECK(static_cast<int>(p.gpus.size()) == expected->second.gpus);
        // Files exported without I/O objects (no PCIDev/OSDev: grep -L 'type="PCIDev"')
        // cannot say "no GPU", only "unknown".
        const bool has_io = files_without_io.count(name) == 0;
        CHECK(p.gpus_source == (has_io ? Source::xml : Source::unknown));
        CHECK(p.npus_source == (has_io ? Source::xml : Source::unknown));
        CHECK_FALSE(p.storage.device.known());
        CHECK_FALSE(p.memory.available_bytes.known());
        CHECK(has_diagnostic(p, "topology", "cannot carry"));
    }
    CHECK(files == static_cast<int>(expected_counts.size()));
}

TEST_CASE("power8: 4 P100s, each once with its CUDA, OpenCL and NVML views", "[hwloc]") {
    SKIP_WITHOUT_SHARED();
    const HardwareProfile p = load(shared_topologies / "power8gpudistances.xml");
    REQUIRE(p.gpus.size() == 4);
    for (const auto& gpu : p.gpus) {
        INFO(gpu.id);
        CHECK(gpu.os_views.size() == 3);
        CHECK(gpu.vendor.value == "NVIDIA");
        CHECK(gpu.model.value == "Tesla P100-SXM2-16GB");
        CHECK(gpu.pci_id == "10de:15f9");
        // CUDAGlobalMemorySize=16671616 KiB.
        CHECK(gpu.memory_total_bytes.value == 16671616ull * 1024);
        CHECK(gpu.memory_total_bytes.source == Source::xml);
        CHECK(gpu.memory_kind.value == "discrete");
        CHECK(std::find(gpu.apis.begin(), gpu.apis.end(), "cuda") != gpu.apis.end());
        CHECK(std::find(gpu.apis.begin(), gpu.apis.end(), "opencl") != gpu.apis.end());
    }
    CHECK(p.gpus[0].id == "gpu0");
    CHECK(p.gpus[0].pci_bus_id == "0002:01:00.0");
    CHECK(p.gpus[0].os_views == std::vector<std::string>{"cuda0", "nvml0", "opencl0d0"});
    CHECK(p.system.architecture.value == "ppc64le");
}

TEST_CASE("DGX-2: 16 V100s from subtype-less NVML devices, memory unknown", "[hwloc]") {
    SKIP_WITHOUT_SHARED();
    const HardwareProfile p = load(shared_topologies / "nvidiaDGX2.xml");
    REQUIRE(p.gpus.size() == 16);
    for (const auto& gpu : p.gpus) {
        CHECK(gpu.model.value == "Tesla V100-SXM3-32GB-H");
        CHECK_FALSE(gpu.memory_total_bytes.known());
        CHECK(gpu.apis == std::vector<std::string>{"cuda"});
    }
    CHECK(has_diagnostic(p, "gpus", "16 of 16 GPUs have no memory size"));
}

TEST_CASE("mixed NVIDIA/AMD box: CUDA and OpenCL memory, BMC VGA ignored", "[hwloc]") {
    SKIP_WITHOUT_SHARED();
    const HardwareProfile p = load(shared_topologies / "32em64t-2n8c2t-pci-normalio.xml");
    REQUIRE(p.gpus.size() == 4);
    const GpuDevice* nvidia = gpu_by_bus(p, "0000:84:00.0");
    REQUIRE(nvidia);
    CHECK(nvidia->vendor.value == "NVIDIA");
    CHECK(nvidia->memory_total_bytes.value == 11796032ull * 1024);
    CHECK(nvidia->os_views == std::vector<std::string>{"card0", "cuda0"});
    const GpuDevice* amd = gpu_by_bus(p, "0000:84:00.1");
    REQUIRE(amd);
    CHECK(amd->vendor.value == "AMD");
    CHECK(amd->memory_total_bytes.value == 3087360ull * 1024);
    CHECK(amd->apis == std::vector<std::string>{"opencl"});
    // The two Tesla boards with PCI only: named by the file's PCIDevice info, size unknown.
    const GpuDevice* pci_only = gpu_by_bus(p, "0000:03:00.0");
    REQUIRE(pci_only);
    CHECK(pci_only->model.value == "Tesla M2075 Dual-Slot Computing Processor Module");
    CHECK_FALSE(pci_only->memory_total_bytes.known());
    CHECK(gpu_by_bus(p, "0000:05:03.0") == nullptr); // Matrox BMC
    CHECK(has_diagnostic(p, "gpus", "ignored display controller 0000:05:03.0"));
}

TEST_CASE("NEC SX-Aurora: 8 vector engines with 48 GiB each", "[hwloc]") {
    SKIP_WITHOUT_SHARED();
    const HardwareProfile p = load(shared_topologies / "32intel64-2p8co2t+8ve.xml");
    REQUIRE(p.gpus.size() == 8);
    for (const auto& gpu : p.gpus) {
        CHECK(gpu.vendor.value == "NEC");
        CHECK(gpu.memory_total_bytes.value == 48ull << 30);
        CHECK(gpu.os_views.size() == 1);
    }
}

TEST_CASE("GPU memory NUMA nodes size the GPUs and are not system memory", "[hwloc]") {
    SKIP_WITHOUT_SHARED();
    const HardwareProfile p = load(shared_topologies / "nvidiagpunumanodes-kept.xml");
    REQUIRE(p.gpus.size() == 6);
    for (const auto& gpu : p.gpus) {
        CHECK(gpu.memory_total_bytes.value == 16106127360ull);
        CHECK_FALSE(gpu.pci_id.has_value()); // ids read as 0000:0000 in the dump
    }
    // The two DRAM nodes only: 132955242496 + 137166848000.
    CHECK(p.memory.total_bytes.value == 132955242496ull + 137166848000ull);
    CHECK(std::count_if(p.cpu.numa_nodes.begin(), p.cpu.numa_nodes.end(),
                        [](const NumaNode& n) { return n.kind == "GPUMemory"; }) == 6);
}

TEST_CASE("hybrid CPUs: kinds, labels, cores and threads per kind", "[hwloc]") {
    SKIP_WITHOUT_SHARED();
    SECTION("Raptor Lake i7-1370P, Linux cpufreq kinds: 8 E + 6 P") {
        const auto p = load(shared_topologies / "20em64t-hybrid-1p6c2t+2ca4co1t.xml");
        REQUIRE(p.cpu.kinds.size() == 2);
        CHECK(p.cpu.kinds[0].label == "efficiency");
        CHECK(p.cpu.kinds[0].cores == 8);
        CHECK(p.cpu.kinds[0].threads == 8);
        CHECK(p.cpu.kinds[0].frequency_max_mhz == 3900);
        CHECK(p.cpu.kinds[1].label == "performance");
        CHECK(p.cpu.kinds[1].cores == 6);
        CHECK(p.cpu.kinds[1].threads == 12);
        CHECK(p.cpu.kinds[1].frequency_base_mhz == 1900);
        CHECK(p.cpu.frequency_max_mhz.value == 5000);
        CHECK(p.cpu.frequency_max_mhz.source == Source::xml);
    }
    SECTION("Arrow Lake 225U: three kinds named by CoreType") {
        const auto p = load(shared_topologies / "Intel-ArrowLake-CoreUltra5-225U.xml");
        REQUIRE(p.cpu.kinds.size() == 3);
        CHECK(p.cpu.kinds[0].label == "low-power");
        CHECK(p.cpu.kinds[0].cores == 2);
        CHECK(p.cpu.kinds[1].label == "efficiency");
        CHECK(p.cpu.kinds[1].cores == 8);
        CHECK(p.cpu.kinds[2].label == "performance");
        CHECK(p.cpu.kinds[2].core_type == "IntelCore");
        CHECK(p.cpu.kinds[2].cores == 2);
        CHECK(p.cpu.kinds[2].threads == 4);
        CHECK_FALSE(p.memory.total_bytes.known()); // CPUID-only export
        CHECK(has_diagnostic(p, "memory.total_bytes", "unknown"));
    }
    SECTION("Strix Point: Zen 5c efficiency and Zen 5 performance kinds") {
        const auto p = load(shared_topologies / "AMD-1Ah-Zen5StrixPoint-RyzenAI9HX370.xml");
        REQUIRE(p.cpu.kinds.size() == 2);
        CHECK(p.cpu.kinds[0].core_type == "AMDEfficiency");
        CHECK(p.cpu.kinds[0].cores == 8);
        CHECK(p.cpu.kinds[0].threads == 16);
        CHECK(p.cpu.kinds[1].label == "performance");
        CHECK(p.cpu.kinds[1].cores == 4);
        CHECK(p.cpu.model.value == "AMD Ryzen AI 9 HX 370 w/ Radeon 890M"); // trailing spaces cut
    }
    SECTION("DGX Spark GB10: 10 X925 + 10 A725 by CPUPart, model from the MIDR table") {
        const auto p = load(shared_topologies / "nvidia-dgx-gb10.xml");
        REQUIRE(p.cpu.kinds.size() == 2);
        CHECK(p.cpu.kinds[0].core_type == "0xd87");
        CHECK(p.cpu.kinds[0].cores == 10);
        CHECK(p.cpu.kinds[1].core_type == "0xd85");
        CHECK(p.cpu.kinds[1].label == "performance");
        CHECK(p.cpu.kinds[1].cores == 10);
        CHECK(p.cpu.vendor.value == "ARM");
        CHECK(p.cpu.model.value == "Cortex-X925 + Cortex-A725");
        CHECK(p.cpu.model.source == Source::inferred);
        CHECK(p.cpu.isa.features.at("sve2") == true);
    }
}

TEST_CASE("2arm-2c: a kind covering 1 of 2 PUs is reported", "[hwloc]") {
    SKIP_WITHOUT_SHARED();
    const auto p = load(shared_topologies / "2arm-2c.xml");
    REQUIRE(p.cpu.kinds.size() == 1);
    CHECK(p.cpu.kinds[0].threads == 1);
    CHECK(has_diagnostic(p, "cpu.kinds", "1 of 2 hardware threads"));
    CHECK(p.cpu.vendor.value == "ARM"); // CPUImplementer on the Machine object
}

TEST_CASE("debian VM: 2 cores, 1 NUMA node, homogeneous, Zen 3 ISA inferred", "[hwloc]") {
    SKIP_WITHOUT_SHARED();
    const auto p = load(shared_topologies / "debian-vm-2c-amd-epyc.xml");
    CHECK(p.cpu.cores.value == 2);
    CHECK(p.cpu.numa_nodes.size() == 1);
    CHECK(p.cpu.numa_nodes[0].kind == "DRAM");
    CHECK(p.cpu.kinds.empty()); // one kind without clock data: nothing to show
    CHECK(p.cpu.kinds_source == Source::xml);
    CHECK(p.cpu.vendor.value == "AMD");
    CHECK(p.cpu.l3.size_bytes.value == 32ull << 20);
    CHECK(p.cpu.l2.instances.value == 2);
    CHECK(p.memory.total_bytes.value == 5194862592ull);
    CHECK(p.system.kernel.value == "6.18.44-fc-v657");
    CHECK(p.cpu.isa.source == Source::inferred);
    CHECK(p.cpu.isa.features.at("avx2") == true);
    CHECK(p.cpu.isa.features.at("avx512f") == false);
    CHECK(has_diagnostic(p, "storage", "vda"));
}

TEST_CASE("own synthetic topology: 2 packages x 4 cores x 2 threads", "[hwloc]") {
    // lstopo --input "pack:2 core:4 pu:2" --of xml tests/fixtures/topologies/synthetic-2p4c2t.xml
    const auto p = load(fixture_topologies / "synthetic-2p4c2t.xml");
    CHECK(p.cpu.packages.value == 2);
    CHECK(p.cpu.cores.value == 8);
    CHECK(p.cpu.threads.value == 16);
    CHECK(p.cpu.numa_nodes.size() == 1);
    CHECK(p.memory.total_bytes.value == 1ull << 30);
    CHECK_FALSE(p.cpu.vendor.known());
    CHECK_FALSE(p.cpu.model.known());
    CHECK(p.cpu.isa.source == Source::unknown); // nothing to infer from
    CHECK(p.gpus.empty());
    CHECK(p.gpus_source == Source::unknown); // synthetic topologies carry no I/O
}

TEST_CASE("hand-written I/O topology: RSMI, Level Zero, NPU, ignored devices", "[hwloc]") {
    const auto p = load(fixture_topologies / "handmade-laptop-io.xml");
    CHECK(p.cpu.model.value == "Intel(R) Core(TM) Ultra 7 155H");
    CHECK(p.system.os.value == "Linux");
    REQUIRE(p.gpus.size() == 2);
    const GpuDevice* amd = gpu_by_bus(p, "0000:03:00.0");
    REQUIRE(amd);
    CHECK(amd->model.value == "Radeon RX 7900 XTX");     // RSMI view merged before OpenCL's
    CHECK(amd->memory_total_bytes.value == 24ull << 30); // "25165824KiB"
    CHECK(amd->memory_kind.value == "discrete");
    CHECK(amd->apis == std::vector<std::string>{"rocm", "opencl"});
    const GpuDevice* igpu = gpu_by_bus(p, "0000:00:02.0");
    REQUIRE(igpu);
    CHECK(igpu->os_views == std::vector<std::string>{"card1", "opencl1d0", "ze0"});
    CHECK(igpu->model.value == "Intel(R) Arc(TM) Graphics");
    CHECK_FALSE(igpu->memory_kind.known()); // shared memory: not claimed discrete
    REQUIRE(p.npus.size() == 1);
    CHECK(p.npus[0].id == "npu0");
    CHECK(p.npus[0].vendor.value == "Intel");
    CHECK(p.npus[0].model.value == "Meteor Lake NPU");
    CHECK(p.npus[0].pci_id == "8086:7d1d");
    CHECK(has_diagnostic(p, "gpus", "ignored display controller 0000:04:00.0"));
    CHECK(has_diagnostic(p, "gpus", "ignored co-processor 0000:05:00.0"));
    CHECK(has_diagnostic(p, "storage", "nvme0n1 (NVMe"));
    for (const auto& d : p.diagnostics) {
        CHECK(d.message.find("do-not-leak-this-host") == std::string::npos);
    }
}

TEST_CASE("bad topology files are bad_input with a one-line message", "[hwloc]") {
    const fs::path scratch = fs::temp_directory_path() / "edgeplan-hwloc-test";
    fs::create_directories(scratch);
    std::ofstream(scratch / "empty.xml").close();

    struct Case {
        fs::path path;
        std::string message;
    };
    const Case cases[] = {
        {scratch / "missing.xml", "file not found"},
        {scratch / "empty.xml", "file is empty"},
        {fixture_topologies / "garbage.xml", "not a valid hwloc XML topology"},
        {fixture_topologies / "truncated.xml", "not a valid hwloc XML topology"},
        {fixture_topologies / "v3-format.xml", "--export-xml-flags v2"},
        {scratch, "is a directory"},
    };
    for (const auto& c : cases) {
        INFO(c.path.string());
        HardwareProfile profile;
        const Status status = probe_detail::read_hwloc_xml(c.path, profile);
        REQUIRE_FALSE(status.ok());
        CHECK(status.error().code == ExitCode::bad_input);
        CHECK(status.error().where == c.path.filename().string());
        CHECK(status.error().message.find(c.message) != std::string::npos);
        CHECK(status.error().message.find('\n') == std::string::npos);
        CHECK(status.error().where.find('/') == std::string::npos); // no absolute path
    }
    fs::remove_all(scratch);
}

TEST_CASE("live discovery works on this machine and credits hwloc", "[hwloc]") {
    HardwareProfile p;
    const Status status = probe_detail::read_hwloc_live(p);
    REQUIRE(status.ok());
    REQUIRE(p.cpu.threads.known());
    CHECK(*p.cpu.threads.value >= 1);
    CHECK(p.cpu.threads.source == Source::hwloc);
    CHECK(p.gpus_source == Source::hwloc);
    CHECK_FALSE(p.memory.total_bytes.known()); // the OS layer owns totals
}

TEST_CASE("a live load replaced by HWLOC_XMLFILE warns", "[hwloc]") {
    const std::string file = (fixture_topologies / "synthetic-2p4c2t.xml").string();
    ::setenv("HWLOC_XMLFILE", file.c_str(), 1);
    HardwareProfile p;
    const Status status = probe_detail::read_hwloc_live(p);
    ::unsetenv("HWLOC_XMLFILE");
    REQUIRE(status.ok());
    CHECK(p.cpu.threads.value == 16); // the file, not this machine
    CHECK(has_diagnostic(p, "topology", "did not describe this machine"));
}
