#include "linux_probe.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <system_error>

#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>

namespace edgeplan::probe_detail {

namespace {

bool starts_with(const std::string& text, std::string_view prefix) {
    return text.rfind(prefix, 0) == 0;
}

std::string dirname_of(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

std::string basename_of(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

/// The whole disk for a block device name: a partition's parent ("nvme0n1p2" ->
/// "nvme0n1"), and for device-mapper (LVM, LUKS) the device beneath it, a few levels deep.
std::string underlying_disk(const SysRoot& root, std::string name) {
    for (int depth = 0; depth < 4; ++depth) {
        const std::string dir = "/sys/class/block/" + name;
        if (root.exists(dir + "/partition")) {
            // sysfs nests a partition inside its disk: .../block/nvme0n1/nvme0n1p2.
            if (auto target = root.read_link(dir)) {
                name = basename_of(dirname_of(*target));
            }
            continue;
        }
        if (starts_with(name, "dm-") || starts_with(name, "md")) {
            const auto slaves = root.list_dir(dir + "/slaves");
            if (slaves && !slaves->empty()) {
                name = slaves->front();
                continue;
            }
        }
        break;
    }
    return name;
}

std::optional<std::string> disk_type(const SysRoot& root, const std::string& disk) {
    // Names first: virtio disks report rotational 1 (hwloc reference §4), so the queue
    // flag only decides for disks the name does not classify.
    if (starts_with(disk, "nvme")) {
        return "nvme";
    }
    if (starts_with(disk, "vd") || starts_with(disk, "xvd")) {
        return "virtual";
    }
    if (starts_with(disk, "zram") || starts_with(disk, "ram") || starts_with(disk, "pmem")) {
        return "ram";
    }
    if (starts_with(disk, "loop")) {
        return std::nullopt; // a file on another disk, which we cannot see from here
    }
    // SCSI disks that hypervisors emulate carry the hypervisor's vendor string.
    const auto vendor = root.read_line("/sys/block/" + disk + "/device/vendor").value_or("");
    if (vendor == "QEMU" || starts_with(vendor, "VMware") || vendor == "Msft" ||
        vendor == "Google") {
        return "virtual";
    }
    // Documentation/ABI/stable/sysfs-block: queue/rotational, 0 for non-rotational media.
    const auto rotational = root.read_unsigned("/sys/block/" + disk + "/queue/rotational");
    if (!rotational) {
        return std::nullopt;
    }
    return *rotational == 0 ? "ssd" : "hdd";
}

/// statfs(2) f_type magic numbers (linux/magic.h) for file systems with no local disk.
std::optional<std::string> file_system_kind(long f_type) {
    switch (static_cast<unsigned long>(f_type) & 0xffffffffUL) {
    case 0x794c7630UL:
        return "overlay"; // OVERLAYFS_SUPER_MAGIC
    case 0x01021994UL:    // TMPFS_MAGIC
    case 0x858458f6UL:
        return "ram";  // RAMFS_MAGIC
    case 0x6969UL:     // NFS_SUPER_MAGIC
    case 0x517bUL:     // SMB_SUPER_MAGIC
    case 0xff534d42UL: // CIFS_SUPER_MAGIC
    case 0xfe534d42UL: // SMB2_SUPER_MAGIC
    case 0x00c36400UL: // CEPH_SUPER_MAGIC
    case 0x01021997UL: // V9FS_MAGIC (9p shares of VMs and WSL)
    case 0x5346414fUL:
        return "network"; // AFS_FS_MAGIC
    default:
        return std::nullopt;
    }
}

bool is_octal(char c) {
    return c >= '0' && c <= '7';
}

/// Undoes mountinfo's octal escapes ("\040" for a space), proc(5).
std::string unescape_mount_path(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const bool escape = text[i] == '\\' && i + 3 < text.size() && is_octal(text[i + 1]) &&
                            is_octal(text[i + 2]) && is_octal(text[i + 3]);
        if (escape) {
            out.push_back(static_cast<char>((text[i + 1] - '0') * 64 + (text[i + 2] - '0') * 8 +
                                            (text[i + 3] - '0')));
            i += 3;
        } else {
            out.push_back(text[i]);
        }
    }
    return out;
}

/// The "/dev/..." source of the mount holding `path`, from /proc/self/mountinfo (proc(5)):
/// needed where st_dev is an anonymous device number (btrfs subvolumes).
std::optional<std::string> mount_source_device(const SysRoot& root, const std::string& path) {
    const auto text = root.read_file("/proc/self/mountinfo");
    if (!text) {
        return std::nullopt;
    }
    std::size_t best_length = 0;
    std::optional<std::string> best;
    std::string_view rest = *text;
    while (!rest.empty()) {
        const auto end = rest.find('\n');
        const auto words = split_words(rest.substr(0, end));
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
        std::size_t dash = 0;
        while (dash < words.size() && words[dash] != "-") {
            ++dash;
        }
        if (words.size() < 5 || dash + 2 >= words.size()) {
            continue;
        }
        const std::string mount_point = unescape_mount_path(words[4]);
        const bool covers =
            path == mount_point || mount_point == "/" || starts_with(path, mount_point + "/");
        // Later lines win ties: a mount stacked on the same point hides the earlier one.
        if (covers && mount_point.size() >= best_length) {
            best_length = mount_point.size();
            best = words[dash + 2];
        }
    }
    if (best && starts_with(*best, "/dev/")) {
        return basename_of(*best);
    }
    return std::nullopt;
}

} // namespace

BlockDevice classify_block_device(const SysRoot& root, unsigned major, unsigned minor) {
    BlockDevice result;
    const auto name = root.link_basename(fmt::format("/sys/dev/block/{}:{}", major, minor));
    if (!name) {
        return result;
    }
    const std::string disk = underlying_disk(root, *name);
    result.name = disk;
    result.type = disk_type(root, disk);
    return result;
}

void read_storage(const SysRoot& root, const LiveProbeOptions& options, HardwareProfile& profile) {
    auto& storage = profile.storage;
    std::error_code ec;
    const auto dir = std::filesystem::canonical(options.models_dir, ec);
    if (ec) {
        add_os_diagnostic(profile, "warning", "storage", "the models directory cannot be resolved");
        return;
    }
    struct statvfs vfs {};
    if (::statvfs(dir.c_str(), &vfs) == 0) {
        // f_bavail: what an unprivileged user can still write (statvfs(3)).
        storage.free_bytes.set(static_cast<std::uint64_t>(vfs.f_bavail) * vfs.f_frsize, Source::os);
        storage.total_bytes.set(static_cast<std::uint64_t>(vfs.f_blocks) * vfs.f_frsize,
                                Source::os);
    }
    struct statfs fs {};
    if (::statfs(dir.c_str(), &fs) == 0) {
        if (auto kind = file_system_kind(static_cast<long>(fs.f_type))) {
            storage.type.set(*kind, Source::os);
        }
    }
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0) {
        return;
    }
    BlockDevice block;
    if (major(st.st_dev) != 0) {
        block = classify_block_device(root, major(st.st_dev), minor(st.st_dev));
    } else if (auto source = mount_source_device(root, dir.string())) {
        const auto numbers = root.read_line("/sys/class/block/" + *source + "/dev");
        unsigned maj = 0;
        unsigned min = 0;
        if (numbers && std::sscanf(numbers->c_str(), "%u:%u", &maj, &min) == 2) {
            block = classify_block_device(root, maj, min);
        }
    }
    if (block.name) {
        storage.device.set(*block.name, Source::sysfs);
    }
    if (block.type) {
        storage.type.fill(*block.type, Source::sysfs);
    }
    if (options.disk_measurement == DiskMeasurement::measure) {
        measure_disk_read(dir, profile);
    }
}

} // namespace edgeplan::probe_detail
