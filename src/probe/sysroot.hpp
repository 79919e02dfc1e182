#pragma once

// The file-system seam of the live probe (ninja's DiskInterface idea): every /proc, /sys,
// /dev and /etc read goes through a SysRoot, so tests point it at a fixture tree under
// tests/fixtures/sysroot/ and fake a whole machine. Nothing here throws.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace edgeplan::probe_detail {

/// Read-only view of a machine's pseudo file systems below a root directory.
class SysRoot {
  public:
    /// `root` is "/" for this machine, or a fixture directory.
    explicit SysRoot(std::filesystem::path root);

    /// True when the root is the real "/" (OS calls such as uname() describe this machine).
    [[nodiscard]] bool is_host() const;
    /// `path` ("/proc/meminfo" or "proc/meminfo") below the root.
    [[nodiscard]] std::filesystem::path resolve(std::string_view path) const;

    /// Whole file; nullopt when missing or unreadable (sysfs attributes can fail with EIO).
    [[nodiscard]] std::optional<std::string> read_file(std::string_view path) const;
    /// The file's first line without surrounding white space; nullopt when missing or empty.
    [[nodiscard]] std::optional<std::string> read_line(std::string_view path) const;
    /// The file's first line as an unsigned decimal or 0x-hex number.
    [[nodiscard]] std::optional<std::uint64_t> read_unsigned(std::string_view path) const;
    /// The file's first line as a signed decimal number.
    [[nodiscard]] std::optional<std::int64_t> read_signed(std::string_view path) const;
    /// Names in a directory, sorted, without hidden entries; nullopt when it is no directory.
    [[nodiscard]] std::optional<std::vector<std::string>> list_dir(std::string_view path) const;
    /// A symbolic link's target text as stored (sysfs links are relative).
    [[nodiscard]] std::optional<std::string> read_link(std::string_view path) const;
    /// The last component of a link's target: a driver name, a PCI bus id, a disk name.
    [[nodiscard]] std::optional<std::string> link_basename(std::string_view path) const;
    [[nodiscard]] bool exists(std::string_view path) const;
    [[nodiscard]] bool is_directory(std::string_view path) const;

  private:
    std::filesystem::path root_;
};

/// `text` without leading and trailing white space.
std::string trim_view(std::string_view text);
/// Splits on white space, dropping empty pieces.
std::vector<std::string> split_words(std::string_view text);
/// Parses a Linux CPU list ("0-3,8,10-11") into CPU numbers; nullopt when malformed.
std::optional<std::vector<int>> parse_cpu_list(std::string_view text);

} // namespace edgeplan::probe_detail
