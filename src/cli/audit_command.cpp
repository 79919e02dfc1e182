#include "audit_command.hpp"

#include "hardware_options.hpp"

#include <edgeplan/core/profile_json.hpp>
#include <edgeplan/report/audit_report.hpp>

#include <memory>

namespace edgeplan::cli {

namespace {

struct AuditOptions {
    HardwareOptions hardware;
    std::string format = "md";
};

} // namespace

void set_audit_command(CLI::App& app, CommandOutcome& outcome) {
    auto options = std::make_shared<AuditOptions>();
    auto* audit = app.add_subcommand(
        "audit", "Report the hardware of this machine, or of another one described by a file");
    add_hardware_options(*audit, options->hardware);
    // --catalog (a global option) may follow the subcommand.
    audit->fallthrough();
    audit->add_option("--format", options->format, "Output format: md (default) or json")
        ->check(CLI::IsMember({"md", "json"}));

    audit->callback([options, &outcome, audit] {
        std::string hint;
        auto profile = acquire_hardware(options->hardware, *audit, LiveBandwidth::as_requested, hint);
        if (!profile) {
            outcome.fail(profile.error(), hint);
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
