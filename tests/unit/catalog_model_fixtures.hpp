#pragma once

// The embedded catalogue and one model's architecture by id, for the estimator tests that
// size real catalogue models (estimate_memory_test.cpp, estimate_gemma_test.cpp).

#include <edgeplan/catalog/catalog.hpp>

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

namespace catalog_fixtures {

using namespace edgeplan;

inline constexpr std::uint64_t mib = 1ull << 20;
inline constexpr std::uint64_t gib = 1ull << 30;

/// The embedded catalogue, loaded once.
inline const Catalog& catalog() {
    static const Catalog c = [] {
        auto loaded = load_catalog(CatalogSource::embedded());
        REQUIRE(loaded.ok());
        return *loaded;
    }();
    return c;
}

/// The architecture of catalogue model `id`; the test fails if there is no such model.
inline const ModelArchitecture& model(const std::string& id) {
    const Model* m = catalog().find_model(id);
    REQUIRE(m != nullptr);
    return m->architecture;
}

} // namespace catalog_fixtures
