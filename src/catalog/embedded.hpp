#pragma once

// The layout of the generated embedded_data.cpp (written by cmake/EmbedCatalog.cmake).

#include <cstddef>

namespace edgeplan::catalog_embedded {

/// One embedded file: its path below data/ and its bytes (NUL-terminated; `size` excludes it).
struct File {
    const char* path;
    const unsigned char* data;
    std::size_t size;
};

extern const File files[];
extern const std::size_t file_count;

} // namespace edgeplan::catalog_embedded
