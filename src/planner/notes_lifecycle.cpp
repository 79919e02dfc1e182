// Lifecycle: how weights and LoRA adapters are replaced without downtime or a half-written
// model: stage, verify the checksum, swap with one atomic rename, keep the previous version
// and roll back on a failed health check. Also the entry points that gather every note and
// fill a Plan.
#include "notes.hpp"
#include "section_text.hpp"

#include <fmt/format.h>

#include <algorithm>
namespace edgeplan {

namespace {

using namespace planner_detail;

std::string health_check(const Candidate& chosen) {
    if (chosen.settings.port == 0) { // sherpa-onnx: no server, a short synthesis is the check
        return "./speak.sh \"Test.\" test.wav";
    }
    const std::string url =
        fmt::format("http://{}:{}", client_host(chosen.settings), chosen.settings.port);
    if (chosen.engine_id == "ollama") {
        return fmt::format("curl -sf {}/api/version", url);
    }
    if (chosen.engine_id == "whisper.cpp") { // no /v1 API: its page at / (server.cpp 0349811d)
        return fmt::format("curl -sf {}/ -o /dev/null", url);
    }
    if (chosen.engine_id == "llama.cpp" || chosen.engine_id == "vllm" ||
        chosen.engine_id == "mlx-lm") {
        return fmt::format("curl -sf {}/health", url);
    }
    return fmt::format("curl -sf {}/v1/models", url);
}

std::string swap_line(DevicePlatform platform) {
    switch (platform) {
    case DevicePlatform::os_linux:
        return "Swap atomically: `ln -sfn VERSION models/current.new && mv -T models/current.new "
               "models/current` (one rename(2) on one filesystem, so the server never sees half a "
               "model), then restart the service.";
    case DevicePlatform::os_macos:
        return "Swap atomically: `ln -sfn VERSION models/current.new && mv -h models/current.new "
               "models/current` (one rename(2) on one volume), then restart the service.";
    case DevicePlatform::os_windows:
        return "Swap: stop the service, rename the version directory into place (one rename on "
               "one volume), start the service.";
    case DevicePlatform::os_android:
    case DevicePlatform::os_ios:
        return "Swap atomically inside the app container (Files.move with ATOMIC_MOVE on "
               "Android, FileManager.replaceItemAt on iOS), then reload the model.";
    case DevicePlatform::unknown:
        break;
    }
    return "Swap atomically: point a models/current link at the new version with one rename on "
           "the same filesystem, then restart the service.";
}

std::string adapter_flag(const Candidate& chosen, const Engine* engine) {
    struct Known {
        const char* engine;
        const char* tool;
        const char* flag;
        const char* usage;
    };
    static const Known known[] = {
        {"llama.cpp", "llama-server", "--lora", "llama-server --lora FILE"},
        {"vllm", "vllm serve", "--lora-modules",
         "vllm serve --enable-lora --lora-modules NAME=PATH"},
        {"mlx-lm", "mlx_lm.server", "--adapter-path", "mlx_lm.server --adapter-path PATH"},
        {"ollama", "Modelfile", "ADAPTER", "an ADAPTER line in the Modelfile"},
    };
    for (const Known& k : known) {
        if (chosen.engine_id != k.engine || engine == nullptr) {
            continue;
        }
        auto tool = engine->flags.find(k.tool);
        if (tool != engine->flags.end() &&
            std::find(tool->second.begin(), tool->second.end(), k.flag) != tool->second.end()) {
            return fmt::format("load them with {}", k.usage);
        }
    }
    return fmt::format("the catalogue lists no verified adapter flag for {}",
                       engine_name(chosen, engine));
}

PlanNote update_note(const PlanRequest& request, const HardwareProfile& profile,
                     const Candidate& chosen, const Catalog& catalog) {
    const Engine* engine = find_chosen_engine(chosen, catalog);
    const std::uint64_t weights = weights_total_bytes(chosen);
    const auto& free = profile.storage.free_bytes.value;
    PlanNote note;
    note.title = "Lifecycle: weight and adapter updates";
    note.lines.push_back(fmt::format(
        "Stage: {} the new weights ({}) into models/staging/VERSION beside the live version; "
        "keeping two versions needs {} on disk ({}).",
        request.offline ? "copy (from removable media or a local mirror)" : "download",
        bytes_text(weights), bytes_text(2 * weights),
        free ? fmt::format("{} free now", bytes_text(*free)) : std::string("free space unknown")));
    note.lines.push_back("Verify: compare the sha256 of every file with the publisher's "
                         "checksum (`sha256sum FILE`, or `shasum -a 256 FILE` on macOS) and "
                         "refuse the version on any mismatch.");
    note.lines.push_back(swap_line(device_platform(profile, catalog)));
    note.lines.push_back(fmt::format(
        "Roll back: keep the previous version until the new one passes `{}` and the "
        "verification steps (section 7); on failure point models/current back and restart.",
        health_check(chosen)));
    std::vector<std::string> adapters = chosen.settings.lora_adapters;
    if (adapters.empty()) {
        adapters = request.lora_adapters;
    }
    note.lines.push_back(fmt::format(
        "LoRA adapters ({}) follow the same stage, verify, swap and roll-back steps; {}.",
        adapters.empty() ? std::string("none configured") : join(adapters, ", "),
        adapter_flag(chosen, engine)));
    return note;
}

} // namespace

std::vector<PlanNote> plan_lifecycle_notes(const PlanRequest& request,
                                           const HardwareProfile& profile, const Candidate& chosen,
                                           const Catalog& catalog) {
    std::vector<PlanNote> notes;
    notes.push_back(update_note(request, profile, chosen, catalog));
    if (request.background) {
        notes.push_back(planner_detail::background_note(request, profile, chosen, catalog));
    }
    if (request.federated) {
        notes.push_back(planner_detail::federated_note(request, profile, chosen, catalog));
    }
    return notes;
}

std::vector<PlanNote> plan_notes(const PlanRequest& request, const HardwareProfile& profile,
                                 const Candidate& chosen, const Catalog& catalog) {
    std::vector<PlanNote> notes;
    if (std::optional<PlanNote> hybrid = plan_hybrid_note(request, profile, chosen, catalog)) {
        notes.push_back(std::move(*hybrid));
    }
    if (std::optional<PlanNote> security = plan_security_note(request, profile, chosen, catalog)) {
        notes.push_back(std::move(*security));
    }
    for (PlanNote& note : plan_lifecycle_notes(request, profile, chosen, catalog)) {
        notes.push_back(std::move(note));
    }
    return notes;
}

void write_plan_sections(Plan& plan, const Catalog& catalog) {
    plan.risks.clear();
    plan.verification.clear();
    plan.notes.clear();
    if (!plan.chosen) {
        return;
    }
    plan.risks = plan_risks(plan.request, plan.hardware, *plan.chosen, catalog);
    plan.verification = plan_verification(plan.request, plan.hardware, *plan.chosen, catalog);
    plan.notes = plan_notes(plan.request, plan.hardware, *plan.chosen, catalog);
}

} // namespace edgeplan
