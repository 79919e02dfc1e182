// The live audit on the machine running the tests: it must succeed without a GPU, battery
// or thermal zone (this project's VM has none) and agree with the kernel's own files.

#include <catch2/catch.hpp>

#include <edgeplan/probe/probe.hpp>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include <unistd.h>

using namespace edgeplan;

namespace {

/// MemTotal in bytes, read here independently of the probe.
std::uint64_t meminfo_total_bytes() {
    std::ifstream file("/proc/meminfo");
    std::string key;
    std::uint64_t kib = 0;
    while (file >> key >> kib) {
        if (key == "MemTotal:") {
            return kib * 1024;
        }
        file.ignore(1 << 10, '\n');
    }
    return 0;
}

/// The first CPU's flag (x86) or Features (ARM) words.
std::set<std::string> cpuinfo_flags() {
    std::ifstream file("/proc/cpuinfo");
    std::string line;
    while (std::getline(file, line)) {
        if (line.rfind("flags", 0) == 0 || line.rfind("Features", 0) == 0) {
            std::istringstream words(line.substr(line.find(':') + 1));
            return {std::istream_iterator<std::string>(words), {}};
        }
    }
    return {};
}

Result<HardwareProfile> probe_host(bool use_hwloc) {
    LiveProbeOptions options;
    options.use_hwloc = use_hwloc;
    options.models_dir = EDGEPLAN_FIXTURES_DIR;
    return probe_live(options);
}

} // namespace

TEST_CASE("live audit agrees with the kernel on threads, memory and ISA flags", "[linux]") {
    const auto result = probe_host(false);
    REQUIRE(result.ok());
    const auto& p = *result;
    const unsigned threads = std::thread::hardware_concurrency();
    REQUIRE(threads > 0);
    CHECK(p.cpu.threads.value == static_cast<int>(threads));
    CHECK(p.memory.total_bytes == Sourced<std::uint64_t>(meminfo_total_bytes(), Source::procfs));
    CHECK(p.system.kernel.source == Source::os);

    const auto flags = cpuinfo_flags();
    const std::string arch = p.system.architecture.value.value_or("");
    const auto names = isa_feature_names_for(arch);
    const bool arm = arch == "aarch64";
    // ARM's hwcap spellings for the keys that differ.
    const std::map<std::string, std::string> arm_spelling = {{"neon", "asimd"},
                                                             {"dotprod", "asimddp"}};
    REQUIRE(p.cpu.isa.features.size() == names.size());
    for (const auto& name : names) {
        const auto spelled = arm && arm_spelling.count(name) ? arm_spelling.at(name) : name;
        INFO(name);
        CHECK(p.cpu.isa.features.at(name) == (flags.count(spelled) > 0));
    }
}

TEST_CASE("live audit without a GPU, battery or thermal zone still succeeds", "[linux]") {
    const auto result = probe_host(false);
    REQUIRE(result.ok());
    const auto& p = *result;
    // Whatever this machine has, every list was checked.
    CHECK(p.gpus_source != Source::unknown);
    CHECK(p.npus_source != Source::unknown);
    CHECK(p.power.thermal_source == Source::sysfs);
    CHECK(p.power.has_battery.known());
    CHECK(p.storage.free_bytes.known());
    CHECK(p.storage.total_bytes.known());
}

TEST_CASE("live audit with hwloc keeps the OS memory total", "[linux]") {
    const auto result = probe_host(true);
    REQUIRE(result.ok());
    CHECK(result->memory.total_bytes.value == meminfo_total_bytes());
    CHECK(result->cpu.threads.value == static_cast<int>(std::thread::hardware_concurrency()));
    CHECK(result->origin.method == "live");
}

TEST_CASE("measuring the disk reads nothing when no file is large enough", "[linux]") {
    LiveProbeOptions options;
    options.use_hwloc = false;
    options.models_dir = std::filesystem::path(EDGEPLAN_FIXTURES_DIR) / "sysroot";
    options.disk_measurement = DiskMeasurement::measure;
    const auto result = probe_live(options);
    REQUIRE(result.ok());
    CHECK_FALSE(result->storage.read_bandwidth_mbps.known());
    const auto& diagnostics = result->diagnostics;
    CHECK(std::any_of(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& d) {
        return d.where == "storage.read_bandwidth_mbps" &&
               d.message.find("64 MiB") != std::string::npos;
    }));
}

TEST_CASE("measuring the disk times a read of the largest file and writes nothing", "[linux]") {
    // A sparse file: 96 MiB to read, no disk space used.
    const auto dir =
        std::filesystem::temp_directory_path() / ("edgeplan-measure-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto model = dir / "model.gguf";
    { std::ofstream(model.string()); }
    std::filesystem::resize_file(model, std::uintmax_t{96} << 20);
    const auto before = std::filesystem::last_write_time(model);

    LiveProbeOptions options;
    options.use_hwloc = false;
    options.models_dir = dir;
    options.disk_measurement = DiskMeasurement::measure;
    const auto result = probe_live(options);
    const auto entries = std::distance(std::filesystem::directory_iterator(dir),
                                       std::filesystem::directory_iterator());
    const auto after = std::filesystem::last_write_time(model);
    std::filesystem::remove_all(dir);

    REQUIRE(result.ok());
    const auto& bandwidth = result->storage.read_bandwidth_mbps;
    CHECK(bandwidth.source == Source::measured);
    REQUIRE(bandwidth.known());
    CHECK(*bandwidth.value > 0);
    CHECK(entries == 1);
    CHECK(before == after);
}
