#pragma once

// Writing a deployment folder (`recommend --out DIR`, `config --out DIR`) atomically: the
// files go into a temporary sibling folder, each is fsynced, the folder is fsynced, then it
// is renamed into place. An existing DIR is refused unless --force, which swaps the new
// folder in with one atomic exchange and then deletes the old one. Any failure removes the
// temporary folder: DIR is either untouched or complete.

#include <edgeplan/core/result.hpp>
#include <edgeplan/report/config_files.hpp>

#include <string>
#include <vector>

namespace edgeplan::cli {

/// The file-system calls the writer makes: the seam unit tests use to inject failures (like
/// probe's SysRoot). Every call returns an error with `where` = the path it failed on.
class OutputFileSystem {
  public:
    virtual ~OutputFileSystem() = default;
    enum class Kind { missing, directory, other };
    /// What is at `path` (symbolic links are not followed).
    virtual Kind kind(const std::string& path) = 0;
    /// Creates one directory, mode 0755 (before umask); fails if it exists.
    virtual Status make_directory(const std::string& path) = 0;
    /// Creates `path` (fails if it exists), writes `content`, fsyncs and closes it; mode 0755
    /// when `executable`, else 0644 (before umask).
    virtual Status write_file(const std::string& path, const std::string& content,
                              bool executable) = 0;
    /// fsyncs a directory so the names in it survive a crash.
    virtual Status sync_directory(const std::string& path) = 0;
    /// Renames `from` to `to`; fails if `to` exists.
    virtual Status rename_new(const std::string& from, const std::string& to) = 0;
    /// Atomically exchanges two existing paths (Linux renameat2 RENAME_EXCHANGE; elsewhere
    /// two renames).
    virtual Status exchange(const std::string& a, const std::string& b) = 0;
    /// Deletes a folder this writer created, with everything in it; best effort.
    virtual void remove_tree(const std::string& path) = 0;
};

/// The real file system (POSIX calls).
OutputFileSystem& real_output_file_system();

/// Whether an existing output folder may be replaced.
enum class Overwrite { refuse, replace };

/// Writes `files` into folder `dir` as described above. Returns the paths written
/// ("DIR/name", in `files` order). Errors: ExitCode::output_exists when DIR exists and
/// `overwrite` is refuse; ExitCode::output_failed for anything else (a missing parent, a
/// non-directory DIR, a failed write, a file name with a slash).
Result<std::vector<std::string>> write_deployment_folder(const std::vector<ConfigFile>& files,
                                                         const std::string& dir,
                                                         Overwrite overwrite,
                                                         OutputFileSystem& fs);

} // namespace edgeplan::cli
