// A thin main, as bloaty and hyperfine keep theirs: everything else is in the library so
// tests can drive it in-process.
#include <edgeplan/cli/app.hpp>

#include <exception>
#include <iostream>

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
    try {
        return edgeplan::run_edgeplan(args, std::cout, std::cerr);
    } catch (const std::exception& e) {
        // An exception reaching here is a bug: say so in one line, exit with the bug code.
        std::cerr << "edgeplan: error: internal: " << e.what() << "\n";
    } catch (...) {
        std::cerr << "edgeplan: error: internal: unknown exception\n";
    }
    return 1;
}
