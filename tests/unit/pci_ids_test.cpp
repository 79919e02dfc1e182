// pci.ids lookups on a small file written for these tests (tests/fixtures/pci_ids).

#include "probe/pci_ids.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace edgeplan::probe_detail;
namespace fs = std::filesystem;

namespace {
const fs::path sample = fs::path(EDGEPLAN_FIXTURES_DIR) / "pci_ids" / "sample.ids";
}

TEST_CASE("pci.ids: device names by vendor and device id", "[hwloc][pci_ids]") {
    CHECK(pci_device_name(0x10de, 0x2684, sample) == "AD102 [GeForce RTX 4090]");
    CHECK(pci_device_name(0x1002, 0x744c, sample) == "Navi 31 [Radeon RX 7900 XT/7900 XTX]");
    CHECK(pci_device_name(0x0001, 0x0002, sample) == "First Device");
}

TEST_CASE("pci.ids: trailing spaces are trimmed", "[hwloc][pci_ids]") {
    CHECK(pci_device_name(0x10de, 0x2685, sample) == "Device With Trailing Spaces");
}

TEST_CASE("pci.ids: unknown ids, subsystem lines and garbage give nothing", "[hwloc][pci_ids]") {
    CHECK_FALSE(pci_device_name(0x10de, 0x9999, sample).has_value());
    CHECK_FALSE(pci_device_name(0x8086, 0x2684, sample).has_value()); // vendor absent
    // "\t\t0001 0002 ..." is a subsystem of device 0002, not device 0001.
    CHECK_FALSE(pci_device_name(0x0001, 0x0001, sample).has_value());
    // The class section's "\t00  VGA..." must not be read as a device of the last vendor.
    CHECK_FALSE(pci_device_name(0x1002, 0x0000, sample).has_value());
}

TEST_CASE("pci.ids: a missing file is not an error", "[hwloc][pci_ids]") {
    CHECK_FALSE(pci_device_name(0x10de, 0x2684, "/nonexistent/pci.ids").has_value());
}

TEST_CASE("pci.ids: the system database when installed", "[hwloc][pci_ids]") {
    if (!fs::exists("/usr/share/misc/pci.ids")) {
        WARN("SKIPPED: /usr/share/misc/pci.ids not installed (Debian package pci.ids)");
        return;
    }
    CHECK(pci_device_name(0x1bcf, 0x001c) == "Vector Engine 1.0");
}
