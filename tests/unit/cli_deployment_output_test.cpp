// The deployment-folder writer: atomic placement, refusal without --force, atomic
// replacement with it, and nothing left behind when any file-system call fails.

#include <edgeplan/cli/deployment_output.hpp>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

using namespace edgeplan;
using namespace edgeplan::cli;
namespace fs = std::filesystem;

namespace {

/// The real file system, failing the N-th mutating call (1-based; 0 never fails).
class FailingFileSystem final : public OutputFileSystem {
  public:
    explicit FailingFileSystem(int fail_at) : fail_at_(fail_at) {}
    Kind kind(const std::string& path) override { return real().kind(path); }
    Status make_directory(const std::string& path) override {
        return step(path) ? real().make_directory(path) : injected(path);
    }
    Status write_file(const std::string& path, const std::string& content,
                      bool executable) override {
        return step(path) ? real().write_file(path, content, executable) : injected(path);
    }
    Status sync_directory(const std::string& path) override {
        return step(path) ? real().sync_directory(path) : injected(path);
    }
    Status rename_new(const std::string& from, const std::string& to) override {
        return step(to) ? real().rename_new(from, to) : injected(to);
    }
    Status exchange(const std::string& a, const std::string& b) override {
        return step(b) ? real().exchange(a, b) : injected(b);
    }
    void remove_tree(const std::string& path) override { real().remove_tree(path); }
    int calls = 0;

  private:
    static OutputFileSystem& real() { return real_output_file_system(); }
    bool step(const std::string&) { return ++calls != fail_at_; }
    static Status injected(const std::string& path) {
        return make_error(ExitCode::output_failed, path, "injected failure");
    }
    int fail_at_;
};

std::vector<ConfigFile> sample_files() {
    return {{"run.sh", "sh", "llama-server", "#!/bin/sh\nexec llama-server\n"},
            {"config.yaml", "yaml", "", "a: 1\n"},
            {"README.md", "markdown", "", "# Deployment\n"}};
}

std::string read(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

/// A fresh empty folder for one test.
fs::path scratch(const std::string& name) {
    const fs::path root = fs::current_path() / ("deployment_output_" + name);
    fs::remove_all(root);
    fs::create_directories(root);
    return root;
}

std::size_t entries(const fs::path& dir) {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), {}));
}

} // namespace

TEST_CASE("deployment output: writes every file, scripts executable", "[cli][output]") {
    const fs::path root = scratch("writes");
    const auto written = write_deployment_folder(sample_files(), (root / "out").string(),
                                                 Overwrite::refuse, real_output_file_system());
    REQUIRE(written);
    CHECK(written->size() == 3);
    CHECK(written->at(0) == (root / "out" / "run.sh").string());
    CHECK(read(root / "out" / "config.yaml") == "a: 1\n");
    struct stat st {};
    REQUIRE(::stat((root / "out" / "run.sh").c_str(), &st) == 0);
    CHECK((st.st_mode & S_IXUSR) != 0);
    REQUIRE(::stat((root / "out" / "config.yaml").c_str(), &st) == 0);
    CHECK((st.st_mode & S_IXUSR) == 0);
    CHECK(entries(root) == 1); // no staging folder left
    fs::remove_all(root);
}

TEST_CASE("deployment output: an existing folder is refused without --force",
          "[cli][output]") {
    const fs::path root = scratch("refuse");
    fs::create_directories(root / "out");
    std::ofstream(root / "out" / "mine.txt") << "keep me\n";
    const auto written = write_deployment_folder(sample_files(), (root / "out").string(),
                                                 Overwrite::refuse, real_output_file_system());
    REQUIRE_FALSE(written);
    CHECK(written.error().code == ExitCode::output_exists);
    CHECK(read(root / "out" / "mine.txt") == "keep me\n");
    CHECK(entries(root) == 1);
    fs::remove_all(root);
}

TEST_CASE("deployment output: --force replaces the folder as a whole", "[cli][output]") {
    const fs::path root = scratch("force");
    fs::create_directories(root / "out");
    std::ofstream(root / "out" / "stale.txt") << "old\n";
    const auto written = write_deployment_folder(sample_files(), (root / "out/").string(),
                                                 Overwrite::replace, real_output_file_system());
    REQUIRE(written);
    CHECK_FALSE(fs::exists(root / "out" / "stale.txt"));
    CHECK(fs::exists(root / "out" / "README.md"));
    CHECK(entries(root) == 1);
    fs::remove_all(root);
}

TEST_CASE("deployment output: bad targets fail with one error and write nothing",
          "[cli][output]") {
    const fs::path root = scratch("bad");
    std::ofstream(root / "file") << "x\n";
    auto& real = real_output_file_system();
    const auto files = sample_files();
    CHECK(write_deployment_folder(files, (root / "missing" / "out").string(), Overwrite::refuse,
                                  real)
              .error()
              .code == ExitCode::output_failed);
    CHECK(write_deployment_folder(files, (root / "file").string(), Overwrite::replace, real)
              .error()
              .code == ExitCode::output_failed);
    CHECK(write_deployment_folder(files, ".", Overwrite::replace, real).error().code ==
          ExitCode::output_failed);
    CHECK(entries(root) == 1);
    fs::remove_all(root);
}

TEST_CASE("deployment output: a failure at any step leaves nothing behind", "[cli][output]") {
    for (const Overwrite mode : {Overwrite::refuse, Overwrite::replace}) {
        int fail_at = 1;
        for (;; ++fail_at) {
            const fs::path root = scratch("fail");
            if (mode == Overwrite::replace) {
                fs::create_directories(root / "out");
                std::ofstream(root / "out" / "old.txt") << "old\n";
            }
            FailingFileSystem failing(fail_at);
            const auto written = write_deployment_folder(sample_files(),
                                                         (root / "out").string(), mode, failing);
            INFO("mode " << static_cast<int>(mode) << ", failing call " << fail_at);
            if (written) {
                CHECK(fail_at > failing.calls); // every call was tried once before success
                fs::remove_all(root);
                break;
            }
            CHECK(written.error().code == ExitCode::output_failed);
            CHECK(written.error().message == "injected failure");
            // Either the old folder, intact, or no folder at all; never a staging folder
            // (the final directory sync is after the folder is complete and in place).
            if (mode == Overwrite::replace) {
                const bool old_intact = fs::exists(root / "out" / "old.txt") &&
                                        !fs::exists(root / "out" / "run.sh");
                const bool new_complete = fs::exists(root / "out" / "README.md") &&
                                          !fs::exists(root / "out" / "old.txt");
                CHECK((old_intact || new_complete));
            } else {
                CHECK((!fs::exists(root / "out") || fs::exists(root / "out" / "README.md")));
            }
            CHECK(entries(root) == (fs::exists(root / "out") ? 1u : 0u));
            fs::remove_all(root);
        }
        CHECK(fail_at >= 6); // mkdir, 3 writes, sync, place, sync
    }
}
