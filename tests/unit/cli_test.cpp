#include <edgeplan/cli/app.hpp>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using edgeplan::run_edgeplan;

namespace {

struct Run {
    int code;
    std::string out;
    std::string err;
};

Run run(const std::vector<std::string>& args) {
    std::ostringstream out;
    std::ostringstream err;
    const int code = run_edgeplan(args, out, err);
    return {code, out.str(), err.str()};
}

} // namespace

TEST_CASE("the version and help flags print to stdout and exit 0", "[cli]") {
    auto version = run({"--version"});
    CHECK(version.code == 0);
    CHECK_THAT(version.out, Catch::StartsWith("edgeplan "));
    auto help = run({"--help"});
    CHECK(help.code == 0);
    CHECK_THAT(help.out, Catch::Contains("Exit codes:"));
    CHECK_THAT(help.out, Catch::Contains("audit"));
    auto sub_help = run({"audit", "--help"});
    CHECK(sub_help.code == 0);
    CHECK_THAT(sub_help.out, Catch::Contains("--topology"));
}

TEST_CASE("every parse error maps to exit 2 with one error line and empty stdout", "[cli]") {
    const std::vector<std::vector<std::string>> bad = {
        {"--frobnicate"},
        {"audit", "--frobnicate"},
        {"audit", "--format", "yaml"},
        {"audit", "--topology"},
        {"audit", "--topology", "a.xml", "--hardware", "b.json"},
        {"no-such-command"},
        {},
    };
    for (const auto& args : bad) {
        INFO(args.size());
        auto r = run(args);
        CHECK(r.code == 2);
        CHECK(r.out.empty());
        CHECK_THAT(r.err, Catch::StartsWith("edgeplan: error: "));
        const auto first_line = r.err.substr(0, r.err.find('\n'));
        CHECK(first_line.find("edgeplan: error: ") == 0);
    }
}

TEST_CASE("the exit-code table in --help matches README.md", "[cli]") {
    std::ifstream readme(std::string(EDGEPLAN_FIXTURES_DIR) + "/../../README.md");
    REQUIRE(readme.good());
    std::stringstream text;
    text << readme.rdbuf();
    for (const char* code : {"| 0 ", "| 1 ", "| 2 ", "| 3 ", "| 4 ", "| 5 ", "| 6 ", "| 10 "}) {
        INFO(code);
        CHECK_THAT(text.str(), Catch::Contains(code));
    }
    auto help = run({"--help"});
    for (const char* code : {"  0 ", "  1 ", "  2 ", "  3 ", "  4 ", "  5 ", "  6 ", "  10 "}) {
        CHECK_THAT(help.out, Catch::Contains(code));
    }
}

TEST_CASE("missing, empty and directory inputs give exit 3 and name the path", "[cli]") {
    const std::string fixtures = EDGEPLAN_FIXTURES_DIR;
    auto missing = run({"audit", "--hardware", "/nonexistent/p.json"});
    CHECK(missing.code == 3);
    CHECK(missing.out.empty());
    CHECK_THAT(missing.err, Catch::StartsWith("edgeplan: error: /nonexistent/p.json: no such file"));
    auto directory = run({"audit", "--topology", fixtures});
    CHECK(directory.code == 3);
    CHECK_THAT(directory.err, Catch::Contains("is a directory"));
    auto bad_dir = run({"audit", "--models-dir", "/nonexistent-dir"});
    CHECK(bad_dir.code == 3);
    CHECK(bad_dir.out.empty());
}

TEST_CASE("a live audit's JSON round-trips through --hardware unchanged", "[cli][roundtrip]") {
    auto live = run({"audit", "--format", "json"});
    REQUIRE(live.code == 0);
    const auto path = std::filesystem::temp_directory_path() / "edgeplan-roundtrip-test.json";
    {
        std::ofstream file(path);
        file << live.out;
    }
    auto again = run({"audit", "--hardware", path.string(), "--format", "json"});
    std::filesystem::remove(path);
    REQUIRE(again.code == 0);
    CHECK(again.out == live.out);
}

TEST_CASE("a live audit in Markdown shows every section of the table", "[cli]") {
    auto r = run({"audit"});
    REQUIRE(r.code == 0);
    CHECK(r.err.empty());
    for (const char* row : {"# Hardware Audit", "| OS |", "| CPU |", "| Memory |", "| GPUs |",
                            "| NPUs |", "| Models disk |", "| Power |", "## Constraints"}) {
        INFO(row);
        CHECK_THAT(r.out, Catch::Contains(row));
    }
}
