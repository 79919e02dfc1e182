// The shipped catalogue: it loads, its cross-references resolve, and it is big enough.
#include <edgeplan/catalog/catalog.hpp>

#include <catch2/catch.hpp>

using namespace edgeplan;

namespace {

const Catalog& shipped() {
    static const Catalog catalog = [] {
        auto loaded = load_catalog(CatalogSource::embedded());
        if (!loaded) {
            FAIL(loaded.error().where + ": " + loaded.error().message);
        }
        return std::move(*loaded);
    }();
    return catalog;
}

} // namespace

TEST_CASE("catalog: the embedded catalogue loads with every cross-reference resolved",
          "[catalog]") {
    const auto check = check_catalog(CatalogSource::embedded());
    for (const auto& problem : check.problems) {
        UNSCOPED_INFO(problem.location() + ": " + problem.message);
    }
    REQUIRE(check.problems.empty());
    REQUIRE(check.catalog.has_value());
}

TEST_CASE("catalog: the data directory and the embedded copy are the same catalogue", "[catalog]") {
    const auto from_dir = check_catalog(CatalogSource::from_directory(EDGEPLAN_DATA_DIR));
    REQUIRE(from_dir.problems.empty());
    const auto& embedded = shipped();
    CHECK(from_dir.catalog->models.size() == embedded.models.size());
    CHECK(from_dir.catalog->targets.size() == embedded.targets.size());
    CHECK(from_dir.catalog->engines.size() == embedded.engines.size());
}

TEST_CASE("catalog: the catalogue meets the issue's minimum counts", "[catalog]") {
    const auto& catalog = shipped();
    CHECK(catalog.models.size() >= 100);
    CHECK(catalog.engines.size() >= 25);
    CHECK(catalog.targets.size() >= 50);
    CHECK(catalog.gguf_presets.size() >= 30);
}

TEST_CASE("catalog: lookups resolve ids and aliases of every kind", "[catalog]") {
    const auto& catalog = shipped();
    REQUIRE(catalog.find_model("llama-3.1-8b-instruct") != nullptr);
    REQUIRE(catalog.find_engine("llama.cpp") != nullptr);
    CHECK(catalog.find_engine("llama-cpp") == nullptr);
    const Target* target = catalog.find_target("apple-m4-pro-20gpu");
    REQUIRE(target != nullptr);
    CHECK(target->profile.origin.method == "preset");
    CHECK(target->profile.memory.total_bytes.source == Source::preset);
    CHECK(catalog.find_gguf_preset("Q4_K")->id == "Q4_K_M");
    CHECK(catalog.find_weight_format("mlx-4bit")->id == "mlx-affine-4bit-g64");
    CHECK(catalog.find_quantization("awq-int4").format->id == "awq-int4-g128");
    CHECK(catalog.find_quantization("Q8_0").preset != nullptr);
    CHECK_FALSE(catalog.find_quantization("Q9_9").found());
    CHECK(catalog.find_ggml_type("q4_K")->bytes_per_block == 144);
}

TEST_CASE("catalog: every target's default memory is one of its options", "[catalog]") {
    for (const auto& target : shipped().targets) {
        INFO(target.id);
        const auto& options = target.memory_options_bytes;
        REQUIRE(target.profile.memory.total_bytes.value.has_value());
        CHECK(std::find(options.begin(), options.end(), *target.profile.memory.total_bytes.value) !=
              options.end());
    }
}

TEST_CASE("catalog: similar_ids suggests close ids for typos and fragments", "[catalog]") {
    const std::vector<std::string> ids = {"apple-m4-pro-20gpu", "apple-m4-pro-16gpu",
                                          "desktop-rtx-4090"};
    CHECK(similar_ids("apple-m4-pro-20gpo", ids).front() == "apple-m4-pro-20gpu");
    CHECK(similar_ids("rtx-4090", ids) == std::vector<std::string>{"desktop-rtx-4090"});
    CHECK(similar_ids("zzzzzz", ids).empty());
}

TEST_CASE("catalog: sliding-window patterns count local layers from layer 0", "[catalog]") {
    SlidingWindow gemma3{1024, "LLLLLG"};
    CHECK(gemma3.sliding_layers(26) == 22);
    CHECK(SlidingWindow{4096, "L"}.sliding_layers(8) == 8);
}
