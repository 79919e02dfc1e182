// Risk register: what the machine and its surroundings add: heat, battery, storage
// streaming, accelerator runtimes, ports shared with other engines, and telemetry.
#include "risks.hpp"

#include "section_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace edgeplan::planner_detail {

namespace {

// A zone within 10 degC of its first trip point is about to throttle; with no trip points
// recorded, 85 degC is where laptop and SoC governors commonly start. edgeplan's thresholds.
constexpr double trip_proximity_c = 10.0;
constexpr double hot_without_trip_c = 85.0;
// Battery under 20%: OS low-power modes cut clocks (macOS Low Power Mode, Android battery
// saver default trigger range); edgeplan threshold.
constexpr int battery_low_percent = 20;

int performance_cores(const HardwareProfile& profile) {
    int cores = 0;
    for (const CpuKind& kind : profile.cpu.kinds) {
        if (kind.label == "performance") {
            cores += kind.cores;
        }
    }
    return cores > 0 ? cores : profile.cpu.cores.value.value_or(0);
}

std::string raise(const std::string& current, const std::string& level) {
    auto rank = [](const std::string& l) { return l == "high" ? 2 : l == "medium" ? 1 : 0; };
    return rank(level) > rank(current) ? level : current;
}

std::string port_check(DevicePlatform platform, int port) {
    switch (platform) {
    case DevicePlatform::os_macos:
        return fmt::format("lsof -nP -iTCP:{} -sTCP:LISTEN", port);
    case DevicePlatform::os_windows:
        return fmt::format("netstat -ano | findstr :{}", port);
    default:
        return fmt::format("ss -ltn 'sport = :{}'", port);
    }
}

std::string port_setting(const Candidate& chosen) {
    if (chosen.engine_id == "ollama") {
        return fmt::format("OLLAMA_HOST={}:{}", chosen.settings.host, chosen.settings.port);
    }
    return fmt::format("--port {}", chosen.settings.port);
}

/// The rate heat throttles, in the task's own quantity: Whisper's transcript rate (encoder
/// included, what S1 scores), an embedder's input tokens embedded per second, else decode.
/// The profile's sustained fraction (sustained / peak decode) scales either, since all are
/// bounded by the same clocks.
struct ThrottledRate {
    std::string what;
    std::optional<double> peak;
    std::optional<double> sustained;
};

ThrottledRate throttled_rate(const PlanRequest& request, const SpeedProjection& speed) {
    ThrottledRate out{"decode", speed.decode_tokens_per_s_short, speed.sustained_tokens_per_s};
    std::optional<double> fraction;
    if (speed.sustained_tokens_per_s && speed.decode_tokens_per_s_short &&
        *speed.decode_tokens_per_s_short > 0) {
        fraction = *speed.sustained_tokens_per_s / *speed.decode_tokens_per_s_short;
    }
    if (speed.transcript_tokens_per_s) {
        out.what = "transcript (encoder included)";
        out.peak = speed.transcript_tokens_per_s;
    } else if (request.task == "embedding") {
        out.what = "embedding";
        out.peak = speed.prefill_tokens_per_s;
    } else {
        return out;
    }
    out.sustained.reset();
    if (fraction && out.peak) {
        out.sustained = *out.peak * *fraction;
    }
    return out;
}

} // namespace

void add_thermal_risk(const RiskInputs& in, std::vector<Risk>& out) {
    const PowerInfo& power = in.profile.power;
    const SpeedProjection& speed = in.chosen.speed;
    std::vector<std::string> causes;
    std::vector<std::string> actions;
    std::string likelihood = "low";
    if (power.cooling.value == "passive") {
        causes.push_back("passive cooling");
        likelihood = "high";
        actions.push_back("add airflow (a fan or a larger heatsink) for sustained runs");
    }
    for (const ThermalZone& zone : power.thermal_zones) {
        if (!zone.temperature_c) {
            continue;
        }
        std::optional<double> trip;
        for (const TripPoint& point : zone.trip_points) {
            trip = trip ? std::min(*trip, point.temperature_c) : point.temperature_c;
        }
        const double t = *zone.temperature_c;
        if (trip && t >= *trip - trip_proximity_c) {
            causes.push_back(fmt::format("thermal zone {} at {:.0f} degC, {:.0f} degC below its "
                                         "first trip point ({:.0f} degC)",
                                         zone.name, t, *trip - t, *trip));
        } else if (!trip && t >= hot_without_trip_c) {
            causes.push_back(fmt::format("thermal zone {} at {:.0f} degC", zone.name, t));
        } else {
            continue;
        }
        likelihood = "high";
        actions.push_back(fmt::format("let {} cool below {:.0f} degC before long runs", zone.name,
                                      (trip ? *trip : hot_without_trip_c) - 2 * trip_proximity_c));
    }
    if (on_battery(in.request, in.profile)) {
        causes.push_back("running on battery");
        likelihood = raise(likelihood, "medium");
        actions.push_back("plug in for long runs");
    }
    const ThrottledRate throttled = throttled_rate(in.request, speed);
    const auto& peak = throttled.peak;
    const auto& sustained = throttled.sustained;
    std::string figures;
    if (peak && sustained) {
        figures = fmt::format("{} {} at peak, {} sustained ({} of peak)", throttled.what,
                              rate_text(*peak), rate_text(*sustained),
                              percent_text(*sustained / *peak));
        if (*sustained < *peak) {
            actions.insert(actions.begin(),
                           fmt::format("plan capacity on the sustained {}, not the peak {}",
                                       rate_text(*sustained), rate_text(*peak)));
        }
    } else if (speed.audio_speed_multiple) { // text-to-speech: no decode rate
        figures = "synthesis " + number_text(*speed.audio_speed_multiple) +
                  "x real time at peak; sustained speed unknown (no sustained fraction in the "
                  "profile)";
    } else {
        figures = figure_text(throttled.what, peak, speed) +
                  " at peak; sustained throughput unknown (no sustained fraction in the profile)";
    }
    Risk risk;
    risk.id = "R1-thermal";
    if (causes.empty()) {
        const std::string cooling = power.cooling.value.value_or("unknown");
        const std::string tdp = power.tdp_watts.value
                                    ? fmt::format("{:.0f} W budget", *power.tdp_watts.value)
                                    : std::string("power budget unknown");
        risk.title = fmt::format("Thermal throttling: cooling {}, {}; {}", cooling, tdp, figures);
    } else {
        risk.title = fmt::format("Thermal throttling ({}): {}", join(causes, "; "), figures);
    }
    const int cores = performance_cores(in.profile);
    const bool cpu_work = in.chosen.settings.gpu_layers < in.chosen.settings.total_layers ||
                          in.chosen.settings.backend == "cpu";
    if (likelihood != "low" && cores > 0 && cpu_work &&
        (in.chosen.engine_id == "llama.cpp" || in.chosen.engine_id == "llamafile")) {
        actions.push_back(fmt::format("cap threads at -t {} (the performance cores)", cores));
    }
    risk.likelihood = likelihood;
    risk.impact = "medium";
    risk.mitigation = actions.empty()
                          ? std::string("None needed; re-check the sustained figure with the "
                                        "verification benchmark run for 10 minutes.")
                          : join(actions, "; ") + ".";
    risk.mitigation[0] =
        static_cast<char>(std::toupper(static_cast<unsigned char>(risk.mitigation[0])));
    out.push_back(std::move(risk));
}

void add_power_risk(const RiskInputs& in, std::vector<Risk>& out) {
    const PowerInfo& power = in.profile.power;
    const bool battery_now = on_battery(in.request, in.profile);
    if (!battery_now && power.has_battery.value != true) {
        return;
    }
    const std::optional<int> percent = power.battery_percent.value;
    std::string state = battery_now ? "on battery" : "on AC, with a battery";
    if (percent) {
        state += fmt::format(" at {}%", *percent);
    }
    if (power.battery_state.value) {
        state += fmt::format(" ({})", *power.battery_state.value);
    }
    std::string energy;
    if (const auto& j = in.chosen.speed.joules_per_token) {
        const double answer = *j * in.request.output_tokens;
        energy = fmt::format("{:.2f} J/token, {:.0f} J ({:.3f} Wh) per {}-token answer", *j, answer,
                             answer / 3600.0, in.request.output_tokens);
    } else {
        energy = "energy per token unknown (no power budget in the profile)";
    }
    Risk risk;
    risk.id = "R7-power";
    risk.title = fmt::format("Battery drain ({}): {}; battery capacity is not in the profile, so "
                             "answers per charge are unknown",
                             state, energy);
    risk.likelihood = !battery_now                                  ? "low"
                      : (percent && *percent < battery_low_percent) ? "high"
                                                                    : "medium";
    risk.impact = "medium";
    const int cores = performance_cores(in.profile);
    risk.mitigation = fmt::format(
        "On battery keep a 4-bit quantization (the plan uses {}){}; run batch work on AC power "
        "(lifecycle note).",
        in.chosen.quantization,
        cores > 0 && in.chosen.engine_id == "llama.cpp"
            ? fmt::format(" and cap threads at -t {}", cores)
            : std::string());
    out.push_back(std::move(risk));
}

void add_storage_risk(const RiskInputs& in, std::vector<Risk>& out) {
    std::uint64_t streamed = 0;
    for (const DeviceMemory& d : in.chosen.memory) {
        if (d.device == "disk") {
            streamed += d.weights_bytes;
        }
    }
    if (streamed == 0 && !in.chosen.settings.ssd_streaming) {
        return;
    }
    const StorageInfo& storage = in.profile.storage;
    const std::string bandwidth =
        storage.read_bandwidth_mbps.value
            ? fmt::format("measured read {:.0f} MB/s", *storage.read_bandwidth_mbps.value)
            : std::string("read bandwidth unknown (edgeplan --measure-disk measures it)");
    Risk risk;
    risk.id = "R8-ssd-streaming";
    risk.title =
        fmt::format("SSD streaming: {} of weights are read from {} storage during "
                    "decode ({}); {}",
                    streamed > 0 ? bytes_text(streamed) : std::string("part"),
                    storage.type.value.value_or("unknown-type"), bandwidth,
                    figure_text("projected decode", in.chosen.speed.decode_tokens_per_s_short,
                                in.chosen.speed));
    risk.likelihood = "high";
    risk.impact = "high";
    risk.mitigation = fmt::format(
        "Bring the {} into memory with a lower-bit quantization or a smaller model; until "
        "then keep the weights on local NVMe (not network or HDD) and leave memory mapping on.",
        streamed > 0 ? bytes_text(streamed) : std::string("streamed part"));
    out.push_back(std::move(risk));
}

void add_accelerator_risk(const RiskInputs& in, std::vector<Risk>& out) {
    const std::string backend = lower(in.chosen.settings.backend);
    const bool npu = backend.find("npu") != std::string::npos || backend == "qnn" ||
                     backend == "htp" || backend == "hexagon" || backend == "ane" ||
                     backend == "coreml";
    Risk risk;
    risk.impact = "high";
    const std::string decode =
        figure_text("decode", in.chosen.speed.decode_tokens_per_s_short, in.chosen.speed);
    if (npu) {
        risk.id = "R9-npu-runtime";
        if (in.profile.npus.empty()) {
            risk.title = fmt::format("NPU runtime: backend {} but the profile lists no NPU "
                                     "(NPU list source: {})",
                                     backend, source_name(in.profile.npus_source));
            risk.likelihood = "high";
        } else {
            const NpuDevice& n = in.profile.npus.front();
            risk.title = fmt::format("NPU runtime: backend {} on {} {} {}, driver {}", backend,
                                     n.id, n.vendor.value.value_or("unknown vendor"),
                                     n.model.value.value_or("unknown model"),
                                     n.driver.value.value_or("unknown"));
            risk.likelihood = n.driver.value ? "low" : "medium";
        }
        risk.mitigation = fmt::format("Confirm the vendor runtime sees the NPU before deploying "
                                      "(the projected {} assumes it); keep a llama.cpp CPU/GPU "
                                      "configuration as the fallback.",
                                      decode);
        out.push_back(std::move(risk));
        return;
    }
    static const std::vector<std::pair<std::string, std::string>> gpu_checks = {
        {"cuda", "nvidia-smi"}, {"rocm", "rocminfo"}, {"vulkan", "vulkaninfo --summary"}};
    for (const auto& [name, check] : gpu_checks) {
        if (backend != name || in.profile.gpus.empty() || in.profile.origin.method != "live" ||
            in.profile.gpus.front().driver.value) {
            continue;
        }
        const GpuDevice& gpu = in.profile.gpus.front();
        risk.id = "R9-gpu-driver";
        risk.title = fmt::format("GPU driver not read on this machine: {} {}, backend {} "
                                 "(driver source: {})",
                                 gpu.id, gpu.model.value.value_or("unknown model"), backend,
                                 source_name(gpu.driver.source));
        risk.likelihood = "medium";
        risk.mitigation = fmt::format("Check that `{}` lists {} before deploying; without the "
                                      "driver the engine falls back to CPU and the projected {} "
                                      "does not hold.",
                                      check, gpu.id, decode);
        out.push_back(std::move(risk));
    }
}

void add_port_risk(const RiskInputs& in, std::vector<Risk>& out) {
    const int port = in.chosen.settings.port;
    std::vector<std::string> others;
    for (const Engine& e : in.catalog.engines) {
        if (e.id != in.chosen.engine_id && e.serving.default_port == port) {
            others.push_back(e.name);
        }
    }
    const bool llama = in.chosen.engine_id == "llama.cpp";
    if (others.empty() && !llama) {
        return;
    }
    Risk risk;
    risk.id = "R10-port";
    risk.title = fmt::format("Port {} collision", port);
    if (!others.empty()) {
        risk.title += fmt::format(": also the default port of {}", join(others, ", "));
    }
    if (llama) {
        // engines-and-models.md section 2.7: llama-server master help says 9931 (PR #26508).
        risk.title += "; llama-server's default is moving from 8080 to 9931, so the port must "
                      "be explicit";
    }
    risk.likelihood = others.empty() ? "low" : "medium";
    risk.impact = "medium";
    risk.mitigation = fmt::format("The plan sets {} explicitly; check the port is free before "
                                  "starting: `{}` must print no listener.",
                                  port_setting(in.chosen), port_check(in.platform, port));
    out.push_back(std::move(risk));
}

void add_telemetry_risk(const RiskInputs& in, std::vector<Risk>& out) {
    if (in.engine == nullptr) {
        return;
    }
    const Engine& e = *in.engine;
    const bool local = in.request.keeps_data_local();
    Risk risk;
    risk.id = "R11-telemetry";
    if (e.telemetry == "opt-out") {
        risk.title = fmt::format("{} reports usage unless switched off", e.name);
        risk.detail = fmt::format("catalogue telemetry: opt-out; switch {}",
                                  e.telemetry_switch.value_or("not recorded"));
        risk.likelihood = "high";
        risk.impact = local ? "high" : "low";
        risk.mitigation = e.telemetry_switch
                              ? fmt::format("Set {} in the service environment before the "
                                            "first start.",
                                            *e.telemetry_switch)
                              : std::string("Block its outbound traffic (see below).");
    } else if (e.telemetry == "unknown" && local) {
        risk.title = fmt::format("{} telemetry is not documented in the catalogue (unknown) "
                                 "and this plan must keep data on the device",
                                 e.name);
        risk.likelihood = "medium";
        risk.impact = "high";
        risk.mitigation =
            in.platform == DevicePlatform::os_linux
                ? std::string("Run it as a systemd service with IPAddressAllow=localhost and "
                              "IPAddressDeny=any, so only loopback traffic passes.")
                : std::string("Block the process's outbound connections with the OS firewall; "
                              "allow loopback only.");
    } else {
        return;
    }
    out.push_back(std::move(risk));
}

} // namespace edgeplan::planner_detail
