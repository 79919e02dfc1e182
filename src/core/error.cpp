#include <edgeplan/core/error.hpp>

namespace edgeplan {

std::string format_error_line(const Error& error) {
    std::string line = "edgeplan: error: ";
    if (!error.where.empty()) {
        line += error.where + ": ";
    }
    // One line, always: a multi-line message would break scripts that read stderr.
    for (char c : error.message) {
        line += (c == '\n' || c == '\r') ? ' ' : c;
    }
    return line;
}

} // namespace edgeplan
