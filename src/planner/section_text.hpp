#pragma once

// Shared by the section writers (risks, verification, notes): number formatting, the
// device's platform, and command lines restricted to the flags the catalogue verified.
// Internal to the planner; the public API is edgeplan/planner/sections.hpp.

#include <edgeplan/core/catalog.hpp>
#include <edgeplan/core/plan.hpp>
#include <edgeplan/planner/sections.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace edgeplan::planner_detail {

/// "512 MiB", "4.6 GiB" (binary units, one decimal unless whole).
std::string bytes_text(std::uint64_t bytes);
/// Like bytes_text with a sign for negative values ("-1.2 GiB").
std::string signed_bytes_text(std::int64_t bytes);
/// "126 tok/s", "18.4 tok/s", "2.35 tok/s": three significant digits at most.
std::string rate_text(double tokens_per_s);
/// A plain number with three significant digits at most ("126", "18.4", "0.812").
std::string number_text(double value);
/// "182 ms", "1.2 ms".
std::string ms_text(double ms);
/// 0.053 -> "5.3%".
std::string percent_text(double fraction);
/// 32768 -> "32,768".
std::string count_text(long long value);
std::string join(const std::vector<std::string>& items, std::string_view separator);
/// ASCII lower case.
std::string lower(std::string_view text);
/// Single-quotes a shell word when it holds anything but [A-Za-z0-9_./:=+-].
std::string shell_word(std::string_view text);

/// "decode 126 tok/s" or "decode unknown (reason)"; `what` names the figure.
std::string figure_text(std::string_view what, const std::optional<double>& tokens_per_s,
                        const SpeedProjection& speed);

/// The chosen engine's catalogue entry; nullptr when the id is not in the catalogue.
const Engine* find_chosen_engine(const Candidate& chosen, const Catalog& catalog);
/// The release or commit of Engine::version_checked, without its parenthesised notes.
std::string short_version(const Engine& engine);
/// The engine's display name, or its id when it is not in the catalogue.
std::string engine_name(const Candidate& chosen, const Engine* engine);

/// The weights' size: the file's tensor data where known, else the sum over devices.
std::uint64_t weights_total_bytes(const Candidate& chosen);
std::uint64_t kv_total_bytes(const Candidate& chosen);
/// Sequences the KV cache was sized for: parallel_slots, at least 1.
int sequence_count(const Candidate& chosen);
/// The host a local client connects to: 127.0.0.1 when the server binds every address.
std::string client_host(const DeploymentSettings& settings);
/// What the weights are called on disk or in a registry: file, repository, tag or model id.
std::string model_reference(const Candidate& chosen);
/// Whether the machine runs on battery now (profile) or the request says it will.
bool on_battery(const PlanRequest& request, const HardwareProfile& profile);
/// Any GPU in the profile made by `vendor` (case-insensitive).
bool has_gpu_vendor(const HardwareProfile& profile, std::string_view vendor);
/// Tasks whose answers must be exact (code, reasoning): quantization loss weighs more.
bool high_fidelity_task(std::string_view task);

/// A command line that keeps only flags the catalogue verified for `tool` (Engine::flags).
/// A tool the catalogue does not list is not checked: nothing is known to restrict it.
class CommandLine {
  public:
    /// `program` is what the user types ("llama-bench"); `tool` the key in Engine::flags.
    CommandLine(const Engine* engine, std::string tool, std::string program);
    CommandLine& flag(std::string_view name);
    CommandLine& option(std::string_view name, std::string_view value);
    /// "--name=value" as one word, for tools whose parser takes only that form (Kaldi-style
    /// ParseOptions in sherpa-onnx).
    CommandLine& assign(std::string_view name, std::string_view value);
    CommandLine& word(std::string_view value);
    [[nodiscard]] std::string text() const;
    /// Flags left out because the catalogue does not list them for this tool.
    [[nodiscard]] const std::vector<std::string>& dropped() const {
        return dropped_;
    }

  private:
    [[nodiscard]] bool allowed(std::string_view name) const;
    const std::vector<std::string>* verified_ = nullptr;
    std::vector<std::string> words_;
    std::vector<std::string> dropped_;
};

} // namespace edgeplan::planner_detail
