// Where the time of `edgeplan recommend` goes: loading the embedded catalogue, the planner
// over the full catalogue (every candidate through the estimator), and rendering. Issue 5's
// target: a whole recommend under 50 ms.
#include <edgeplan/catalog/catalog.hpp>
#include <edgeplan/planner/planner.hpp>
#include <edgeplan/report/plan_report.hpp>

#include <benchmark/benchmark.h>

#include <string>

namespace {

const edgeplan::Catalog& catalog() {
    static const edgeplan::Catalog loaded =
        *edgeplan::load_catalog(edgeplan::CatalogSource::embedded());
    return loaded;
}

void catalogue_load(benchmark::State& state) {
    for (auto _ : state) {
        auto c = edgeplan::load_catalog(edgeplan::CatalogSource::embedded());
        benchmark::DoNotOptimize(c);
    }
}
BENCHMARK(catalogue_load)->Unit(benchmark::kMillisecond);

void plan(benchmark::State& state, const char* target, const char* task, int concurrency) {
    const edgeplan::Target* t = catalog().find_target(target);
    if (t == nullptr) {
        state.SkipWithError("target not in the catalogue");
        return;
    }
    edgeplan::PlanRequest request;
    request.task = task;
    request.offline = true;
    request.concurrency = concurrency;
    for (auto _ : state) {
        auto p = edgeplan::plan_deployment(request, t->profile, catalog());
        benchmark::DoNotOptimize(p);
    }
}
BENCHMARK_CAPTURE(plan, m4_pro_chat, "apple-m4-pro-20gpu", "chat", 1)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(plan, rtx_4090_chat_16, "desktop-rtx-4090", "chat", 16)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(plan, m4_max_128_code, "apple-m4-max-40gpu", "code", 1)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(plan, pi5_chat, "raspberry-pi-5-8gb", "chat", 1)->Unit(benchmark::kMillisecond);

void plan_and_render(benchmark::State& state) {
    const edgeplan::Target* t = catalog().find_target("apple-m4-pro-20gpu");
    edgeplan::PlanRequest request;
    request.offline = true;
    for (auto _ : state) {
        auto p = edgeplan::plan_deployment(request, t->profile, catalog());
        auto md = edgeplan::render_plan_markdown(*p, catalog());
        benchmark::DoNotOptimize(md);
    }
}
BENCHMARK(plan_and_render)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
