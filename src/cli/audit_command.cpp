#include "audit_command.hpp"

#include "catalog_command.hpp"
#include "file_io.hpp"
#include "target_profile.hpp"

#include <edgeplan/core/profile_json.hpp>
#include <edgeplan/probe/probe.hpp>
#include <edgeplan/report/audit_report.hpp>

#include <cstdlib>
#include <filesystem>
#include <memory>

namespace edgeplan::cli {

namespace {

struct AuditOptions {
    std::string topology;
    std::string hardware;
    std::string models_dir = ".";
    bool measure_disk = false;
    bool measure_memory = false;
    std::string format = "md";
    std::string target;
    TargetOverrides overrides;
};

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

Result<HardwareProfile> acquire_profile(const AuditOptions& options) {
    if (!options.topology.empty()) {
        if (auto checked = check_user_file(options.topology); !checked) {
            return checked.error();
        }
        auto profile = probe_topology_file(options.topology, base_name(options.topology));
        if (!profile) {
            // The probe names the file by its base name; the user typed a path.
            Error error = profile.error();
            error.where = options.topology;
            return error;
        }
        return profile;
    }
    if (!options.hardware.empty()) {
        return load_profile_file(options.hardware);
    }
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
    return probe_live(live);
}

} // namespace

void set_audit_command(CLI::App& app, CommandOutcome& outcome) {
    auto options = std::make_shared<AuditOptions>();
    auto* audit = app.add_subcommand(
        "audit", "Report the hardware of this machine, or of another one described by a file");
    auto* topology = audit->add_option("--topology", options->topology,
                                       "Read an hwloc XML topology (lstopo --of xml) instead of probing");
    auto* hardware = audit->add_option("--hardware", options->hardware,
                                       "Read a saved edgeplan profile (audit --format json) instead of probing");
    topology->excludes(hardware);
    auto* target = audit->add_option("--target", options->target,
                                     "Audit a catalogue hardware preset (see 'edgeplan catalog list targets')");
    target->excludes(topology)->excludes(hardware);
    auto* memory = audit->add_option("--memory-gb", options->overrides.memory_gib,
                                     "With --target: system memory in GiB (as sold: 48 GB = 48 GiB)")
                       ->check(CLI::PositiveNumber);
    auto* set = audit->add_option("--set", options->overrides.assignments,
                                  "With --target: override a profile field, POINTER=VALUE "
                                  "(e.g. /memory/bandwidth_gbps=120; repeatable)")
                    ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    // --catalog (a global option) may follow the subcommand.
    audit->fallthrough();
    audit->add_option("--models-dir", options->models_dir,
                      "Directory that will hold the model files; its disk is audited (default: .)");
    audit->add_flag("--measure-disk", options->measure_disk,
                    "Time a sequential read of the largest file in --models-dir (live audit only)");
    audit->add_flag("--measure-memory", options->measure_memory,
                    "Measure sustained memory read bandwidth with all cores (about 0.3 s; live "
                    "audit only)");
    audit->add_option("--format", options->format, "Output format: md (default) or json")
        ->check(CLI::IsMember({"md", "json"}));

    audit->callback([options, &outcome, audit, topology, hardware, target, memory, set] {
        const bool from_file = topology->count() > 0 || hardware->count() > 0 || target->count() > 0;
        for (const auto& [flag, wanted] : {std::pair{"--measure-disk", options->measure_disk},
                                           std::pair{"--measure-memory", options->measure_memory}}) {
            if (wanted && from_file) {
                outcome.fail(make_error(ExitCode::usage, flag,
                                        "only applies to a live audit, not to --topology, "
                                        "--hardware or --target"));
                return;
            }
        }
        for (const auto* option : {memory, set}) {
            if (option->count() > 0 && target->count() == 0) {
                outcome.fail(make_error(ExitCode::usage, option->get_name(), "only applies with --target"));
                return;
            }
        }
        Result<HardwareProfile> profile = make_error(ExitCode::internal, "audit", "no profile");
        if (target->count() > 0) {
            auto catalog = load_catalog_for(*audit, outcome);
            if (!catalog) {
                return;
            }
            std::string hint;
            profile = target_profile(*catalog, options->target, options->overrides, hint);
            if (!profile) {
                outcome.fail(profile.error(), hint);
                return;
            }
        } else {
            profile = acquire_profile(*options);
        }
        if (!profile) {
            outcome.fail(profile.error());
            return;
        }
        if (options->format == "json") {
            outcome.stdout_text = profile_to_json(*profile).dump(2) + "\n";
        } else {
            outcome.stdout_text = render_audit_markdown(*profile, 1);
        }
    });
}

} // namespace edgeplan::cli
