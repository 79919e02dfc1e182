#include "linux_probe.hpp"

#include "gpu_merge.hpp"
#include "pci_ids.hpp"

#include <algorithm>
#include <map>

namespace edgeplan::probe_detail {

namespace {

struct AccelDriver {
    const char* vendor;
    const char* model;
};

// Drivers of the Linux compute-accelerator subsystem (drivers/accel/ in the kernel tree,
// Documentation/accel/): the driver name tells the device family even without pci.ids.
const std::map<std::string, AccelDriver>& accel_drivers() {
    static const std::map<std::string, AccelDriver> drivers = {
        {"intel_vpu", {"Intel", "Intel NPU"}},
        {"amdxdna", {"AMD", "AMD XDNA NPU"}},
        {"qaic", {"Qualcomm", "Qualcomm Cloud AI 100"}},
        {"habanalabs", {"Habana Labs", "Intel Gaudi"}},
        {"ethosu", {"Arm", "Arm Ethos-U NPU"}},
        {"rocket", {"Rockchip", "Rockchip NPU"}},
    };
    return drivers;
}

std::optional<NpuDevice> read_accel(const SysRoot& root, const std::string& node) {
    const std::string device = "/sys/class/accel/" + node + "/device";
    if (!root.exists(device)) {
        return std::nullopt;
    }
    NpuDevice npu;
    npu.id = node;
    const auto driver = root.link_basename(device + "/driver");
    if (driver) {
        npu.driver.set(*driver, Source::sysfs);
    }
    const auto vendor_id = root.read_unsigned(device + "/vendor");
    const auto device_id = root.read_unsigned(device + "/device");
    if (vendor_id && device_id && *vendor_id <= 0xffff && *device_id <= 0xffff) {
        const auto vendor = static_cast<std::uint16_t>(*vendor_id);
        const auto product = static_cast<std::uint16_t>(*device_id);
        npu.pci_id = format_pci_id(vendor, product);
        if (auto bus = root.link_basename(device)) {
            npu.pci_bus_id = normalize_pci_bus_id(*bus);
        }
        if (auto name = pci_vendor_name(vendor)) {
            npu.vendor.set(*name, Source::sysfs);
        }
        if (auto name = pci_device_name(vendor, product, root.resolve("/usr/share/misc/pci.ids"))) {
            npu.model.set(*name, Source::inferred);
        }
    }
    if (driver) {
        if (auto it = accel_drivers().find(*driver); it != accel_drivers().end()) {
            npu.vendor.fill(it->second.vendor, Source::inferred);
            npu.model.fill(it->second.model, Source::inferred);
        }
    }
    return npu;
}

} // namespace

NpuScan read_accel_npus(const SysRoot& root) {
    NpuScan scan;
    // The accel class exists only once an accel driver is loaded (Linux 6.2+); its absence
    // on a machine with sysfs means "no NPU", not "could not tell".
    scan.checked = root.is_directory("/sys/class");
    const auto nodes = root.list_dir("/sys/class/accel");
    if (!nodes) {
        return scan;
    }
    for (const auto& node : *nodes) {
        if (node.rfind("accel", 0) != 0) {
            continue;
        }
        if (auto npu = read_accel(root, node)) {
            scan.npus.push_back(std::move(*npu));
        }
    }
    std::stable_sort(scan.npus.begin(), scan.npus.end(), [](const auto& a, const auto& b) {
        return a.pci_bus_id.value_or("~") < b.pci_bus_id.value_or("~");
    });
    for (std::size_t i = 0; i < scan.npus.size(); ++i) {
        scan.npus[i].id = "npu" + std::to_string(i);
    }
    return scan;
}

} // namespace edgeplan::probe_detail
