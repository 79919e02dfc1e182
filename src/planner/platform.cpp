// Which operating system family a profile describes, for advice that differs per OS (disk
// encryption, schedulers, memory checks).
#include "section_text.hpp"

#include <algorithm>
#include <cctype>

namespace edgeplan {

namespace {

std::vector<std::string> words_of(const std::string& text) {
    std::vector<std::string> words;
    std::string word;
    for (char c : planner_detail::lower(text)) {
        if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
            word += c;
        } else if (!word.empty()) {
            words.push_back(word);
            word.clear();
        }
    }
    if (!word.empty()) {
        words.push_back(word);
    }
    return words;
}

std::optional<DevicePlatform> platform_from_os(const std::string& os) {
    const std::vector<std::string> words = words_of(os);
    auto has = [&](std::initializer_list<const char*> names) {
        return std::any_of(names.begin(), names.end(), [&](const char* name) {
            return std::find(words.begin(), words.end(), name) != words.end();
        });
    };
    if (has({"macos", "darwin", "osx"}) || os.find("Mac OS") != std::string::npos) {
        return DevicePlatform::os_macos;
    }
    if (has({"ios", "ipados"})) {
        return DevicePlatform::os_ios;
    }
    if (has({"android"})) {
        return DevicePlatform::os_android;
    }
    if (has({"windows"})) {
        return DevicePlatform::os_windows;
    }
    if (has({"linux", "debian", "ubuntu", "fedora", "rhel", "centos", "alpine", "arch", "suse",
             "jetpack", "raspbian"})) {
        return DevicePlatform::os_linux;
    }
    return std::nullopt;
}

} // namespace

DevicePlatform device_platform(const HardwareProfile& profile, const Catalog& catalog) {
    if (profile.system.os.value) {
        if (std::optional<DevicePlatform> p = platform_from_os(*profile.system.os.value)) {
            return *p;
        }
    }
    std::string target_class;
    if (profile.origin.method == "preset") {
        if (const Target* target = catalog.find_target(profile.origin.name)) {
            target_class = target->target_class;
        }
    }
    const bool apple = planner_detail::has_gpu_vendor(profile, "Apple") ||
                       profile.cpu.vendor.value == std::optional<std::string>("Apple");
    if (apple) {
        return target_class == "phone" || target_class == "tablet" ? DevicePlatform::os_ios
                                                                   : DevicePlatform::os_macos;
    }
    if (target_class == "phone") {
        return DevicePlatform::os_android;
    }
    return DevicePlatform::unknown;
}

} // namespace edgeplan
