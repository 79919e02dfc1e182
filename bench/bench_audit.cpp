// Where the time of an audit goes: live probing, XML topology loading, and rendering.
#include <edgeplan/core/profile_json.hpp>
#include <edgeplan/probe/probe.hpp>
#include <edgeplan/report/audit_report.hpp>

#include <benchmark/benchmark.h>

#include <filesystem>

namespace {

const std::string shared_topologies = std::string(EDGEPLAN_SHARED_DIR) + "/topologies/";

void live_probe(benchmark::State& state) {
    edgeplan::LiveProbeOptions options;
    for (auto _ : state) {
        auto profile = edgeplan::probe_live(options);
        benchmark::DoNotOptimize(profile);
    }
}
BENCHMARK(live_probe)->Unit(benchmark::kMillisecond);

void topology_load(benchmark::State& state, const char* name) {
    const auto path = shared_topologies + name;
    if (!std::filesystem::exists(path)) {
        state.SkipWithError("../shared/topologies not found");
        return;
    }
    for (auto _ : state) {
        auto profile = edgeplan::probe_topology_file(path, name);
        benchmark::DoNotOptimize(profile);
    }
}
BENCHMARK_CAPTURE(topology_load, debian_vm, "debian-vm-2c-amd-epyc.xml")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(topology_load, sgi_uv_192c, "192em64t-24n8c2t.xml")->Unit(benchmark::kMillisecond);

void render_and_round_trip(benchmark::State& state) {
    edgeplan::LiveProbeOptions options;
    auto profile = edgeplan::probe_live(options);
    if (!profile) {
        state.SkipWithError("live probe failed");
        return;
    }
    for (auto _ : state) {
        auto markdown = edgeplan::render_audit_markdown(*profile, 1);
        auto json = edgeplan::profile_to_json(*profile).dump(2);
        auto back = edgeplan::profile_from_text(json, "bench", edgeplan::PlainValueSource::profile);
        benchmark::DoNotOptimize(markdown);
        benchmark::DoNotOptimize(back);
    }
}
BENCHMARK(render_and_round_trip)->Unit(benchmark::kMicrosecond);

} // namespace

BENCHMARK_MAIN();
