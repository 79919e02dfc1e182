// A reader for the pci.ids database (https://pci-ids.ucw.cz/, Debian package pci.ids).
// Format: "VVVV  vendor name" at column 0, "\tDDDD  device name" below it, "\t\t" subsystem
// lines, '#' comments, and after the vendors a "C xx  class" section. Only the one entry asked
// for is looked up, stopping as soon as it is found or its vendor block ends.

#include "pci_ids.hpp"

#include <charconv>
#include <fstream>
#include <string_view>

namespace edgeplan::probe_detail {

namespace {

// "10de  NVIDIA Corporation" -> id 0x10de, name "NVIDIA Corporation". False for anything
// that is not 4 hex digits, two spaces and a name.
bool parse_entry(std::string_view line, std::uint16_t& id, std::string_view& name) {
    if (line.size() < 7 || line[4] != ' ' || line[5] != ' ') {
        return false;
    }
    unsigned value = 0;
    const auto [ptr, ec] = std::from_chars(line.data(), line.data() + 4, value, 16);
    if (ec != std::errc() || ptr != line.data() + 4) {
        return false;
    }
    id = static_cast<std::uint16_t>(value);
    name = line.substr(6);
    while (!name.empty() && (name.back() == '\r' || name.back() == ' ')) {
        name.remove_suffix(1);
    }
    return !name.empty();
}

} // namespace

std::optional<std::string> pci_device_name(std::uint16_t vendor_id, std::uint16_t device_id,
                                           const std::filesystem::path& ids_file) {
    std::ifstream in(ids_file);
    if (!in) {
        return std::nullopt;
    }
    bool in_vendor = false;
    std::string line;
    while (std::getline(in, line)) {
        const std::string_view view = line;
        if (view.empty() || view[0] == '#') {
            continue;
        }
        std::uint16_t id = 0;
        std::string_view name;
        if (view[0] != '\t') {
            if (in_vendor || view.rfind("C ", 0) == 0) {
                return std::nullopt; // past our vendor's block, or into the class section
            }
            in_vendor = parse_entry(view, id, name) && id == vendor_id;
            continue;
        }
        if (in_vendor && view.size() > 1 && view[1] != '\t' &&
            parse_entry(view.substr(1), id, name) && id == device_id) {
            return std::string(name);
        }
    }
    return std::nullopt;
}

} // namespace edgeplan::probe_detail
