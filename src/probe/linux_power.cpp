#include "linux_probe.hpp"

#include <charconv>
#include <map>

namespace edgeplan::probe_detail {

namespace {

constexpr std::string_view supply_dir = "/sys/class/power_supply";
constexpr std::string_view thermal_dir = "/sys/class/thermal";

// power_supply "status" values (Documentation/ABI/testing/sysfs-class-power) to the
// profile's battery states.
std::optional<std::string> battery_state(const std::string& status) {
    static const std::map<std::string, std::string> states = {{"Charging", "charging"},
                                                              {"Discharging", "discharging"},
                                                              {"Full", "full"},
                                                              {"Not charging", "not charging"}};
    if (auto it = states.find(status); it != states.end()) {
        return it->second;
    }
    return std::nullopt;
}

/// Entries of a sysfs class directory. A missing class on a machine whose sysfs is
/// mounted means no driver registered one (this VM has no power_supply entries at all):
/// that is "checked, none", so it reads as an empty list; nullopt only without sysfs.
std::optional<std::vector<std::string>> class_entries(const SysRoot& root, std::string_view dir) {
    if (auto names = root.list_dir(dir)) {
        return names;
    }
    if (root.is_directory("/sys/class")) {
        return std::vector<std::string>{};
    }
    return std::nullopt;
}

/// thermal_zone2 before thermal_zone10.
std::optional<int> zone_number(const std::string& name) {
    constexpr std::string_view prefix = "thermal_zone";
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0 ||
        name.find_first_not_of("0123456789", prefix.size()) != std::string::npos) {
        return std::nullopt;
    }
    int number = 0;
    const char* first = name.data() + prefix.size();
    auto [ptr, ec] = std::from_chars(first, name.data() + name.size(), number);
    if (ec != std::errc()) {
        return std::nullopt;
    }
    return number;
}

void read_supplies(const SysRoot& root, HardwareProfile& profile) {
    const auto names = class_entries(root, supply_dir);
    if (!names) {
        return;
    }
    auto& power = profile.power;
    bool battery_found = false;
    bool discharging = false;
    bool mains_online = false;
    for (const auto& name : *names) {
        const std::string dir = std::string(supply_dir) + "/" + name;
        const auto type = root.read_line(dir + "/type").value_or("");
        if (type == "Battery") {
            // scope "Device" marks a peripheral's battery (a mouse, a keyboard), not the
            // one powering this machine.
            if (root.read_line(dir + "/scope").value_or("") == "Device" || battery_found) {
                continue;
            }
            battery_found = true;
            power.has_battery.set(true, Source::sysfs);
            if (auto capacity = root.read_signed(dir + "/capacity");
                capacity && *capacity >= 0 && *capacity <= 100) {
                power.battery_percent.set(static_cast<int>(*capacity), Source::sysfs);
            }
            if (auto state = battery_state(root.read_line(dir + "/status").value_or(""))) {
                power.battery_state.set(*state, Source::sysfs);
                discharging = *state == "discharging";
            }
        } else if (type == "Mains" || type == "USB") {
            if (root.read_signed(dir + "/online").value_or(0) == 1) {
                mains_online = true;
            }
        }
    }
    if (!battery_found) {
        // The class was readable and lists no system battery: checked, none.
        power.has_battery.set(false, Source::sysfs);
    }
    if (mains_online) {
        power.supply.set("ac", Source::sysfs);
    } else if (battery_found && discharging) {
        power.supply.set("battery", Source::sysfs);
    } else if (!battery_found) {
        // A machine without a battery (a desktop, a server, a VM) runs on mains.
        power.supply.set("ac", Source::inferred);
    }
}

std::optional<double> millidegrees(const SysRoot& root, const std::string& path) {
    // Thermal sysfs reports millidegrees Celsius (Documentation/driver-api/thermal/sysfs-api.rst).
    if (auto value = root.read_signed(path)) {
        return static_cast<double>(*value) / 1000.0;
    }
    return std::nullopt;
}

void read_thermal(const SysRoot& root, HardwareProfile& profile) {
    const auto names = class_entries(root, thermal_dir);
    if (!names) {
        return;
    }
    auto& power = profile.power;
    power.thermal_source = Source::sysfs;
    std::map<int, std::string> zones;
    for (const auto& name : *names) {
        if (auto number = zone_number(name)) {
            zones[*number] = name;
        }
    }
    for (const auto& [number, name] : zones) {
        const std::string dir = std::string(thermal_dir) + "/" + name;
        ThermalZone zone;
        zone.name = root.read_line(dir + "/type").value_or(name);
        // Reading temp can fail (EIO/ENODATA) for a sensor that is powered down.
        zone.temperature_c = millidegrees(root, dir + "/temp");
        for (int i = 0;; ++i) {
            const std::string trip = dir + "/trip_point_" + std::to_string(i);
            auto type = root.read_line(trip + "_type");
            if (!type) {
                break;
            }
            if (auto temperature = millidegrees(root, trip + "_temp")) {
                zone.trip_points.push_back({*type, *temperature});
            }
        }
        power.thermal_zones.push_back(std::move(zone));
    }
}

} // namespace

void read_power(const SysRoot& root, HardwareProfile& profile) {
    read_supplies(root, profile);
    read_thermal(root, profile);
}

} // namespace edgeplan::probe_detail
