#include "linux_probe.hpp"

#include <fmt/format.h>

#include <chrono>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

namespace edgeplan::probe_detail {

namespace {

// A read shorter than this mostly measures request latency and read-ahead, not the
// sustained rate a model load sees.
constexpr std::uint64_t min_measure_bytes = std::uint64_t{64} << 20;
constexpr std::uint64_t max_measure_bytes = std::uint64_t{1} << 30;
constexpr auto max_measure_time = std::chrono::seconds(3);
constexpr std::size_t read_chunk_bytes = std::size_t{4} << 20;
// Bounds the directory walk so a huge tree (a whole home directory) stays quick.
constexpr int max_walk_entries = 100000;

struct LargestFile {
    std::filesystem::path path;
    std::uint64_t size = 0;
};

LargestFile find_largest_file(const std::filesystem::path& dir) {
    LargestFile largest;
    std::error_code ec;
    std::filesystem::recursive_directory_iterator it(
        dir, std::filesystem::directory_options::skip_permission_denied, ec);
    int visited = 0;
    for (const std::filesystem::recursive_directory_iterator end; !ec && it != end;
         it.increment(ec)) {
        if (++visited > max_walk_entries) {
            break;
        }
        // symlink_status: a link (Hugging Face snapshots link to blobs) is not read twice.
        std::error_code status_ec;
        const auto status = it->symlink_status(status_ec);
        if (status_ec || !std::filesystem::is_regular_file(status)) {
            continue;
        }
        const auto size = it->file_size(status_ec);
        if (!status_ec && size > largest.size) {
            largest = {it->path(), size};
        }
    }
    return largest;
}

} // namespace

void measure_disk_read(const std::filesystem::path& models_dir, HardwareProfile& profile) {
    const std::string where = "storage.read_bandwidth_mbps";
    const LargestFile file = find_largest_file(models_dir);
    if (file.size < min_measure_bytes) {
        add_os_diagnostic(profile, "info", where,
                          "not measured: the models directory has no file of 64 MiB or more to "
                          "read (edgeplan writes nothing there)");
        return;
    }
    const int fd = ::open(file.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        add_os_diagnostic(profile, "warning", where,
                          "not measured: the largest file is unreadable");
        return;
    }
    // Drop the file's cached pages so the read reaches the disk (posix_fadvise(2)). The
    // kernel keeps pages another process has mapped (a running engine's mmap), so the
    // figure can still overstate the disk; it never understates it.
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    std::vector<char> buffer(read_chunk_bytes);
    std::uint64_t total = 0;
    bool failed = false;
    const auto start = std::chrono::steady_clock::now();
    auto elapsed = std::chrono::steady_clock::duration::zero();
    while (total < max_measure_bytes && elapsed < max_measure_time) {
        const ssize_t got = ::read(fd, buffer.data(), buffer.size());
        if (got < 0) {
            failed = true;
            break;
        }
        if (got == 0) {
            break;
        }
        total += static_cast<std::uint64_t>(got);
        elapsed = std::chrono::steady_clock::now() - start;
    }
    ::close(fd);
    const double seconds = std::chrono::duration<double>(elapsed).count();
    if (failed || total < min_measure_bytes || seconds <= 0) {
        add_os_diagnostic(profile, "warning", where, "not measured: the read stopped early");
        return;
    }
    const double mbps = static_cast<double>(total) / 1e6 / seconds;
    profile.storage.read_bandwidth_mbps.set(mbps, Source::measured);
    add_os_diagnostic(profile, "info", where,
                      fmt::format("sequential read of {} MiB of the largest model file in {:.2f} s",
                                  total >> 20, seconds));
}

} // namespace edgeplan::probe_detail
