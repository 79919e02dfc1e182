// Bad catalogues (tests/fixtures/catalog/<case>/): every problem is reported with its file
// and JSON pointer, the code is bad_catalog (4), and nothing is loaded.
#include <edgeplan/catalog/catalog.hpp>

#include <catch2/catch.hpp>

#include <algorithm>

using namespace edgeplan;

namespace {

const std::string fixtures = std::string(EDGEPLAN_FIXTURES_DIR) + "/catalog/";

/// Problems of a fixture, as "<file below the fixture>: <pointer>: <message>".
std::vector<std::string> problems_of(const std::string& name) {
    const auto check = check_catalog(CatalogSource::from_directory(fixtures + name));
    CHECK_FALSE(check.catalog.has_value());
    std::vector<std::string> lines;
    for (const auto& problem : check.problems) {
        std::string file = problem.file.substr((fixtures + name + "/").size());
        lines.push_back(file + ": " + problem.pointer + ": " + problem.message);
    }
    return lines;
}

bool has(const std::vector<std::string>& lines, const std::string& start) {
    return std::any_of(lines.begin(), lines.end(),
                       [&](const std::string& line) { return line.rfind(start, 0) == 0; });
}

} // namespace

TEST_CASE("catalog: the minimal good fixture loads", "[catalog]") {
    const auto check = check_catalog(CatalogSource::from_directory(fixtures + "good"));
    REQUIRE(check.problems.empty());
    CHECK(check.catalog->models.size() == 1);
}

TEST_CASE("catalog: malformed JSON is reported and the other files are still checked",
          "[catalog]") {
    const auto lines = problems_of("malformed");
    REQUIRE(lines.size() == 2);
    CHECK(has(lines, "models/models.json: : not valid JSON: parse error at line 3"));
    CHECK(has(lines, "models/more.json: /models/0/colour: unknown key"));
}

TEST_CASE("catalog: wrong types are each reported at their pointer", "[catalog]") {
    const auto lines = problems_of("wrong-types");
    REQUIRE(lines.size() == 3);
    CHECK(has(lines, "models/models.json: /models/0/open_weights: expected a boolean"));
    CHECK(has(lines, "models/models.json: /models/0/tasks: expected an array"));
    CHECK(has(lines, "models/models.json: /models/0/architecture/layers: expected an integer"));
}

TEST_CASE("catalog: dangling references name the referring field", "[catalog]") {
    const auto lines = problems_of("dangling-reference");
    REQUIRE(lines.size() == 3);
    CHECK(has(lines, "models/models.json: /models/0/artifacts/0/quantizations/1: unknown "
                     "quantization \"mlx-9bit\""));
    CHECK(has(lines,
              "engines/engines.json: /engines/0/quantizations/1: unknown quantization \"Q4_K_M\""));
    CHECK(has(lines,
              "quantizations/gguf_presets.json: /presets/0/base_type: unknown ggml type \"q8_9\""));
}

TEST_CASE("catalog: negative sizes are rejected in models and target profiles", "[catalog]") {
    const auto lines = problems_of("negative-size");
    REQUIRE(lines.size() == 3);
    CHECK(has(lines, "models/models.json: /models/0/parameters/total: "));
    CHECK(has(lines, "targets/boards.json: /targets/0/memory_options_bytes/0: "));
    CHECK(has(lines, "targets/boards.json: /targets/0/profile/memory/total_bytes/value: "));
}

TEST_CASE("catalog: duplicate ids are reported across and within files", "[catalog]") {
    const auto lines = problems_of("duplicate-id");
    REQUIRE(lines.size() == 2);
    CHECK(has(lines, "models/more.json: /models/0/id: duplicate model id \"qwen3-0.6b\""));
    CHECK(has(lines, "targets/boards.json: /targets/1/id: duplicate target id"));
}

TEST_CASE("catalog: unknown keys are reported at every depth", "[catalog]") {
    const auto lines = problems_of("unknown-key");
    REQUIRE(lines.size() == 3);
    CHECK(has(lines, "models/models.json: /models/0/colour: unknown key"));
    CHECK(has(lines, "models/models.json: /models/0/architecture/n_layers: unknown key"));
    CHECK(has(lines, "models/models.json: /models/0/artifacts/0/quant: unknown key"));
}

TEST_CASE("catalog: load_catalog fails with code 4 naming the first problem and the count",
          "[catalog]") {
    auto loaded = load_catalog(CatalogSource::from_directory(fixtures + "unknown-key"));
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.error().code == ExitCode::bad_catalog);
    CHECK(loaded.error().where == fixtures + "unknown-key/models/models.json: /models/0/colour");
    CHECK(loaded.error().message == "unknown key (and 2 more problems)");
}

TEST_CASE("catalog: a missing catalogue directory is a catalogue problem", "[catalog]") {
    auto loaded = load_catalog(CatalogSource::from_directory(fixtures + "no-such-dir"));
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.error().code == ExitCode::bad_catalog);
    CHECK(loaded.error().message == "not a directory");
}

TEST_CASE("catalog: artifact files name listed quantizations with file names", "[catalog]") {
    const auto lines = problems_of("artifact-files");
    REQUIRE(lines.size() == 2);
    CHECK(has(lines, "models/models.json: /models/0/artifacts/0/files/Q4_K_M: names a "
                     "quantization the artifact does not list"));
    CHECK(has(lines, "models/models.json: /models/0/artifacts/0/files/Q8_0 : must be a "
                     "non-empty file name"));
}

TEST_CASE("catalog: NPU artifact fields are checked: runtime, accelerator, figures",
          "[catalog][npu]") {
    const auto lines = problems_of("npu-artifact");
    CHECK(has(lines, "models/models.json: /models/0/artifacts/1/runtime: unknown engine "
                     "\"qualcomm-genie\""));
    CHECK(has(lines, "models/models.json: /models/0/artifacts/1/performance/0/ttft_ms_min: "
                     "above ttft_ms_max"));
    CHECK(has(lines, "models/models.json: /models/0/artifacts/2/accelerator: an NPU artifact "
                     "names both its runtime and its accelerator"));
    CHECK(has(lines, "models/models.json: /models/0/artifacts/3/runtime: published NPU figures "
                     "need the runtime they were taken on"));
    CHECK(lines.size() == 4);
}

TEST_CASE("catalog: Gemma-style layer extras are range-checked", "[catalog]") {
    const auto lines = problems_of("layer-extras");
    REQUIRE(lines.size() == 3);
    CHECK(has(lines, "models/models.json: /models/0/architecture/altup_inputs: AltUp needs at "
                     "least 2 streams"));
    CHECK(has(lines, "models/models.json: /models/0/architecture/kv_shared_layers: at least one "
                     "layer must hold its own KV"));
    CHECK(has(lines, "models/models.json: /models/0/architecture/global_attention/head_dim"));
}
