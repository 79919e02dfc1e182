// Pieces of the Linux layer that are pure functions of text or of a fixture tree.

#include "probe/linux_probe.hpp"

#include <catch2/catch.hpp>

using namespace edgeplan;
using namespace edgeplan::probe_detail;

namespace {

SysRoot fixture_root(const std::string& name) {
    return SysRoot(std::filesystem::path(EDGEPLAN_FIXTURES_DIR) / "sysroot" / name);
}

} // namespace

TEST_CASE("CPU lists parse ranges and single CPUs", "[linux]") {
    CHECK(parse_cpu_list("0-3,8,10-11\n") == std::vector<int>{0, 1, 2, 3, 8, 10, 11});
    CHECK(parse_cpu_list("0") == std::vector<int>{0});
    CHECK_FALSE(parse_cpu_list("3-1").has_value());
    CHECK_FALSE(parse_cpu_list("a-b").has_value());
}

TEST_CASE("the SysRoot seam reads below its root and never throws", "[linux]") {
    const auto root = fixture_root("laptop-amd-apu");
    CHECK_FALSE(root.is_host());
    CHECK(root.read_line("/proc/sys/kernel/arch") == "x86_64");
    CHECK(root.read_unsigned("/sys/class/drm/card0/device/vendor") == 0x1002u);
    CHECK(root.link_basename("/sys/class/drm/card0/device") == "0000:c4:00.0");
    CHECK(root.link_basename("/sys/class/drm/card0/device/driver") == "amdgpu");
    CHECK_FALSE(root.read_file("/no/such/file").has_value());
    CHECK_FALSE(root.list_dir("/no/such/dir").has_value());
    CHECK_FALSE(root.read_unsigned("/etc/os-release").has_value()); // not a number
}

TEST_CASE("x86 flags present on every CPU count; one CPU lacking a flag drops it", "[linux]") {
    const auto parsed = parse_cpuinfo_flags("processor : 0\nflags : avx avx2 fma\n\n"
                                            "processor : 1\nflags : avx fma\n");
    CHECK(parsed.architecture == "x86_64");
    CHECK(parsed.flags == std::set<std::string>{"avx", "fma"});
    const auto isa = isa_from_flags(parsed.architecture, parsed.flags, Source::procfs);
    CHECK(isa.features.at("avx2") == false);
    CHECK(isa.features.at("fma") == true);
}

TEST_CASE("block devices classify by name first, then by the rotational flag", "[linux]") {
    // A partition resolves to its disk; NVMe by name.
    const auto nvme = classify_block_device(fixture_root("laptop-amd-apu"), 259, 2);
    CHECK(nvme.name == "nvme0n1");
    CHECK(nvme.type == "nvme");
    // An LVM volume resolves through its slave partition to the NVMe disk.
    const auto lvm = classify_block_device(fixture_root("nvidia-desktop"), 253, 0);
    CHECK(lvm.name == "nvme0n1");
    CHECK(lvm.type == "nvme");
    // virtio reports rotational 1: the name wins.
    const auto virtio = classify_block_device(fixture_root("bare-vm"), 254, 0);
    CHECK(virtio.name == "vda");
    CHECK(virtio.type == "virtual");
    // A USB hard disk partition: rotational 1.
    const auto usb = classify_block_device(fixture_root("arm-board"), 8, 1);
    CHECK(usb.name == "sda");
    CHECK(usb.type == "hdd");
    // Unknown numbers stay unknown.
    const auto none = classify_block_device(fixture_root("bare-vm"), 7, 0);
    CHECK_FALSE(none.name.has_value());
    CHECK_FALSE(none.type.has_value());
}

TEST_CASE("Vulkan and OpenCL count only when a manifest names the GPU's driver", "[linux]") {
    const auto root = fixture_root("nvidia-desktop");
    CHECK(detect_gpu_apis(root, "nvidia") == std::vector<std::string>{"cuda", "vulkan", "opencl"});
    // lavapipe (CPU Vulkan) and the NVIDIA files say nothing about an AMD GPU.
    CHECK(detect_gpu_apis(root, "amdgpu").empty());
}
