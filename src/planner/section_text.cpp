#include "section_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>

namespace edgeplan::planner_detail {

std::string bytes_text(std::uint64_t bytes) {
    constexpr std::array<const char*, 5> units = {"B", "KiB", "MiB", "GiB", "TiB"};
    double value = static_cast<double>(bytes);
    std::size_t unit = 0;
    while (value >= 1024.0 && unit + 1 < units.size()) {
        value /= 1024.0;
        ++unit;
    }
    if (unit == 0) {
        return fmt::format("{} B", bytes);
    }
    if (value == std::floor(value)) {
        return fmt::format("{:.0f} {}", value, units[unit]);
    }
    return fmt::format("{:.1f} {}", value, units[unit]);
}

std::string signed_bytes_text(std::int64_t bytes) {
    if (bytes < 0) {
        return "-" + bytes_text(static_cast<std::uint64_t>(-bytes));
    }
    return bytes_text(static_cast<std::uint64_t>(bytes));
}

std::string number_text(double value) {
    // Three significant digits: a projection's error (docs/estimation.md: median 5-26%)
    // makes more digits noise.
    const double magnitude = std::fabs(value);
    if (magnitude >= 100) {
        return count_text(std::llround(value));
    }
    if (magnitude >= 10) {
        return fmt::format("{:.1f}", value);
    }
    if (magnitude >= 1) {
        return fmt::format("{:.2f}", value);
    }
    return fmt::format("{:.3g}", value);
}

std::string rate_text(double tokens_per_s) {
    return number_text(tokens_per_s) + " tok/s";
}

std::string ms_text(double ms) {
    return number_text(ms) + " ms";
}

std::string percent_text(double fraction) {
    return fmt::format("{:.1f}%", fraction * 100.0);
}

std::string count_text(long long value) {
    std::string digits = std::to_string(value < 0 ? -value : value);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) {
            out += ',';
        }
        out += digits[i];
    }
    return value < 0 ? "-" + out : out;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) {
            out += separator;
        }
        out += items[i];
    }
    return out;
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string shell_word(std::string_view text) {
    const bool plain = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
               std::string_view("_./:=+-,").find(c) != std::string_view::npos;
    });
    if (plain) {
        return std::string(text);
    }
    std::string out = "'";
    for (char c : text) {
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return out + "'";
}

std::string figure_text(std::string_view what, const std::optional<double>& tokens_per_s,
                        const SpeedProjection& speed) {
    if (tokens_per_s) {
        return fmt::format("{} {}", what, rate_text(*tokens_per_s));
    }
    return fmt::format("{} unknown ({})", what, speed.unknown_reason.value_or("not projected"));
}

const Engine* find_chosen_engine(const Candidate& chosen, const Catalog& catalog) {
    return catalog.find_engine(chosen.settings.engine_id.empty() ? chosen.engine_id
                                                                 : chosen.settings.engine_id);
}

std::string short_version(const Engine& engine) {
    const std::size_t cut = engine.version_checked.find(" (");
    return cut == std::string::npos ? engine.version_checked
                                    : engine.version_checked.substr(0, cut);
}

std::string engine_name(const Candidate& chosen, const Engine* engine) {
    return engine != nullptr ? engine->name : chosen.engine_id;
}

std::uint64_t weights_total_bytes(const Candidate& chosen) {
    if (chosen.weights_file_bytes > 0) {
        return chosen.weights_file_bytes; // unified memory lists them twice in the breakdown
    }
    std::uint64_t total = 0;
    for (const DeviceMemory& device : chosen.memory) {
        total += device.weights_bytes;
    }
    return total;
}

std::uint64_t kv_total_bytes(const Candidate& chosen) {
    std::uint64_t total = 0;
    for (const DeviceMemory& device : chosen.memory) {
        total += device.kv_cache_bytes;
    }
    return total;
}

int sequence_count(const Candidate& chosen) {
    return std::max(1, chosen.settings.parallel_slots);
}

std::string client_host(const DeploymentSettings& settings) {
    if (settings.host.empty() || settings.host == "0.0.0.0" || settings.host == "::") {
        return "127.0.0.1";
    }
    return settings.host;
}

std::string model_reference(const Candidate& chosen) {
    const DeploymentSettings& s = chosen.settings;
    if (s.local_file) {
        return *s.local_file;
    }
    if (s.artifact_file) {
        return *s.artifact_file;
    }
    if (s.artifact_repository) {
        return *s.artifact_repository;
    }
    if (s.ollama_tag) {
        return *s.ollama_tag;
    }
    return chosen.model_id;
}

bool on_battery(const PlanRequest& request, const HardwareProfile& profile) {
    if (request.power == PowerMode::battery) {
        return true;
    }
    return request.power == PowerMode::automatic && profile.power.supply.value == "battery";
}

bool has_gpu_vendor(const HardwareProfile& profile, std::string_view vendor) {
    return std::any_of(profile.gpus.begin(), profile.gpus.end(), [&](const GpuDevice& gpu) {
        return gpu.vendor.value && lower(*gpu.vendor.value) == lower(vendor);
    });
}

bool high_fidelity_task(std::string_view task) {
    return task == "code" || task == "reasoning";
}

CommandLine::CommandLine(const Engine* engine, std::string tool, std::string program) {
    if (engine != nullptr) {
        auto found = engine->flags.find(tool);
        if (found != engine->flags.end()) {
            verified_ = &found->second;
        }
    }
    words_.push_back(std::move(program));
}

bool CommandLine::allowed(std::string_view name) const {
    return verified_ == nullptr ||
           std::find(verified_->begin(), verified_->end(), name) != verified_->end();
}

CommandLine& CommandLine::flag(std::string_view name) {
    if (allowed(name)) {
        words_.emplace_back(name);
    } else {
        dropped_.emplace_back(name);
    }
    return *this;
}

CommandLine& CommandLine::option(std::string_view name, std::string_view value) {
    if (allowed(name)) {
        words_.emplace_back(name);
        words_.push_back(shell_word(value));
    } else {
        dropped_.emplace_back(name);
    }
    return *this;
}

CommandLine& CommandLine::assign(std::string_view name, std::string_view value) {
    if (allowed(name)) {
        words_.push_back(std::string(name) + "=" + shell_word(value));
    } else {
        dropped_.emplace_back(name);
    }
    return *this;
}

CommandLine& CommandLine::word(std::string_view value) {
    words_.push_back(shell_word(value));
    return *this;
}

std::string CommandLine::text() const {
    return join(words_, " ");
}

} // namespace edgeplan::planner_detail
