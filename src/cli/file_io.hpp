#pragma once

// Reading files the user names on the command line: size-capped, with errors that name
// the path as the user typed it.

#include <edgeplan/core/result.hpp>

#include <cstdint>
#include <string>

namespace edgeplan::cli {

/// Largest profile, topology or catalogue file edgeplan reads. Real ones are < 1 MiB
/// (the largest hwloc test topology is 330 KB); anything bigger is a wrong file.
inline constexpr std::uintmax_t max_input_file_bytes = 64ull * 1024 * 1024;

/// Reads a whole regular file. Errors (ExitCode::bad_input, where = path): missing, a
/// directory, not readable, empty, larger than max_input_file_bytes.
Result<std::string> read_user_file(const std::string& path);

/// Checks that a path names a readable, non-empty regular file of at most `max_bytes`
/// without reading it (GGUF files pass a larger cap: they are read by header only).
Status check_user_file(const std::string& path, std::uintmax_t max_bytes = max_input_file_bytes);

} // namespace edgeplan::cli
