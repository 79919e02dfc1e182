#include "file_io.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace edgeplan::cli {

namespace fs = std::filesystem;

Status check_user_file(const std::string& path, std::uintmax_t max_bytes) {
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
        return make_error(ExitCode::bad_input, path, "no such file");
    }
    if (fs::is_directory(status)) {
        return make_error(ExitCode::bad_input, path, "is a directory, not a file");
    }
    if (!fs::is_regular_file(status)) {
        return make_error(ExitCode::bad_input, path, "is not a regular file");
    }
    const auto size = fs::file_size(path, ec);
    if (ec) {
        return make_error(ExitCode::bad_input, path, "cannot read its size: " + ec.message());
    }
    if (size == 0) {
        return make_error(ExitCode::bad_input, path, "file is empty");
    }
    if (size > max_bytes) {
        return make_error(ExitCode::bad_input, path,
                          "file is " + std::to_string(size / (1024 * 1024)) + " MiB, larger than the " +
                              std::to_string(max_bytes / (1024 * 1024)) +
                              " MiB edgeplan accepts for this input");
    }
    std::ifstream probe(path, std::ios::binary);
    if (!probe) {
        return make_error(ExitCode::bad_input, path, std::string("cannot open: ") + std::strerror(errno));
    }
    return Done{};
}

Result<std::string> read_user_file(const std::string& path) {
    if (auto checked = check_user_file(path); !checked) {
        return checked.error();
    }
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (!in.good() && !in.eof()) {
        return make_error(ExitCode::bad_input, path, "read failed");
    }
    return buffer.str();
}

} // namespace edgeplan::cli
