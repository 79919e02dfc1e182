#include "linux_probe.hpp"

#include <algorithm>
#include <cctype>

namespace edgeplan::probe_detail {

namespace {

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

/// Words that name a driver's user-space stack in Vulkan ICD manifests and OpenCL vendor
/// files: nvidia_icd.json -> libGLX_nvidia.so.0, radeon_icd.*.json -> libvulkan_radeon.so,
/// amd_icd64.json (AMDVLK), intel_icd.*.json -> libvulkan_intel.so, nvidia.icd ->
/// libnvidia-opencl.so.1, amdocl64.icd, intel.icd -> libigdrcl.so (as the Debian packages
/// install them).
std::vector<std::string> driver_keywords(const std::string& driver) {
    if (driver == "nvidia") {
        return {"nvidia"};
    }
    if (driver == "amdgpu" || driver == "radeon") {
        return {"radeon", "amd"};
    }
    if (driver == "i915" || driver == "xe") {
        return {"intel", "igdrcl"};
    }
    if (driver == "nouveau") {
        return {"nouveau", "nvk"};
    }
    return {driver};
}

/// True when a file in `dir` whose name ends in `suffix` mentions a keyword in its name
/// or its content (the manifest's library path).
bool any_manifest_names(const SysRoot& root, const std::string& dir, const std::string& suffix,
                        const std::vector<std::string>& keywords) {
    const auto names = root.list_dir(dir);
    if (!names) {
        return false;
    }
    for (const auto& name : *names) {
        if (name.size() < suffix.size() ||
            name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) {
            continue;
        }
        const std::string text = lower(name + "\n" + root.read_file(dir + "/" + name).value_or(""));
        for (const auto& keyword : keywords) {
            if (text.find(keyword) != std::string::npos) {
                return true;
            }
        }
    }
    return false;
}

bool level_zero_loader_present(const SysRoot& root) {
    // The oneAPI Level Zero loader (Debian package libze1) installs libze_loader.so.1 in
    // the multiarch library directory; Intel's own packages also use /usr/lib and /opt.
    static const char* const dirs[] = {"/usr/lib/x86_64-linux-gnu",
                                       "/usr/lib/aarch64-linux-gnu",
                                       "/usr/lib64",
                                       "/usr/lib",
                                       "/usr/local/lib",
                                       "/opt/intel/oneapi/lib"};
    for (const char* dir : dirs) {
        if (root.exists(std::string(dir) + "/libze_loader.so.1")) {
            return true;
        }
    }
    return false;
}

} // namespace

std::vector<std::string> detect_gpu_apis(const SysRoot& root, const std::string& driver) {
    std::vector<std::string> apis;
    // Runtime checks from the hwloc reference (§3): the files each vendor's stack installs.
    if (driver == "nvidia" && root.exists("/proc/driver/nvidia/version")) {
        apis.push_back("cuda");
    }
    if (driver == "amdgpu" && root.exists("/dev/kfd")) {
        // /dev/kfd is the ROCm compute interface of amdgpu (Documentation/gpu/amdgpu).
        apis.push_back("rocm");
    }
    if ((driver == "i915" || driver == "xe") && level_zero_loader_present(root)) {
        apis.push_back("level_zero");
    }
    const auto keywords = driver_keywords(driver);
    // Vulkan loader manifest search paths (KhronosGroup/Vulkan-Loader,
    // docs/LoaderDriverInterface.md).
    if (any_manifest_names(root, "/usr/share/vulkan/icd.d", ".json", keywords) ||
        any_manifest_names(root, "/etc/vulkan/icd.d", ".json", keywords)) {
        apis.push_back("vulkan");
    }
    // OpenCL ICD loader vendor files (Khronos OpenCL ICD loader, /etc/OpenCL/vendors/*.icd).
    if (any_manifest_names(root, "/etc/OpenCL/vendors", ".icd", keywords)) {
        apis.push_back("opencl");
    }
    return apis;
}

} // namespace edgeplan::probe_detail
