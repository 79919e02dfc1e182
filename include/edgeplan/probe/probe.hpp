#pragma once

#include <edgeplan/core/hardware_profile.hpp>
#include <edgeplan/core/result.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace edgeplan {

/// Whether the live audit times a sequential read of the models directory's disk.
enum class DiskMeasurement { skip, measure };

/// Whether the live audit measures sustained memory read bandwidth (about 0.3 s).
enum class MemoryMeasurement { skip, measure };

/// Options for a live audit of the machine edgeplan runs on.
struct LiveProbeOptions {
    /// Prefix for every /proc, /sys, /dev and /etc read. "/" on a real run; tests point it
    /// at a fixture tree (tests/fixtures/sysroot/...) to fake a machine.
    std::filesystem::path system_root = "/";
    /// Directory whose disk is audited (type, free space). Resolved on the real file system.
    std::filesystem::path models_dir = ".";
    DiskMeasurement disk_measurement = DiskMeasurement::skip;
    MemoryMeasurement memory_measurement = MemoryMeasurement::skip;
    /// NVML library to dlopen; empty means the driver's "libnvidia-ml.so.1". Tests pass a stub.
    std::string nvml_library;
    /// Skip hwloc (tests of the sysfs/procfs layer use it to stay independent of this machine).
    bool use_hwloc = true;
};

/// Audits the machine edgeplan runs on. Absence (no GPU, no battery) is data, not an error;
/// only a failure to discover the CPU topology at all is an Error (ExitCode::probe_failed).
Result<HardwareProfile> probe_live(const LiveProbeOptions& options);

/// Loads an hwloc XML topology of another machine (format v1 or v2). Fields an XML cannot
/// carry (available memory, ISA flags, battery) stay unknown or are inferred from the CPU
/// model and marked "inferred". `display_name` (the file's base name) goes into the origin.
/// Errors: ExitCode::bad_input, with a hint for hwloc-3 v3-format files.
Result<HardwareProfile> probe_topology_file(const std::filesystem::path& xml_path,
                                            const std::string& display_name);

} // namespace edgeplan
