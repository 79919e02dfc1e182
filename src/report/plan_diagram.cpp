// Section 3's ASCII diagram of the deployment stack, built only from the plan's settings
// and the catalogue's serving facts.

#include "format.hpp"
#include "plan_embedding.hpp"
#include "plan_format.hpp"
#include "plan_sections.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace edgeplan::report_detail {

namespace {

bool has_isa(const HardwareProfile& hardware, const std::string& name) {
    const auto it = hardware.cpu.isa.features.find(name);
    return it != hardware.cpu.isa.features.end() && it->second.value_or(false);
}

std::string box(const std::vector<std::string>& lines) {
    std::size_t width = 0;
    for (const auto& line : lines) {
        width = std::max(width, line.size());
    }
    const std::string edge = "+" + std::string(width + 2, '-') + "+\n";
    std::string out = edge;
    for (const auto& line : lines) {
        out += "| " + line + std::string(width - line.size(), ' ') + " |\n";
    }
    return out + edge;
}

std::string arrow(const std::string& label) {
    return "        |" + (label.empty() ? std::string() : "  " + label) + "\n        v\n";
}

std::string backend_name(const std::string& backend) {
    if (backend == "cuda") {
        return "CUDA";
    }
    if (backend == "metal") {
        return "Metal";
    }
    if (backend == "rocm") {
        return "ROCm";
    }
    if (backend == "vulkan") {
        return "Vulkan";
    }
    if (backend == "cpu") {
        return "CPU";
    }
    return backend.empty() ? std::string("unknown") : backend;
}

} // namespace

std::string cpu_isa_path(const HardwareProfile& hardware) {
    // The widest SIMD path ggml's CPU backend dispatches to, most capable first
    // (ggml-cpu's feature checks: AMX, AVX-512 (+VNNI/BF16), AVX2, SVE, i8mm/dotprod, NEON).
    static const std::vector<std::pair<std::string, std::string>> paths = {
        {"amx_int8", "AMX"},     {"avx512f", "AVX-512"},
        {"avx2", "AVX2"},        {"avx", "AVX"},
        {"sve2", "SVE2"},        {"sve", "SVE"},
        {"i8mm", "NEON + i8mm"}, {"dotprod", "NEON + dotprod"},
        {"neon", "NEON"}};
    for (const auto& [feature, name] : paths) {
        if (has_isa(hardware, feature)) {
            return name;
        }
    }
    return "";
}

std::string backend_text(const Plan& plan, const DeploymentSettings& s) {
    const std::string isa = cpu_isa_path(plan.hardware);
    const std::string cpu = isa.empty() ? "CPU (ISA path unknown)" : "CPU (" + isa + " path)";
    if (s.backend == "cpu" || s.backend.empty()) {
        return cpu;
    }
    std::string text = backend_name(s.backend);
    const bool partial = s.total_layers > 0 && s.gpu_layers < s.total_layers;
    if (partial || s.cpu_moe_layers > 0) {
        text += " + " + cpu + " for ";
        text += s.cpu_moe_layers > 0
                    ? fmt::format("the experts of {} layers", s.cpu_moe_layers)
                    : fmt::format("{} of {} layers", s.total_layers - s.gpu_layers, s.total_layers);
    }
    return text;
}

std::string stack_diagram(const Plan& plan, const Catalog& catalog) {
    if (!plan.chosen) {
        return "";
    }
    const Candidate& c = *plan.chosen;
    const DeploymentSettings& s = c.settings;
    const Engine* engine = catalog.find_engine(s.engine_id);
    const bool local_only = s.host == "127.0.0.1" || s.host == "localhost" || s.host == "::1";

    std::string out =
        box({"Clients", local_only ? "apps and tools on this device" : "apps on the network"});
    const std::string interface = engine != nullptr ? engine->serving.interface : "";
    out += arrow(interface_name(interface) + (interface == "library" ? "" : " requests"));

    std::vector<std::string> serving = {
        "Serving layer: " +
        (engine != nullptr && engine->serving.command ? *engine->serving.command : s.engine_id)};
    if (interface != "library" && interface != "cli") { // a CLI listens on nothing
        serving.push_back(fmt::format("listens on {}:{}", s.host, s.port));
    }
    if (engine != nullptr && !engine->serving.apis.empty()) {
        serving.push_back("APIs: " + join(engine->serving.apis));
    }
    serving.push_back(
        fmt::format("{} parallel slot{}", s.parallel_slots, s.parallel_slots == 1 ? "" : "s"));
    out += box(serving);
    out += arrow("");

    std::vector<std::string> engine_lines = {
        "Inference engine: " + (engine != nullptr ? engine->name : s.engine_id),
        "version checked: " +
            (engine != nullptr ? engine_version(*engine) : std::string("unknown")),
        fmt::format("{} {} ({}), context {} x {} slot{}", c.model_id, s.quantization,
                    s.weights_format, s.context_tokens, s.parallel_slots,
                    s.parallel_slots == 1 ? "" : "s"),
        (has_no_kv_cache(c) ? std::string("no KV cache (encoder)")
                            : "KV cache " + s.kv_cache_type +
                                  // mlx-lm and SwiftLM name KV types by bit width ("8"): say so.
                                  (s.kv_cache_type.find_first_not_of("0123456789") ==
                                           std::string::npos
                                       ? "-bit"
                                       : "")) +
            (s.flash_attention ? ", flash attention" : "")};
    if (s.draft_model_id) {
        engine_lines.push_back("speculative decoding: draft " + *s.draft_model_id);
    }
    if (c.engine_id == "sherpa-onnx") { // text-to-speech: no context, slots or KV cache
        engine_lines.resize(2);
        engine_lines.push_back(fmt::format("{} {} ({}), one sentence per pass", c.model_id,
                                           s.quantization, s.weights_format));
        engine_lines.push_back(fmt::format("ONNX Runtime CPU provider, {} threads", s.threads));
    }
    out += box(engine_lines);
    out += arrow("");
    out += box({"Backend: " + backend_text(plan, s), "placement: " + c.placement});
    out += arrow("");

    std::vector<std::string> devices = {"Devices"};
    for (const auto& d : c.memory) {
        devices.push_back(fmt::format("{}: {}", d.device, d.description));
        if (c.engine_id == "sherpa-onnx") {
            devices.push_back(fmt::format("  {} weights + {} activations + {} process = {} of {}",
                                          gib(d.weights_bytes), gib(d.compute_bytes),
                                          gib(d.overhead_bytes), gib(d.total_bytes),
                                          gib(d.usable_bytes)));
            continue;
        }
        devices.push_back(fmt::format("  {} weights + {}{} compute + {} overhead = {} of {}",
                                      gib(d.weights_bytes),
                                      has_no_kv_cache(c) ? "" : gib(d.kv_cache_bytes) + " KV + ",
                                      gib(d.compute_bytes), gib(d.overhead_bytes),
                                      gib(d.total_bytes), gib(d.usable_bytes)));
    }
    out += box(devices);

    const auto hybrid = notes_in(plan, NotePlacement::stack_architecture);
    if (!hybrid.empty()) {
        out += "\n  Serving layer --fallback (see \"" + hybrid.front()->title + "\" below)-->\n";
        out += box({"Cloud endpoint (leaves the device)", "only what the fallback rule sends"});
    }
    return out;
}

} // namespace edgeplan::report_detail
