#include <edgeplan/core/profile_json.hpp>

#include <catch2/catch.hpp>

using namespace edgeplan;
using nlohmann::json;

namespace {

HardwareProfile sample_profile() {
    HardwareProfile p;
    p.origin = {"live", "this machine"};
    p.system.os.set("Debian GNU/Linux 12 (bookworm)", Source::procfs);
    p.system.architecture.set("x86_64", Source::hwloc);
    p.cpu.vendor.set("AMD", Source::hwloc);
    p.cpu.cores.set(8, Source::hwloc);
    p.cpu.threads.set(16, Source::hwloc);
    p.cpu.kinds.push_back({"performance", std::string("IntelCore"), 6, 12, 1, 5000, 1900});
    p.cpu.kinds_source = Source::hwloc;
    p.cpu.l3.size_bytes.set(32ull << 20, Source::hwloc);
    p.cpu.numa_nodes.push_back({0, 5194862592ull, "DRAM"});
    p.cpu.numa_source = Source::hwloc;
    p.cpu.isa.source = Source::procfs;
    p.cpu.isa.features["avx2"] = true;
    p.cpu.isa.features["amx_int8"] = false;
    p.memory.total_bytes.set(25275809792ull, Source::procfs);
    p.memory.available_bytes.set(24000000000ull, Source::procfs);
    GpuDevice gpu;
    gpu.id = "gpu0";
    gpu.vendor.set("NVIDIA", Source::nvml);
    gpu.pci_bus_id = "0000:01:00.0";
    gpu.memory_total_bytes.set(24ull << 30, Source::nvml);
    gpu.memory_free_bytes.set(20ull << 30, Source::nvml);
    gpu.memory_kind.set("discrete", Source::inferred);
    gpu.apis = {"cuda", "vulkan"};
    gpu.apis_source = Source::sysfs;
    gpu.memory_bandwidth_gbps.set(1008.096, Source::nvml);
    gpu.os_views = {"card0", "nvml0"};
    p.gpus.push_back(gpu);
    p.gpus_source = Source::sysfs;
    p.power.thermal_zones.push_back({"x86_pkg_temp", 45.5, {{"critical", 100.0}}});
    p.power.thermal_source = Source::sysfs;
    p.diagnostics.push_back({"warning", "memory.total_bytes", "hwloc and the OS disagree"});
    return p;
}

Result<HardwareProfile> parse(const json& doc) {
    return profile_from_json(doc, "p.json", PlainValueSource::profile);
}

} // namespace

TEST_CASE("a profile survives a JSON round trip unchanged", "[core][profile]") {
    const auto original = sample_profile();
    const auto text = profile_to_json(original).dump(2);
    auto loaded = profile_from_text(text, "p.json", PlainValueSource::profile);
    REQUIRE(loaded.ok());
    CHECK(*loaded == original);
    CHECK(profile_to_json(*loaded).dump(2) == text);
}

TEST_CASE("unknown values are written as null with source unknown, never as 0", "[core][profile]") {
    const auto doc = profile_to_json(HardwareProfile{});
    CHECK(doc["memory"]["total_bytes"]["value"].is_null());
    CHECK(doc["memory"]["total_bytes"]["source"] == "unknown");
    CHECK(doc["schema_version"] == 1);
}

TEST_CASE("plain values are credited to the profile or preset source", "[core][profile]") {
    json doc = {{"schema_version", 1}, {"memory", {{"total_bytes", 17179869184ull}}}};
    auto as_profile = parse(doc);
    REQUIRE(as_profile.ok());
    CHECK(as_profile->memory.total_bytes.source == Source::profile);
    auto as_preset = profile_from_json(doc, "m4", PlainValueSource::preset);
    REQUIRE(as_preset.ok());
    CHECK(as_preset->memory.total_bytes.source == Source::preset);
}

TEST_CASE("bad profiles are refused with a JSON pointer", "[core][profile]") {
    struct Case {
        json doc;
        std::string where;
    };
    const std::vector<Case> cases = {
        {{{"schema_version", 2}}, "p.json: /schema_version"},
        {{{"memory", {{"total_bytes", 1}}}}, "p.json: /schema_version"},
        {{{"schema_version", 1}, {"memroy", json::object()}}, "p.json: /memroy"},
        {{{"schema_version", 1}, {"memory", {{"total_bytes", -5}}}}, "p.json: /memory/total_bytes"},
        {{{"schema_version", 1}, {"memory", {{"total_bytes", "lots"}}}}, "p.json: /memory/total_bytes"},
        {{{"schema_version", 1}, {"memory", {{"total_bytes", 100}, {"available_bytes", 200}}}},
         "p.json: /memory/available_bytes"},
        {{{"schema_version", 1},
          {"gpus", {{"items", {{{"id", "gpu0"}, {"memory_total_bytes", 100}, {"memory_free_bytes", 200}}}}}}},
         "p.json: /gpus/items/0/memory_free_bytes"},
        {{{"schema_version", 1}, {"power", {{"battery_percent", 140}}}}, "p.json: /power/battery_percent"},
        {{{"schema_version", 1}, {"cpu", {{"cores", 8}, {"threads", 4}}}}, "p.json: /cpu/threads"},
        {{{"schema_version", 1}, {"cpu", {{"cores", {{"value", 8}, {"source", "guess"}}}}}},
         "p.json: /cpu/cores/source"},
        {{{"schema_version", 1}, {"cpu", {{"cores", {{"value", -2}, {"source", "procfs"}}}}}},
         "p.json: /cpu/cores/value"},
        {{{"schema_version", 1}, {"cpu", {{"isa", {{"features", {{"avx9000", true}}}}}}}},
         "p.json: /cpu/isa/features/avx9000"},
        {json::array(), "p.json: /"},
    };
    for (const auto& c : cases) {
        INFO(c.doc.dump());
        auto result = parse(c.doc);
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().code == ExitCode::bad_input);
        CHECK(result.error().where == c.where);
        CHECK(result.error().message.find('\n') == std::string::npos);
    }
}

TEST_CASE("a JSON syntax error names the line and column", "[core][profile]") {
    auto result = profile_from_text("{\"schema_version\": 1,\n  oops}", "p.json", PlainValueSource::profile);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().where == "p.json");
    CHECK_THAT(result.error().message, Catch::Contains("line 2"));
}

TEST_CASE("several problems are counted in the one-line error", "[core][profile]") {
    json doc = {{"schema_version", 1}, {"a", 1}, {"b", 2}, {"c", 3}};
    auto result = parse(doc);
    REQUIRE_FALSE(result.ok());
    CHECK_THAT(result.error().message, Catch::Contains("and 2 more problems"));
}
