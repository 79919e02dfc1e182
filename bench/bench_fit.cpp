// Where the time of `edgeplan fit` goes: loading the embedded catalogue, one fit that fits,
// one that does not (alternatives searched), and rendering. Target (issue 4): fit answers
// in under 20 ms.
#include <edgeplan/catalog/catalog.hpp>
#include <edgeplan/estimate/fit.hpp>
#include <edgeplan/report/fit_report.hpp>

#include <benchmark/benchmark.h>

namespace {

const edgeplan::Catalog& catalog() {
    static const edgeplan::Catalog loaded = *edgeplan::load_catalog(edgeplan::CatalogSource::embedded());
    return loaded;
}

void catalog_load(benchmark::State& state) {
    for (auto _ : state) {
        auto loaded = edgeplan::load_catalog(edgeplan::CatalogSource::embedded());
        benchmark::DoNotOptimize(loaded);
    }
}
BENCHMARK(catalog_load)->Unit(benchmark::kMillisecond);

void fit(benchmark::State& state, const char* model, const char* target) {
    edgeplan::FitRequest request;
    request.model = catalog().find_model(model);
    const auto& profile = catalog().find_target(target)->profile;
    for (auto _ : state) {
        auto report = edgeplan::fit_model(request, profile, catalog());
        benchmark::DoNotOptimize(report);
    }
}
BENCHMARK_CAPTURE(fit, fits_8b_rtx4090, "llama-3.1-8b-instruct", "desktop-rtx-4090")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(fit, moe_offload_laptop, "qwen3-30b-a3b", "laptop-rtx-4060")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(fit, does_not_fit_70b_m4pro, "llama-3.3-70b-instruct", "apple-m4-pro-20gpu")
    ->Unit(benchmark::kMillisecond);

void render(benchmark::State& state) {
    edgeplan::FitRequest request;
    request.model = catalog().find_model("llama-3.3-70b-instruct");
    const auto& profile = catalog().find_target("apple-m4-pro-20gpu")->profile;
    const auto report = *edgeplan::fit_model(request, profile, catalog());
    for (auto _ : state) {
        auto md = edgeplan::render_fit_markdown(report, profile);
        auto json = edgeplan::fit_to_json(report, profile).dump(2);
        benchmark::DoNotOptimize(md);
        benchmark::DoNotOptimize(json);
    }
}
BENCHMARK(render)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
