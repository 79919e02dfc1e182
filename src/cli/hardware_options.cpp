#include "hardware_options.hpp"

#include "catalog_command.hpp"
#include "file_io.hpp"

#include <edgeplan/core/profile_json.hpp>
#include <edgeplan/probe/probe.hpp>

#include <cstdlib>
#include <filesystem>

namespace edgeplan::cli {

namespace {

std::string base_name(const std::string& path) {
    return std::filesystem::path(path).filename().string();
}

Result<HardwareProfile> load_profile_file(const std::string& path) {
    auto text = read_user_file(path);
    if (!text) {
        return text.error();
    }
    // Errors inside the document name the path as typed plus a JSON pointer.
    return profile_from_text(*text, path, PlainValueSource::profile);
}

Result<HardwareProfile> load_topology_file(const std::string& path) {
    if (auto checked = check_user_file(path); !checked) {
        return checked.error();
    }
    auto profile = probe_topology_file(path, base_name(path));
    if (!profile) {
        // The probe names the file by its base name; the user typed a path.
        Error error = profile.error();
        error.where = path;
        return error;
    }
    return profile;
}

Result<HardwareProfile> probe_this_machine(const HardwareOptions& options, LiveBandwidth bandwidth) {
    std::error_code ec;
    if (!std::filesystem::is_directory(options.models_dir, ec)) {
        return make_error(ExitCode::bad_input, "--models-dir",
                          "'" + options.models_dir + "' is not a directory");
    }
    LiveProbeOptions live;
    live.models_dir = options.models_dir;
    live.disk_measurement = options.measure_disk ? DiskMeasurement::measure : DiskMeasurement::skip;
    live.memory_measurement =
        options.measure_memory ? MemoryMeasurement::measure : MemoryMeasurement::skip;
    // For tests and unusual driver installs; documented in README.md.
    if (const char* nvml = std::getenv("EDGEPLAN_NVML_LIBRARY")) {
        live.nvml_library = nvml;
    }
    auto profile = probe_live(live);
    if (!profile || bandwidth == LiveBandwidth::as_requested || options.measure_memory) {
        return profile;
    }
    // A CPU-only plan's decode speed is bandwidth; without a figure it cannot be projected,
    // so plan commands measure it (0.2 s) rather than print "unknown".
    const bool cpu_only = profile->gpus.empty();
    if (cpu_only && !profile->memory.bandwidth_gbps.known()) {
        live.memory_measurement = MemoryMeasurement::measure;
        return probe_live(live);
    }
    return profile;
}

} // namespace

void add_hardware_options(CLI::App& command, HardwareOptions& options) {
    options.topology_option = command.add_option(
        "--topology", options.topology, "Read an hwloc XML topology (lstopo --of xml) instead of probing");
    options.hardware_option = command.add_option(
        "--hardware", options.hardware, "Read a saved edgeplan profile (audit --format json) instead of probing");
    options.topology_option->excludes(options.hardware_option);
    options.target_option = command.add_option(
        "--target", options.target, "Use a catalogue hardware preset (see 'edgeplan catalog list targets')");
    options.target_option->excludes(options.topology_option)->excludes(options.hardware_option);
    options.memory_option =
        command
            .add_option("--memory-gb", options.overrides.memory_gib,
                        "With --target: system memory in GiB (as sold: 48 GB = 48 GiB)")
            ->check(CLI::Range(0.25, 65536.0)); // 256 MiB boards to 64 TiB servers
    options.set_option =
        command
            .add_option("--set", options.overrides.assignments,
                        "With --target: override a profile field, POINTER=VALUE "
                        "(e.g. /memory/bandwidth_gbps=120; repeatable)")
            ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    options.models_dir_option = command.add_option("--models-dir", options.models_dir,
                       "Directory that will hold the model files; its disk is audited (default: .)");
    command.add_flag("--measure-disk", options.measure_disk,
                     "Time a sequential read of the largest file in --models-dir (live only)");
    command.add_flag("--measure-memory", options.measure_memory,
                     "Measure sustained memory read bandwidth with all cores (about 0.2 s; live only)");
}

Result<HardwareProfile> acquire_hardware(const HardwareOptions& options, const CLI::App& command,
                                         LiveBandwidth bandwidth, std::string& hint,
                                         const Catalog* catalog) {
    const bool from_file = options.topology_option->count() > 0 ||
                           options.hardware_option->count() > 0 ||
                           options.target_option->count() > 0;
    const bool models_dir = options.models_dir_option->count() > 0;
    for (const auto& [flag, wanted] : {std::pair{"--measure-disk", options.measure_disk},
                                       std::pair{"--measure-memory", options.measure_memory},
                                       std::pair{"--models-dir", models_dir}}) {
        if (wanted && from_file) {
            return make_error(ExitCode::usage, flag,
                              "only applies to a live audit, not to --topology, --hardware or "
                              "--target");
        }
    }
    for (const auto* option : {options.memory_option, options.set_option}) {
        if (option->count() > 0 && options.target_option->count() == 0) {
            return make_error(ExitCode::usage, option->get_name(), "only applies with --target");
        }
    }
    if (options.target_option->count() > 0) {
        if (catalog != nullptr) {
            return target_profile(*catalog, options.target, options.overrides, hint);
        }
        CommandOutcome catalog_outcome;
        auto loaded = load_catalog_for(command, catalog_outcome);
        if (!loaded) {
            hint = catalog_outcome.hints.empty() ? "" : catalog_outcome.hints.front();
            return *catalog_outcome.error;
        }
        return target_profile(*loaded, options.target, options.overrides, hint);
    }
    if (!options.topology.empty()) {
        return load_topology_file(options.topology);
    }
    if (!options.hardware.empty()) {
        return load_profile_file(options.hardware);
    }
    return probe_this_machine(options, bandwidth);
}

} // namespace edgeplan::cli
