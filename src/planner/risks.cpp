// Risk register, section 6: the entry point and the memory-overflow risks. Thresholds are
// edgeplan's, documented here and in sections.hpp, so a reader can argue with them.
#include "risks.hpp"

#include "kv_headroom.hpp"
#include "section_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>

namespace edgeplan {

std::vector<Risk> plan_risks(const PlanRequest& request, const HardwareProfile& profile,
                             const Candidate& chosen, const Catalog& catalog) {
    using namespace planner_detail;
    const RiskInputs in{request,
                        profile,
                        chosen,
                        catalog,
                        find_chosen_engine(chosen, catalog),
                        device_platform(profile, catalog)};
    std::vector<Risk> risks;
    add_thermal_risk(in, risks);
    add_memory_risks(in, risks);
    add_quantization_risk(in, risks);
    add_engine_risk(in, risks);
    add_power_risk(in, risks);
    add_storage_risk(in, risks);
    add_accelerator_risk(in, risks);
    add_port_risk(in, risks);
    add_telemetry_risk(in, risks);
    add_tts_risks(in, risks);
    return risks;
}

} // namespace edgeplan

namespace edgeplan::planner_detail {

namespace {

// Likelihood of running out of a stretched dimension (context, sequences) from how far the
// plan can stretch: under 1.25x the planned value the first longer prompt or extra user
// tips it over; past 2x it takes a deliberate change. edgeplan's thresholds.
constexpr double stretch_high = 1.25;
constexpr double stretch_medium = 2.0;

std::string stretch_likelihood(double ratio) {
    if (ratio < stretch_high) {
        return "high";
    }
    return ratio < stretch_medium ? "medium" : "low";
}

// Engines that size the whole KV cache when they start (llama.cpp -c, Ollama num_ctx, vLLM's
// block pool) refuse or queue work past it; mlx-lm grows its cache per request, so a long
// prompt can run the process out of memory mid-answer (mlx_lm/SERVER.md: --max-kv-size caps
// it).
bool kv_grows_per_request(const Candidate& chosen) {
    return chosen.engine_id == "mlx-lm";
}

bool is_float_kv(const std::string& type) {
    return type.empty() || type == "f16" || type == "bf16" || type == "f32" || type == "auto" ||
           type == "float16" || type == "bfloat16";
}

const KvCacheType* kv_type_for(const Catalog& catalog, const std::string& engine,
                               const std::string& value) {
    for (const KvCacheType& type : catalog.kv_cache_types) {
        if (type.engine_value == value &&
            std::find(type.engines.begin(), type.engines.end(), engine) != type.engines.end()) {
            return &type;
        }
    }
    return nullptr;
}

} // namespace

std::optional<KvSwitch> smaller_kv_type(const Candidate& chosen, const Catalog& catalog) {
    const std::string& current = chosen.settings.kv_cache_type;
    if (!is_float_kv(current)) {
        return std::nullopt;
    }
    // The 8-bit type of each engine: half the bytes of f16 for a small, measured quality
    // cost (llama.cpp q8_0; vLLM fp8; mlx-lm --kv-bits 8).
    KvSwitch kv;
    const std::string& engine = chosen.engine_id;
    if (engine == "llama.cpp" || engine == "llamafile") {
        kv = {"q8_0", "-ctk q8_0 -ctv q8_0", 1};
    } else if (engine == "ollama") {
        kv = {"q8_0", "OLLAMA_KV_CACHE_TYPE=q8_0 (needs OLLAMA_FLASH_ATTENTION=1)", 1};
    } else if (engine == "vllm") {
        kv = {"fp8", "--kv-cache-dtype fp8", 1};
    } else if (engine == "mlx-lm") {
        kv = {"8", "--kv-bits 8", 1};
    } else {
        return std::nullopt;
    }
    const std::string lookup_engine = engine == "llamafile" ? "llama.cpp" : engine;
    const KvCacheType* next = kv_type_for(catalog, lookup_engine, kv.value);
    const KvCacheType* now = kv_type_for(catalog, lookup_engine, current);
    // vLLM "auto" and an unset type store the model's 16-bit dtype: 2 bytes per element.
    const double now_bytes = now && now->bytes_per_element ? *now->bytes_per_element : 2.0;
    if (next == nullptr || !next->bytes_per_element) {
        return std::nullopt;
    }
    kv.ratio = *next->bytes_per_element / now_bytes;
    return kv;
}

std::string context_setting(const Candidate& chosen, long long tokens) {
    const int sequences = sequence_count(chosen);
    const std::string& engine = chosen.engine_id;
    if (engine == "llama.cpp" || engine == "llamafile") {
        // llama-server's -c is the cache of all slots together.
        return fmt::format("-c {} -np {}", tokens * sequences, sequences);
    }
    if (engine == "ollama") {
        return fmt::format("PARAMETER num_ctx {}", tokens);
    }
    if (engine == "vllm") {
        return fmt::format("--max-model-len {}", tokens);
    }
    if (engine == "mlx-lm") {
        return fmt::format("--max-kv-size {}", tokens);
    }
    return fmt::format("a context of {} tokens", count_text(tokens));
}

namespace {

void add_fragmentation_risk(const RiskInputs& in, std::vector<Risk>& out) {
    const std::optional<TightestMargin> tight = tightest_margin(in.chosen);
    if (!tight) {
        return;
    }
    const DeviceMemory& d = *tight->device;
    Risk risk;
    risk.id = "R2-memory-headroom";
    if (d.margin_bytes < 0) {
        risk.title = fmt::format("Does not fit {}: {} needed against {} usable, short by {}",
                                 device_label(d), breakdown_text(d), bytes_text(d.usable_bytes),
                                 bytes_text(static_cast<std::uint64_t>(-d.margin_bytes)));
    } else {
        risk.title = fmt::format(
            "Out of memory under fragmentation on {}: margin {} is {} of the {} usable ({})",
            device_label(d), bytes_text(static_cast<std::uint64_t>(d.margin_bytes)),
            percent_text(tight->fraction), bytes_text(d.usable_bytes), breakdown_text(d));
    }
    // Allocators fragment and drivers grow their own buffers over a long run; below 10% of
    // usable a plan that fits on paper fails in practice (edgeplan thresholds, sections.hpp).
    risk.likelihood = tight->fraction < risk_margin_high_fraction     ? "high"
                      : tight->fraction < risk_margin_medium_fraction ? "medium"
                                                                      : "low";
    risk.impact = "high";
    const double target = risk_margin_medium_fraction * static_cast<double>(d.usable_bytes);
    const double need = target - static_cast<double>(d.margin_bytes);
    if (need <= 0) {
        // R3 and R4 follow when the plan has a KV cache to grow; Whisper has no R3 (its
        // decoder window is fixed) and an encoder neither.
        const int follow = !kv_headroom(in.chosen)                         ? 0
                           : in.chosen.speed.transcript_tokens_per_s ? 1
                                                                        : 2;
        risk.mitigation = fmt::format(
            "None needed: the margin is above the {} edgeplan keeps free; re-check after "
            "raising context or concurrency{}.",
            percent_text(risk_margin_medium_fraction),
            follow == 2 ? " (see the next two risks)" : follow == 1 ? " (see the next risk)" : "");
        out.push_back(std::move(risk));
        return;
    }
    std::vector<std::string> options;
    const int context = in.chosen.settings.context_tokens;
    const int sequences = sequence_count(in.chosen);
    if (d.kv_cache_bytes > 0 && context > 0) {
        const double per_token = static_cast<double>(d.kv_cache_bytes) / context;
        const long long shorter = static_cast<long long>(std::floor(context - need / per_token));
        if (shorter >= in.request.prompt_tokens + in.request.output_tokens) {
            options.push_back(fmt::format("lower the context from {} to {} tokens per sequence "
                                          "({})",
                                          count_text(context), count_text(shorter),
                                          context_setting(in.chosen, shorter)));
        }
    }
    if (std::optional<KvSwitch> kv = smaller_kv_type(in.chosen, in.catalog);
        kv && d.kv_cache_bytes > 0) {
        const auto freed = static_cast<std::uint64_t>(d.kv_cache_bytes * (1.0 - kv->ratio));
        options.push_back(fmt::format("quantize the KV cache with {} (x{:.2f} bytes: frees {})",
                                      kv->setting, kv->ratio, bytes_text(freed)));
    }
    if (sequences > 1 && d.kv_cache_bytes > 0) {
        options.push_back(fmt::format("serve {} sequence{} instead of {} (frees {})", sequences - 1,
                                      sequences - 1 == 1 ? "" : "s", sequences,
                                      bytes_text(d.kv_cache_bytes / sequences)));
    }
    options.push_back(fmt::format("pick a lower-bit quantization than {} (weights take {} here)",
                                  in.chosen.quantization, bytes_text(d.weights_bytes)));
    risk.mitigation = fmt::format(
        "Free {} to restore a {} margin: {}.", bytes_text(static_cast<std::uint64_t>(need)),
        percent_text(risk_margin_medium_fraction), join(options, "; or "));
    out.push_back(std::move(risk));
}

void add_context_risk(const RiskInputs& in, const KvHeadroom& h, std::vector<Risk>& out) {
    const DeviceMemory& d = *h.device;
    Risk risk;
    risk.id = "R3-memory-context";
    risk.title =
        fmt::format("Longer context: the KV cache grows {} per extra 1,000 tokens per sequence ({} "
                    "sequence{}); past {} tokens per sequence {} runs out (planned {}, margin {})",
                    bytes_text(static_cast<std::uint64_t>(h.bytes_per_1k_tokens())), h.sequences,
                    h.sequences == 1 ? "" : "s", count_text(h.max_context_tokens), d.device,
                    count_text(h.context_tokens), signed_bytes_text(d.margin_bytes));
    risk.likelihood =
        stretch_likelihood(static_cast<double>(h.max_context_tokens) / h.context_tokens);
    const bool grows = kv_grows_per_request(in.chosen);
    risk.impact = grows ? "high" : "medium";
    std::string mitigation;
    if (grows) {
        mitigation = fmt::format("Cap the cache with {} so a long prompt rotates out old "
                                 "tokens instead of exhausting memory",
                                 context_setting(in.chosen, h.context_tokens));
    } else {
        mitigation = fmt::format("Keep {}: the engine sizes the cache at start and rejects "
                                 "longer prompts instead of overflowing",
                                 context_setting(in.chosen, h.context_tokens));
    }
    if (std::optional<KvSwitch> kv = smaller_kv_type(in.chosen, in.catalog)) {
        // With a cache of ratio x the bytes, the freed bytes join the margin.
        const double per_token = h.bytes_per_token * kv->ratio;
        const double margin = static_cast<double>(d.margin_bytes) +
                              static_cast<double>(d.kv_cache_bytes) * (1.0 - kv->ratio);
        const auto stretched = static_cast<long long>(
            std::floor(h.context_tokens + margin / (per_token * h.sequences)));
        mitigation += fmt::format("; for longer prompts, {} raises the limit to {} tokens",
                                  kv->setting, count_text(stretched));
    }
    risk.mitigation = mitigation + ".";
    out.push_back(std::move(risk));
}

std::string sequence_cap(const Candidate& chosen, long long sequences, double kv_bytes) {
    const std::string& engine = chosen.engine_id;
    if (engine == "llama.cpp" || engine == "llamafile") {
        return fmt::format("keep -np {}: requests beyond the slots wait in the queue", sequences);
    }
    if (engine == "ollama") {
        return fmt::format("keep OLLAMA_NUM_PARALLEL={}: further requests queue (up to "
                           "OLLAMA_MAX_QUEUE)",
                           sequences);
    }
    if (engine == "vllm") {
        return fmt::format("set --max-num-seqs {} so the scheduler queues the rest", sequences);
    }
    if (engine == "mlx-lm") {
        return fmt::format("set --decode-concurrency {} and --max-active-kv-bytes {} to bound "
                           "the batch",
                           sequences, static_cast<long long>(kv_bytes));
    }
    if (engine == "whisper.cpp") {
        return fmt::format("keep --processors {}: whisper-server transcribes one request at a "
                           "time and further requests wait",
                           sequences);
    }
    return fmt::format("limit concurrent requests to {} in front of the server", sequences);
}

void add_users_risk(const RiskInputs& in, const KvHeadroom& h, std::vector<Risk>& out) {
    const DeviceMemory& d = *h.device;
    Risk risk;
    risk.id = "R4-memory-users";
    // whisper.cpp holds one state per --processors (self and cross-attention caches plus
    // buffers), not one sequence per user: say what actually multiplies.
    const bool speech = in.chosen.speed.transcript_tokens_per_s.has_value();
    const std::string what =
        speech ? fmt::format("More parallel transcription: each extra whisper state "
                             "(--processors) with its {}-token decoder cache",
                             count_text(h.context_tokens))
               : fmt::format("More users: each extra concurrent sequence of {} tokens",
                             count_text(h.context_tokens));
    risk.title =
        fmt::format("{} adds {} of KV cache on {}; at most {} fit (planned {}, requested "
                    "concurrency {})",
                    what, bytes_text(static_cast<std::uint64_t>(h.bytes_per_sequence())),
                    d.device, h.max_sequences, h.sequences, in.request.concurrency);
    const double ratio = static_cast<double>(h.max_sequences) / h.sequences;
    risk.likelihood = in.request.concurrency > h.max_sequences ? "high" : stretch_likelihood(ratio);
    risk.impact = kv_grows_per_request(in.chosen) ? "high" : "medium";
    const long long cap = std::min<long long>(h.sequences, h.max_sequences);
    risk.mitigation =
        fmt::format("{} (at most {} fit).",
                    sequence_cap(in.chosen, cap, h.bytes_per_sequence() * cap), h.max_sequences);
    risk.mitigation[0] =
        static_cast<char>(std::toupper(static_cast<unsigned char>(risk.mitigation[0])));
    out.push_back(std::move(risk));
}

} // namespace

void add_memory_risks(const RiskInputs& in, std::vector<Risk>& out) {
    add_fragmentation_risk(in, out);
    if (std::optional<KvHeadroom> h = kv_headroom(in.chosen)) {
        // Whisper's decoder window is fixed by the model (n_text_ctx, 448 tokens) and a
        // transcript is cut into 30 s windows, so no request can ask for a longer context.
        if (!in.chosen.speed.transcript_tokens_per_s) {
            add_context_risk(in, *h, out);
        }
        add_users_risk(in, *h, out);
    }
}

} // namespace edgeplan::planner_detail
