#pragma once

// Hand-built candidates and profiles for the section-writer tests (planner_sections_test.cpp,
// planner_notes_test.cpp): five hardware classes from the embedded catalogue's target
// presets (GPU desktop, Apple laptop, Jetson, CPU-only machine, phones), with the fields each
// case is about set by hand.

#include <edgeplan/catalog/catalog.hpp>
#include <edgeplan/planner/sections.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace sections_fixtures {

using namespace edgeplan;

inline constexpr std::uint64_t gib = 1024ull * 1024ull * 1024ull;
inline constexpr std::uint64_t mib = 1024ull * 1024ull;

inline const Catalog& catalog() {
    static const Catalog loaded = [] {
        Result<Catalog> result = load_catalog(CatalogSource::embedded());
        REQUIRE(result.ok());
        return std::move(*result);
    }();
    return loaded;
}

inline HardwareProfile preset(const std::string& id) {
    const Target* target = catalog().find_target(id);
    REQUIRE(target);
    return target->profile;
}

inline HardwareProfile with_os(HardwareProfile profile, const std::string& os) {
    profile.system.os = Sourced<std::string>(os, Source::user);
    return profile;
}

inline DeviceMemory device(std::string id, std::uint64_t weights, std::uint64_t kv,
                           std::uint64_t usable) {
    DeviceMemory d;
    d.device = std::move(id);
    d.weights_bytes = weights;
    d.kv_cache_bytes = kv;
    d.compute_bytes = 300 * mib;
    d.overhead_bytes = 200 * mib;
    d.total_bytes = weights + kv + d.compute_bytes + d.overhead_bytes;
    d.usable_bytes = usable;
    d.margin_bytes = static_cast<std::int64_t>(usable) - static_cast<std::int64_t>(d.total_bytes);
    d.fits = d.margin_bytes >= 0;
    return d;
}

// Llama 3.1 8B Q4_K_M on llama.cpp, full GPU offload, 8192 tokens of KV at 128 KiB per token
// (1 GiB); the usable memory, and so the margin, is set per test.
inline Candidate llama_candidate(std::uint64_t usable = 20 * gib) {
    Candidate c;
    c.model_id = "llama-3.1-8b-instruct";
    c.model_name = "Llama 3.1 8B Instruct";
    c.quantization = "Q4_K_M";
    c.engine_id = "llama.cpp";
    c.parameters = 8'030'000'000;
    c.memory = {device("gpu0", 4'920'000'000, 1 * gib, usable)};
    c.speed.decode_tokens_per_s_short = 126.0;
    c.speed.prefill_tokens_per_s = 2900.0;
    c.speed.ttft_ms = 180.0;
    c.speed.sustained_tokens_per_s = 126.0;
    c.load = {{1, 126, 126, 7.9, 180.0},
              {2, 230, 115, 8.7, 200.0},
              {4, 380, 95, 10.5, 260.0},
              {8, 440, 55, 18.2, 400.0}};
    c.quality = 48.3;
    c.quality_basis = "MMLU-Pro 48.3 x Q4_K_M retention 0.99";
    c.fits = true;
    DeploymentSettings& s = c.settings;
    s.engine_id = "llama.cpp";
    s.backend = "cuda";
    s.weights_format = "gguf";
    s.quantization = "Q4_K_M";
    s.artifact_repository = "bartowski/Meta-Llama-3.1-8B-Instruct-GGUF";
    s.artifact_file = "Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf";
    s.context_tokens = 8192;
    s.gpu_layers = 33;
    s.total_layers = 33;
    s.flash_attention = true;
    s.port = 8181;
    return c;
}

inline Candidate with_engine(Candidate c, const std::string& engine, int port) {
    c.engine_id = engine;
    c.settings.engine_id = engine;
    c.settings.port = port;
    if (engine == "mlx-lm") {
        c.quantization = "mlx-affine-4bit-g64";
        c.settings.quantization = c.quantization;
        c.settings.artifact_repository = "mlx-community/Meta-Llama-3.1-8B-Instruct-4bit";
        c.settings.artifact_file.reset();
        c.settings.backend = "metal";
    }
    if (engine == "ollama") {
        c.settings.ollama_tag = "llama3.1:8b";
    }
    if (engine == "vllm") {
        c.settings.gpu_memory_utilization = 0.9;
    }
    return c;
}

inline PlanRequest offline_request() {
    PlanRequest r;
    r.offline = true;
    return r;
}

inline PlanRequest offline_request_with_federated() {
    PlanRequest r = offline_request();
    r.federated = true;
    return r;
}

// Copies, so a search in a temporary vector stays valid.
inline std::optional<Risk> find_risk(const std::vector<Risk>& risks, const std::string& prefix) {
    auto found = std::find_if(risks.begin(), risks.end(),
                              [&](const Risk& r) { return r.id.rfind(prefix, 0) == 0; });
    return found == risks.end() ? std::nullopt : std::optional<Risk>(*found);
}

inline std::optional<PlanNote> find_note(const std::vector<PlanNote>& notes,
                                         const std::string& word) {
    auto found = std::find_if(notes.begin(), notes.end(), [&](const PlanNote& n) {
        return n.title.find(word) != std::string::npos;
    });
    return found == notes.end() ? std::nullopt : std::optional<PlanNote>(*found);
}

inline std::string note_text(const PlanNote& note) {
    std::string text = note.title;
    for (const std::string& line : note.lines) {
        text += "\n" + line;
    }
    for (const NoteFile& file : note.files) {
        text += "\n" + file.path + "\n" + file.content;
    }
    return text;
}

// Every string every section writer produced.
inline std::vector<std::string> all_strings(const PlanRequest& r, const HardwareProfile& p,
                                            const Candidate& c) {
    std::vector<std::string> out;
    for (const Risk& risk : plan_risks(r, p, c, catalog())) {
        out.insert(out.end(), {risk.id, risk.title, risk.likelihood, risk.impact, risk.mitigation});
    }
    for (const VerificationStep& step : plan_verification(r, p, c, catalog())) {
        out.insert(out.end(), {step.purpose, step.command, step.expect});
    }
    for (const PlanNote& note : plan_notes(r, p, c, catalog())) {
        out.push_back(note_text(note));
    }
    return out;
}

inline std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    return text;
}

// A cloud route: the word "cloud" (Ollama's OLLAMA_NO_CLOUD switch, which turns cloud off, is
// the one allowed use) or a URL to anything but this machine.
inline std::string cloud_route_in(const std::string& text) {
    std::string t = lower(text);
    for (std::size_t at = t.find("ollama_no_cloud"); at != std::string::npos;
         at = t.find("ollama_no_cloud")) {
        t.replace(at, 15, "ollama_switch");
    }
    if (t.find("cloud") != std::string::npos) {
        return "mentions cloud";
    }
    for (std::size_t at = t.find("://"); at != std::string::npos; at = t.find("://", at + 3)) {
        const std::string host = t.substr(at + 3, 9);
        if (host.rfind("127.0.0.1", 0) != 0 && host.rfind("localhost", 0) != 0 &&
            host.rfind("0.0.0.0", 0) != 0) {
            return "URL to " + t.substr(at + 3, 40);
        }
    }
    return "";
}

// Flags of a command line: words that start with '-' (a lone "-" is stdin, not a flag).
inline std::vector<std::string> flags_of(const std::string& command) {
    std::istringstream words(command);
    std::vector<std::string> flags;
    for (std::string word; words >> word;) {
        if (word.size() > 1 && word[0] == '-' &&
            !std::isdigit(static_cast<unsigned char>(word[1]))) {
            flags.push_back(word);
        }
    }
    return flags;
}

} // namespace sections_fixtures
