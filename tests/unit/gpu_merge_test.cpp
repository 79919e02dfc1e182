// Folding several views of one GPU into one entry (src/probe/gpu_merge.cpp).

#include "probe/gpu_merge.hpp"

#include <catch2/catch.hpp>

using namespace edgeplan;
using namespace edgeplan::probe_detail;

namespace {

GpuDevice view(const std::string& name, std::optional<std::string> bus) {
    GpuDevice gpu;
    gpu.id = name;
    gpu.os_views = {name};
    gpu.pci_bus_id = std::move(bus);
    return gpu;
}

} // namespace

TEST_CASE("bus ids are normalised from hwloc, sysfs and NVML spellings", "[hwloc][gpu_merge]") {
    CHECK(normalize_pci_bus_id("0000:01:00.0") == "0000:01:00.0");
    CHECK(normalize_pci_bus_id("00000000:01:00.0") == "0000:01:00.0"); // NVML pads to 8
    CHECK(normalize_pci_bus_id("01:00.0") == "0000:01:00.0");
    CHECK(normalize_pci_bus_id("000A:1B:00.1") == "000a:1b:00.1");
    CHECK_FALSE(normalize_pci_bus_id("").has_value());
    CHECK_FALSE(normalize_pci_bus_id("0000:01:20.0").has_value()); // device > 0x1f
    CHECK_FALSE(normalize_pci_bus_id("0000:01:00.8").has_value()); // function > 7
    CHECK_FALSE(normalize_pci_bus_id("garbage").has_value());
    CHECK(format_pci_id(0x10de, 0x2684) == "10de:2684");
}

TEST_CASE("views on one bus id merge; the first known value wins", "[hwloc][gpu_merge]") {
    std::vector<GpuDevice> gpus;
    GpuDevice cuda = view("cuda0", "0000:01:00.0");
    cuda.memory_total_bytes.set(16ull << 30, Source::xml);
    cuda.apis = {"cuda"};
    cuda.apis_source = Source::xml;
    GpuDevice opencl = view("opencl0d0", "0000:01:00.0");
    opencl.memory_total_bytes.set(15ull << 30, Source::xml);
    opencl.model.set("Tesla P100", Source::xml);
    opencl.apis = {"opencl"};
    merge_gpu(gpus, cuda);
    merge_gpu(gpus, opencl);
    REQUIRE(gpus.size() == 1);
    CHECK(gpus[0].memory_total_bytes.value == 16ull << 30);
    CHECK(gpus[0].model.value == "Tesla P100");
    CHECK(gpus[0].apis == std::vector<std::string>{"cuda", "opencl"});
    CHECK(gpus[0].os_views == std::vector<std::string>{"cuda0", "opencl0d0"});
}

TEST_CASE("different bus ids stay apart and are numbered in bus order", "[hwloc][gpu_merge]") {
    std::vector<GpuDevice> gpus;
    merge_gpu(gpus, view("nvml1", "0000:3b:00.0"));
    merge_gpu(gpus, view("opencl9", std::nullopt));
    merge_gpu(gpus, view("nvml0", "0000:34:00.0"));
    finalize_gpu_ids(gpus);
    REQUIRE(gpus.size() == 3);
    CHECK(gpus[0].id == "gpu0");
    CHECK(gpus[0].pci_bus_id == "0000:34:00.0");
    CHECK(gpus[1].pci_bus_id == "0000:3b:00.0");
    CHECK_FALSE(gpus[2].pci_bus_id.has_value()); // devices off PCI come last
    CHECK(gpus[2].id == "gpu2");
}

TEST_CASE("short PCI vendor names", "[hwloc][gpu_merge]") {
    CHECK(pci_vendor_name(0x10de) == "NVIDIA");
    CHECK(pci_vendor_name(0x1002) == "AMD");
    CHECK(pci_vendor_name(0x8086) == "Intel");
    CHECK(pci_vendor_name(0x1bcf) == "NEC");
    CHECK_FALSE(pci_vendor_name(0x0000).has_value());
}
