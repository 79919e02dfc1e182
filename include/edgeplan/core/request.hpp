#pragma once

#include <optional>
#include <string>
#include <vector>

namespace edgeplan {

/// What the user wants to run. Tasks use the catalogue's names (data/schema/model.schema.json).
enum class Privacy {
    standard, ///< cloud fallback allowed when the user allows it and offline is not required
    strict,   ///< nothing leaves the device; no engine that phones home
    airgap    ///< strict, plus no download at run time: everything fetched beforehand
};

enum class PowerMode { automatic, ac, battery };
enum class Preference { quality, balanced, speed };

/// A planning request, as `edgeplan recommend` takes it from the command line.
struct PlanRequest {
    std::string task = "chat"; ///< chat, code, reasoning, vision, embedding, speech-to-text,
                               ///< text-to-speech, summarization, tool-use
    bool offline = false;      ///< must run with no network at all
    Privacy privacy = Privacy::standard;
    std::optional<int> context_tokens; ///< nullopt: the planner picks (task default, model max)
    int prompt_tokens = 512;           ///< a typical request's prompt
    int output_tokens = 256;           ///< a typical request's answer
    int concurrency = 1;               ///< simultaneous requests to serve
    std::optional<double> min_tokens_per_s; ///< per stream, at the requested concurrency
    std::optional<double> max_ttft_ms;
    PowerMode power = PowerMode::automatic;
    Preference prefer = Preference::balanced;
    std::optional<std::string> engine; ///< pin an engine id
    std::optional<std::string> model;  ///< pin a model id
    std::optional<std::string> quant;  ///< pin a quantization id
    bool allow_cloud_fallback = false;
    int top = 3;                       ///< runner-ups shown
    bool background = false;           ///< batch work: schedule on AC / thermal-idle windows
    bool federated = false;            ///< describe a federated-learning loop
    std::vector<std::string> lora_adapters; ///< adapter names/paths to load

    /// Offline, strict or airgap: no cloud route and no engine that phones home.
    [[nodiscard]] bool keeps_data_local() const {
        return offline || privacy != Privacy::standard;
    }
};

} // namespace edgeplan
