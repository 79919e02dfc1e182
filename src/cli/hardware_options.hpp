#pragma once

// The hardware a command plans for, shared by audit, fit and recommend: this machine
// (live), an hwloc XML topology, a saved JSON profile, or a catalogue target preset with
// overrides. One definition, so every command accepts the same flags with the same rules.

#include "command.hpp"
#include "target_profile.hpp"

#include <edgeplan/core/catalog.hpp>
#include <edgeplan/core/hardware_profile.hpp>
#include <edgeplan/core/result.hpp>

#include <CLI/CLI.hpp>

#include <string>

namespace edgeplan::cli {

/// Whether a live audit measures memory bandwidth.
enum class LiveBandwidth {
    as_requested,    ///< only with --measure-memory (audit)
    when_needed,     ///< also when no GPU and no bandwidth is known (fit, recommend)
};

struct HardwareOptions {
    std::string topology;
    std::string hardware;
    std::string target;
    TargetOverrides overrides;
    std::string models_dir = ".";
    bool measure_disk = false;
    bool measure_memory = false;

    // Set by add_hardware_options; used to tell which were given.
    CLI::Option* topology_option = nullptr;
    CLI::Option* hardware_option = nullptr;
    CLI::Option* target_option = nullptr;
    CLI::Option* memory_option = nullptr;
    CLI::Option* set_option = nullptr;
    CLI::Option* models_dir_option = nullptr;
};

/// Adds --topology, --hardware, --target, --memory-gb, --set, --models-dir, --measure-disk
/// and --measure-memory to `command`, with their exclusions.
void add_hardware_options(CLI::App& command, HardwareOptions& options);

/// The profile the options describe. Usage errors (a live-only flag with a file input,
/// overrides without --target) come back as ExitCode::usage; catalogue problems as
/// bad_catalog; `hint` may be set for the user. A command that has already loaded the
/// catalogue passes it as `catalog`, so --target does not parse it a second time.
Result<HardwareProfile> acquire_hardware(const HardwareOptions& options, const CLI::App& command,
                                         LiveBandwidth bandwidth, std::string& hint,
                                         const Catalog* catalog = nullptr);

} // namespace edgeplan::cli
