// Verification checks shared by every engine: a timed chat request against the plan's port,
// the platform's memory reading, and power draw during decode.
#include "verification.hpp"

#include "section_text.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace edgeplan::planner_detail {

namespace {

constexpr const char* chat_prompt = "Write a 200-word story about a lighthouse keeper.";

// The process holding the model, as `pgrep -f` matches it.
std::string process_pattern(const VerifyInputs& in) {
    if (in.chosen.engine_id == "ollama") {
        return "ollama runner"; // Ollama loads the model in a runner child process
    }
    if (in.engine != nullptr && in.engine->serving.command) {
        return *in.engine->serving.command;
    }
    return in.chosen.engine_id;
}

bool gpu_memory_used(const Candidate& chosen) {
    return std::any_of(chosen.memory.begin(), chosen.memory.end(), [](const DeviceMemory& d) {
        return d.device.rfind("gpu", 0) == 0 && d.total_bytes > 0;
    });
}

bool nvidia_memory_kind(const HardwareProfile& profile, bool unified) {
    return std::any_of(profile.gpus.begin(), profile.gpus.end(), [&](const GpuDevice& gpu) {
        return gpu.vendor.value && lower(*gpu.vendor.value) == "nvidia" &&
               (gpu.memory_kind.value == std::optional<std::string>("unified")) == unified;
    });
}

// A discrete NVIDIA card: nvidia-smi reports its memory and power.
bool nvidia_plan(const VerifyInputs& in) {
    return gpu_memory_used(in.chosen) && nvidia_memory_kind(in.profile, false);
}

// Jetson (Tegra) boards share memory with the CPU and report it, and power rails, through
// tegrastats rather than nvidia-smi.
bool jetson_plan(const VerifyInputs& in) {
    if (!nvidia_memory_kind(in.profile, true)) {
        return false;
    }
    const std::string os = lower(in.profile.system.os.value.value_or(""));
    const bool tegra_gpu =
        std::any_of(in.profile.gpus.begin(), in.profile.gpus.end(), [](const GpuDevice& gpu) {
            const std::string model = lower(gpu.model.value.value_or(""));
            return model.find("orin") != std::string::npos ||
                   model.find("jetson") != std::string::npos ||
                   model.find("tegra") != std::string::npos;
        });
    return os.find("jetpack") != std::string::npos || tegra_gpu;
}

std::string mib(double bytes) {
    return count_text(static_cast<long long>(bytes / (1024.0 * 1024.0)));
}

} // namespace

std::string expect_rate(std::string_view label, const std::optional<double>& rate, double tolerance,
                        const SpeedProjection& speed) {
    if (!rate) {
        return fmt::format("{} unknown ({}): record the measured figure", label,
                           speed.unknown_reason.value_or("not projected"));
    }
    return fmt::format("{} {} projected; investigate below {}", label, rate_text(*rate),
                       rate_text(*rate * (1.0 - tolerance)));
}

std::string expect_ttft(const VerifyInputs& in) {
    const auto& ttft = in.chosen.speed.ttft_ms;
    if (!ttft) {
        return "TTFT unknown: record the measured figure";
    }
    return fmt::format("TTFT {} projected for a {}-token prompt; investigate above {}",
                       ms_text(*ttft), count_text(in.request.prompt_tokens),
                       ms_text(*ttft * (1.0 + verify_prefill_tolerance)));
}

std::string base_url(const VerifyInputs& in) {
    return fmt::format("http://{}:{}", in.host, in.port);
}

VerificationStep timed_chat_step(const VerifyInputs& in, const std::string& model) {
    nlohmann::json body = {{"model", model},
                           {"messages", {{{"role", "user"}, {"content", chat_prompt}}}},
                           {"max_tokens", verify_output_tokens},
                           {"stream", true}};
    VerificationStep step;
    step.purpose = fmt::format("Time a streamed {}-token chat answer through the "
                               "OpenAI-compatible API on port {}",
                               verify_output_tokens, in.port);
    step.command = fmt::format("curl -sN -o /dev/null -w 'first byte %{{time_starttransfer}}s, "
                               "total %{{time_total}}s\\n' {}/v1/chat/completions -H "
                               "'Content-Type: application/json' -d {}",
                               base_url(in), shell_word(body.dump()));
    const SpeedProjection& s = in.chosen.speed;
    if (s.decode_tokens_per_s_short) {
        // The prompt is short, so the projected TTFT (for the request's prompt) bounds the
        // first byte from above; the answer takes 128 tokens at the decode rate.
        const double decode_s = verify_output_tokens / *s.decode_tokens_per_s_short;
        const double total_s = decode_s + s.ttft_ms.value_or(0.0) / 1000.0;
        step.expect = fmt::format(
            "total at most {:.1f} s ({} tokens at decode {} plus a first byte under the "
            "projected TTFT {}); investigate above {:.1f} s",
            total_s, verify_output_tokens, rate_text(*s.decode_tokens_per_s_short),
            s.ttft_ms ? ms_text(*s.ttft_ms) : std::string("(unknown)"),
            total_s * (1.0 + verify_decode_tolerance));
    } else {
        step.expect =
            expect_rate("decode", s.decode_tokens_per_s_short, verify_decode_tolerance, s) +
            "; decode tok/s = 128 / (total - first byte)";
    }
    return step;
}

std::optional<VerificationStep> memory_step(const VerifyInputs& in) {
    const std::uint64_t total = in.chosen.resident_bytes();
    const double limit = static_cast<double>(total) * (1.0 + verify_memory_tolerance);
    const std::string pattern = shell_word(process_pattern(in));
    VerificationStep step;
    if (nvidia_plan(in)) {
        step.purpose = "Check the GPU memory the plan assigns (weights + KV cache + buffers)";
        step.command = "nvidia-smi --query-gpu=index,memory.used,memory.total --format=csv";
        std::vector<std::string> parts;
        for (const DeviceMemory& d : in.chosen.memory) {
            if (d.device.rfind("gpu", 0) != 0) {
                continue;
            }
            if (in.chosen.engine_id == "vllm" && in.chosen.settings.gpu_memory_utilization) {
                // vLLM reserves its fraction of the card up front, whatever the model needs.
                parts.push_back(fmt::format("{}: about {} MiB (vLLM reserves "
                                            "--gpu-memory-utilization {:.2f} of the card)",
                                            d.device, mib(static_cast<double>(d.usable_bytes)),
                                            *in.chosen.settings.gpu_memory_utilization));
                continue;
            }
            parts.push_back(fmt::format(
                "{}: about {} MiB ({}); investigate above {} MiB", d.device,
                mib(static_cast<double>(d.total_bytes)), bytes_text(d.total_bytes),
                mib(static_cast<double>(d.total_bytes) * (1.0 + verify_memory_tolerance))));
        }
        step.expect = join(parts, "; ");
        return step;
    }
    if (jetson_plan(in)) {
        step.purpose = "Check the shared memory in use (Jetson: CPU and GPU share it)";
        step.command = "sudo tegrastats --interval 1000";
        step.expect = fmt::format("RAM used grows by about {} MB when the model loads; "
                                  "investigate above {} MB",
                                  count_text(static_cast<long long>(total / 1e6)),
                                  count_text(static_cast<long long>(limit / 1e6)));
        return step;
    }
    switch (in.platform) {
    case DevicePlatform::os_macos:
        step.purpose = "Check the memory of the serving process (unified memory)";
        step.command =
            fmt::format("top -l 1 -stats pid,command,mem -pid $(pgrep -n -f {})", pattern);
        break;
    case DevicePlatform::os_linux:
        step.purpose = "Check the resident memory of the serving process";
        step.command = fmt::format("grep VmRSS /proc/$(pgrep -n -f {})/status", pattern);
        break;
    case DevicePlatform::os_windows:
        step.purpose = "Check the working set of the process listening on the plan's port";
        step.command = fmt::format("powershell -Command \"(Get-Process -Id (Get-NetTCPConnection "
                                   "-LocalPort {}).OwningProcess).WorkingSet64\"",
                                   in.port);
        break;
    default:
        return std::nullopt;
    }
    step.expect = fmt::format("about {} ({} kB) for weights{}buffers; investigate "
                              "above {} kB",
                              bytes_text(total), count_text(static_cast<long long>(total / 1024)),
                              // An encoder (embedding) holds no KV cache.
                              kv_total_bytes(in.chosen) > 0 ? ", KV cache and " : " and ",
                              count_text(static_cast<long long>(limit / 1024)));
    return step;
}

std::optional<VerificationStep> power_step(const VerifyInputs& in) {
    const SpeedProjection& s = in.chosen.speed;
    if (!s.joules_per_token && !on_battery(in.request, in.profile)) {
        return std::nullopt;
    }
    VerificationStep step;
    step.purpose = "Measure power draw while the benchmark decodes";
    if (in.platform == DevicePlatform::os_macos) {
        step.command = "sudo powermetrics --samplers gpu_power -i 1000 -n 10";
    } else if (nvidia_plan(in)) {
        step.command = "nvidia-smi --query-gpu=index,power.draw --format=csv -l 1";
    } else if (jetson_plan(in)) {
        step.purpose += " (tegrastats VDD_IN is the board input, in mW)";
        step.command = "sudo tegrastats --interval 1000";
    } else if (in.platform == DevicePlatform::os_linux) {
        step.purpose += " (power_now is in microwatts)";
        step.command = "cat /sys/class/power_supply/BAT*/power_now";
    } else {
        return std::nullopt;
    }
    if (s.joules_per_token && s.decode_tokens_per_s_short) {
        const double watts = *s.joules_per_token * *s.decode_tokens_per_s_short;
        step.expect =
            fmt::format("about {:.0f} W ({:.2f} J/token x {}); investigate above "
                        "{:.0f} W",
                        watts, *s.joules_per_token, rate_text(*s.decode_tokens_per_s_short),
                        watts * (1.0 + verify_decode_tolerance));
    } else {
        step.expect = "energy per token unknown: record the watts (J/token = W / decode "
                      "tok/s)";
    }
    return step;
}

} // namespace edgeplan::planner_detail
