// Lifecycle notes written on request: background batch work scheduled for AC power and a
// cool machine (systemd.unit ConditionACPower=, ExecCondition= since systemd 243; launchd has
// no power key, so the job checks pmset itself; Task Scheduler DisallowStartIfOnBatteries;
// WorkManager and BGProcessingTaskRequest constraints), and the federated-learning loop.
#include "notes.hpp"

#include "section_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

namespace edgeplan::planner_detail {

namespace {

// Start only when every thermal zone is 15 degC under the first trip point the profile
// records (70 degC when none is recorded): a batch that starts warm throttles within minutes.
// edgeplan's thresholds.
constexpr double idle_below_trip_c = 15.0;
constexpr double idle_default_c = 70.0;

double idle_limit_c(const HardwareProfile& profile) {
    std::optional<double> first_trip;
    for (const ThermalZone& zone : profile.power.thermal_zones) {
        for (const TripPoint& trip : zone.trip_points) {
            first_trip =
                first_trip ? std::min(*first_trip, trip.temperature_c) : trip.temperature_c;
        }
    }
    return first_trip ? *first_trip - idle_below_trip_c : idle_default_c;
}

std::vector<NoteFile> systemd_units(const Candidate& chosen, double limit_c) {
    // systemd expands $VAR in Exec lines; $$ passes a literal dollar to the shell.
    NoteFile service{"/etc/systemd/system/edgeplan-batch.service", "ini", fmt::format(
        "[Unit]\n"
        "Description=Batch inference with {} {} on {} (AC power, cool machine only)\n"
        "ConditionACPower=true\n"
        "\n"
        "[Service]\n"
        "Type=oneshot\n"
        "ExecCondition=/bin/sh -c 'for t in /sys/class/thermal/thermal_zone*/temp; do "
        "[ \"$$(cat \"$$t\")\" -lt {} ] || exit 1; done'\n"
        "ExecStart=/usr/local/bin/edgeplan-batch-job\n"
        "Nice=10\n"
        "IOSchedulingClass=idle\n",
        chosen.model_id, chosen.quantization, chosen.engine_id,
        static_cast<long long>(std::lround(limit_c * 1000.0)))};
    NoteFile timer{"/etc/systemd/system/edgeplan-batch.timer", "ini",
        "[Unit]\n"
        "Description=Run edgeplan-batch.service in the night window\n"
        "\n"
        "[Timer]\n"
        "OnCalendar=*-*-* 02:00:00\n"
        "RandomizedDelaySec=900\n"
        "Persistent=true\n"
        "\n"
        "[Install]\n"
        "WantedBy=timers.target\n"};
    return {std::move(service), std::move(timer)};
}

NoteFile launchd_plist() {
    return {"~/Library/LaunchAgents/local.edgeplan.batch.plist", "xml",
           "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<plist version=\"1.0\">\n"
           "<dict>\n"
           "  <key>Label</key><string>local.edgeplan.batch</string>\n"
           "  <key>ProgramArguments</key>\n"
           "  <array>\n"
           "    <string>/bin/sh</string><string>-c</string>\n"
           "    <string>pmset -g batt | grep -q \"AC Power\" &amp;&amp; exec "
           "/usr/local/bin/edgeplan-batch-job</string>\n"
           "  </array>\n"
           "  <key>StartCalendarInterval</key>\n"
           "  <dict><key>Hour</key><integer>2</integer><key>Minute</key><integer>0</integer>"
           "</dict>\n"
           "  <key>ProcessType</key><string>Background</string>\n"
           "  <key>LowPriorityIO</key><true/>\n"
           "</dict>\n"
           "</plist>\n"};
}

std::string energy_line(const PlanRequest& request, const Candidate& chosen) {
    const SpeedProjection& s = chosen.speed;
    const std::string rate = s.sustained_tokens_per_s
                                 ? rate_text(*s.sustained_tokens_per_s) + " sustained"
                                 : figure_text("decode", s.decode_tokens_per_s_short, s);
    if (!s.joules_per_token) {
        return fmt::format("Budget: {} per stream; energy per token unknown (no power budget in "
                           "the profile).",
                           rate);
    }
    return fmt::format("Budget: {} per stream; {:.2f} J/token, {:.0f} J per {}-token answer.", rate,
                       *s.joules_per_token, *s.joules_per_token * request.output_tokens,
                       request.output_tokens);
}

// LoRA rank 16 on the four attention projections: a common default, small enough to ship
// every round. Parameters per layer: r x (in + out) per projection.
constexpr int federated_lora_rank = 16;

std::optional<std::uint64_t> lora_delta_parameters(const Model* model) {
    if (model == nullptr) {
        return std::nullopt;
    }
    const ModelArchitecture& a = model->architecture;
    if (!a.layers || !a.hidden_size || !a.attention_heads) {
        return std::nullopt;
    }
    const long long hidden = *a.hidden_size;
    const long long head_dim = a.head_dim.value_or(static_cast<int>(hidden / *a.attention_heads));
    const long long q = static_cast<long long>(*a.attention_heads) * head_dim;
    const long long kv = static_cast<long long>(a.kv_heads.value_or(*a.attention_heads)) * head_dim;
    const long long per_layer =
        federated_lora_rank * ((hidden + q) + 2 * (hidden + kv) + (q + hidden));
    return static_cast<std::uint64_t>(per_layer * *a.layers);
}

} // namespace

PlanNote background_note(const PlanRequest& request, const HardwareProfile& profile,
                         const Candidate& chosen, const Catalog& catalog) {
    const double limit = idle_limit_c(profile);
    PlanNote note;
    note.title = "Lifecycle: background work on AC power and thermal-idle windows";
    note.lines.push_back(energy_line(request, chosen));
    switch (device_platform(profile, catalog)) {
    case DevicePlatform::os_macos:
        note.lines.push_back("launchd has no AC-power condition, so the job checks `pmset -g "
                             "batt` for \"AC Power\" itself and exits on battery; ProcessType "
                             "Background applies launchd's background resource limits. Save as "
                             "~/Library/LaunchAgents/local.edgeplan.batch.plist and load with "
                             "`launchctl bootstrap gui/$(id -u) "
                             "~/Library/LaunchAgents/local.edgeplan.batch.plist`.");
        note.files.push_back(launchd_plist());
        break;
    case DevicePlatform::os_windows:
        note.lines.push_back("Task Scheduler: in the task XML set "
                             "<DisallowStartIfOnBatteries>true</DisallowStartIfOnBatteries>, "
                             "<StopIfGoingOnBatteries>true</StopIfGoingOnBatteries> and "
                             "<RunOnlyIfIdle>true</RunOnlyIfIdle>, with a daily trigger at "
                             "02:00.");
        break;
    case DevicePlatform::os_android:
        note.lines.push_back("WorkManager: a PeriodicWorkRequest with "
                             "Constraints.Builder().setRequiresCharging(true)"
                             ".setRequiresDeviceIdle(true) runs the batch only while charging "
                             "and idle.");
        break;
    case DevicePlatform::os_ios:
        note.lines.push_back("BackgroundTasks: a BGProcessingTaskRequest with "
                             "requiresExternalPower = true runs the batch only on external "
                             "power, when iOS finds the device idle.");
        break;
    case DevicePlatform::os_linux:
    case DevicePlatform::unknown:
        note.lines.push_back(fmt::format(
            "A systemd timer starts the batch at 02:00; ConditionACPower=true skips the run on "
            "battery (a skipped condition, not a failure) and ExecCondition skips it while any "
            "thermal zone is at {:.0f} degC or more. Replace ExecStart with your batch client "
            "(it talks to the server on {}:{}) and enable with `systemctl enable --now "
            "edgeplan-batch.timer`.",
            limit, client_host(chosen.settings), chosen.settings.port));
        note.files = systemd_units(chosen, limit);
        break;
    }
    return note;
}

PlanNote federated_note(const PlanRequest& request, const HardwareProfile& /*profile*/,
                        const Candidate& chosen, const Catalog& catalog) {
    PlanNote note;
    note.title = "Lifecycle: federated learning loop";
    const std::optional<std::uint64_t> params =
        lora_delta_parameters(catalog.find_model(chosen.model_id));
    const std::string delta =
        params ? fmt::format("{} ({} parameters at 2 bytes)", bytes_text(*params * 2),
                             count_text(static_cast<long long>(*params)))
               : std::string("of unknown size (the catalogue lacks the architecture)");
    note.lines.push_back(fmt::format(
        "Local step, on AC power and idle: fine-tune a rank-{} LoRA adapter on the attention "
        "projections of {} with data that stays on the device; the {} of base weights do not "
        "change, and the adapter is {}.",
        federated_lora_rank, chosen.model_id, bytes_text(weights_total_bytes(chosen)), delta));
    if (request.keeps_data_local()) {
        note.lines.push_back("This request keeps data on the device (offline, strict or "
                             "airgap), so only the local step runs: no update is uploaded and "
                             "the adapter is used here alone.");
        return note;
    }
    note.lines.push_back(
        "Only the weight delta leaves the device: clipped to a fixed L2 norm, with Gaussian "
        "noise added for differential privacy, and masked for secure aggregation so the "
        "coordinator sees only the sum over devices.");
    note.lines.push_back("Never leaves the device: raw prompts, answers, training examples, KV "
                         "caches and logs.");
    note.lines.push_back("Each new global adapter goes through the update steps above (verify "
                         "the checksum, swap atomically, roll back on a failed health check).");
    return note;
}

} // namespace edgeplan::planner_detail
