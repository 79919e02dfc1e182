// Atomic deployment folders: build in a hidden sibling, fsync, rename (or exchange) into
// place. The only code that writes files the user named.

#include <edgeplan/cli/deployment_output.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/syscall.h>
#include <linux/fs.h>
#endif

namespace edgeplan::cli {

namespace {

Error failed(const std::string& where, const std::string& what) {
    return make_error(ExitCode::output_failed, where, what + ": " + std::strerror(errno));
}

class PosixOutputFileSystem final : public OutputFileSystem {
  public:
    Kind kind(const std::string& path) override {
        struct stat st {};
        if (::lstat(path.c_str(), &st) != 0) {
            return Kind::missing;
        }
        return S_ISDIR(st.st_mode) ? Kind::directory : Kind::other;
    }

    Status make_directory(const std::string& path) override {
        if (::mkdir(path.c_str(), 0755) != 0) {
            return failed(path, "cannot create the folder");
        }
        return Done{};
    }

    Status write_file(const std::string& path, const std::string& content,
                      bool executable) override {
        const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                              executable ? 0755 : 0644);
        if (fd < 0) {
            return failed(path, "cannot create the file");
        }
        std::size_t done = 0;
        while (done < content.size()) {
            const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                const Error error = failed(path, "write failed");
                ::close(fd);
                return error;
            }
            done += static_cast<std::size_t>(n);
        }
        if (::fsync(fd) != 0) {
            const Error error = failed(path, "fsync failed");
            ::close(fd);
            return error;
        }
        if (::close(fd) != 0) {
            return failed(path, "close failed");
        }
        return Done{};
    }

    Status sync_directory(const std::string& path) override {
        const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) {
            return failed(path, "cannot open the folder");
        }
        const int rc = ::fsync(fd);
        ::close(fd);
        if (rc != 0 && errno != EINVAL) { // some file systems cannot fsync a directory
            return failed(path, "fsync failed");
        }
        return Done{};
    }

    Status rename_new(const std::string& from, const std::string& to) override {
#if defined(__linux__) && defined(RENAME_NOREPLACE)
        // NOREPLACE closes the window in which someone else creates `to` after our check.
        if (::syscall(SYS_renameat2, AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(),
                      RENAME_NOREPLACE) == 0) {
            return Done{};
        }
        if (errno != ENOSYS && errno != EINVAL) {
            return failed(to, "cannot move the new folder into place");
        }
#endif
        if (kind(to) != Kind::missing) {
            errno = EEXIST;
            return failed(to, "cannot move the new folder into place");
        }
        if (std::rename(from.c_str(), to.c_str()) != 0) {
            return failed(to, "cannot move the new folder into place");
        }
        return Done{};
    }

    Status exchange(const std::string& a, const std::string& b) override {
#if defined(__linux__) && defined(RENAME_EXCHANGE)
        if (::syscall(SYS_renameat2, AT_FDCWD, a.c_str(), AT_FDCWD, b.c_str(),
                      RENAME_EXCHANGE) == 0) {
            return Done{};
        }
        if (errno != ENOSYS && errno != EINVAL) {
            return failed(b, "cannot replace the folder");
        }
#endif
        // No atomic exchange here: move the old folder aside, then the new one in. A crash
        // between the two leaves the old folder under `a`'s name, never a partial one.
        const std::string aside = a + ".old";
        if (std::rename(b.c_str(), aside.c_str()) != 0) {
            return failed(b, "cannot move the old folder aside");
        }
        if (std::rename(a.c_str(), b.c_str()) != 0) {
            const Error error = failed(b, "cannot replace the folder");
            std::rename(aside.c_str(), b.c_str());
            return error;
        }
        if (std::rename(aside.c_str(), a.c_str()) != 0) {
            return failed(a, "cannot move the old folder away");
        }
        return Done{};
    }

    void remove_tree(const std::string& path) override {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
    }
};

/// DIR without trailing slashes ("out/" -> "out"; "/" stays "/").
std::string trimmed(std::string dir) {
    while (dir.size() > 1 && dir.back() == '/') {
        dir.pop_back();
    }
    return dir;
}

/// The hidden sibling the folder is built in: "parent/.name.edgeplan-tmp".
std::string staging_path(const std::string& dir) {
    const auto slash = dir.rfind('/');
    const std::string parent = slash == std::string::npos ? "" : dir.substr(0, slash + 1);
    const std::string name = slash == std::string::npos ? dir : dir.substr(slash + 1);
    return parent + "." + name + ".edgeplan-tmp";
}

std::string parent_of(const std::string& dir) {
    const auto slash = dir.rfind('/');
    if (slash == std::string::npos) {
        return ".";
    }
    return slash == 0 ? "/" : dir.substr(0, slash);
}

Status fill(const std::vector<ConfigFile>& files, const std::string& staging,
            OutputFileSystem& fs) {
    if (Status made = fs.make_directory(staging); !made) {
        return made;
    }
    for (const auto& file : files) {
        if (Status written =
                fs.write_file(staging + "/" + file.name, file.content, file.executable());
            !written) {
            return written;
        }
    }
    return fs.sync_directory(staging);
}

} // namespace

OutputFileSystem& real_output_file_system() {
    static PosixOutputFileSystem fs;
    return fs;
}

Result<std::vector<std::string>> write_deployment_folder(const std::vector<ConfigFile>& files,
                                                         const std::string& dir_argument,
                                                         Overwrite overwrite,
                                                         OutputFileSystem& fs) {
    const std::string dir = trimmed(dir_argument);
    const std::string name = dir.substr(dir.rfind('/') == std::string::npos ? 0 : dir.rfind('/') + 1);
    if (dir.empty() || name.empty() || name == "." || name == ".." || dir == "/") {
        return make_error(ExitCode::output_failed, "--out",
                          "'" + dir_argument + "' cannot be a deployment folder: name a new one");
    }
    for (const auto& file : files) {
        if (file.name.empty() || file.name.find('/') != std::string::npos ||
            file.name[0] == '.') {
            return make_error(ExitCode::internal, file.name, "not a plain file name");
        }
    }
    const std::string parent = parent_of(dir);
    if (fs.kind(parent) != OutputFileSystem::Kind::directory) {
        return make_error(ExitCode::output_failed, dir_argument,
                          "the parent folder '" + parent + "' does not exist");
    }
    const auto existing = fs.kind(dir);
    if (existing != OutputFileSystem::Kind::missing) {
        if (overwrite == Overwrite::refuse) {
            return make_error(ExitCode::output_exists, dir_argument,
                              "already exists");
        }
        if (existing != OutputFileSystem::Kind::directory) {
            return make_error(ExitCode::output_failed, dir_argument,
                              "exists and is not a folder: not replaced");
        }
    }

    const std::string staging = staging_path(dir);
    fs.remove_tree(staging); // left by a crashed earlier run: ours by its name
    if (Status filled = fill(files, staging, fs); !filled) {
        fs.remove_tree(staging);
        return filled.error();
    }
    Status placed = existing == OutputFileSystem::Kind::missing ? fs.rename_new(staging, dir)
                                                                : fs.exchange(staging, dir);
    if (!placed) {
        fs.remove_tree(staging);
        return placed.error();
    }
    // After an exchange the staging name holds the old folder.
    fs.remove_tree(staging);
    if (Status synced = fs.sync_directory(parent); !synced) {
        return synced.error();
    }
    std::vector<std::string> written;
    for (const auto& file : files) {
        written.push_back(dir + "/" + file.name);
    }
    return written;
}

} // namespace edgeplan::cli
