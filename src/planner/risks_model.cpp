// Risk register: what the model and engine choice cost: quantization accuracy loss, from the
// catalogue's measured KL divergence, and engine maturity, from the catalogue's record.
#include "risks.hpp"

#include "kv_headroom.hpp"
#include "section_text.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace edgeplan::planner_detail {

namespace {

// KL divergence against FP16 logits (llama.cpp perplexity table, Llama-3-8B, as recorded in
// data/quantizations/gguf_presets.json). Q8_0/Q6_K/Q5_K_M sit under 0.02 and are taken as
// indistinguishable in use; Q3_K_M and below pass 0.1, where answers visibly degrade.
// edgeplan's thresholds.
constexpr double kld_low = 0.02;
constexpr double kld_medium = 0.10;
// Without a measurement: 6+ bits per weight is near-lossless, under 4 loses measurably.
constexpr double bpw_low = 6.0;
constexpr double bpw_medium = 4.0;

struct QuantFacts {
    std::optional<double> kld;
    std::optional<double> ppl_delta;
    std::optional<double> reference_bpw; ///< the catalogue's bits/weight (reference model)
    bool is_float = false;
};

std::optional<double> number_at(const nlohmann::json& object, const char* key) {
    if (object.is_object() && object.contains(key) && object[key].is_number()) {
        return object[key].get<double>();
    }
    return std::nullopt;
}

std::optional<double> preset_bpw(const GgufPreset& preset) {
    if (preset.computed_llama3_8b) {
        return preset.computed_llama3_8b->bits_per_weight;
    }
    if (preset.quoted_bpw_llama3_8b) {
        return preset.quoted_bpw_llama3_8b;
    }
    return preset.nominal_bpw;
}

QuantFacts facts_of(const QuantizationRef& ref) {
    QuantFacts facts;
    if (ref.preset != nullptr) {
        const nlohmann::json quality = ref.preset->document.value("quality", nlohmann::json());
        facts.kld = number_at(quality, "kld_llama3_8b");
        facts.ppl_delta = number_at(quality, "ppl_delta_llama3_8b");
        facts.reference_bpw = preset_bpw(*ref.preset);
        const std::string& base = ref.preset->base_type;
        facts.is_float = base == "f32" || base == "f16" || base == "bf16";
    } else if (ref.format != nullptr) {
        const nlohmann::json quality = ref.format->document.value("quality", nlohmann::json());
        facts.kld = number_at(quality, "kld_llama3_8b");
        facts.ppl_delta = number_at(quality, "ppl_delta_llama3_8b");
        facts.reference_bpw = ref.format->bits_per_weight;
        facts.is_float = ref.format->weight_format == "float";
    }
    return facts;
}

std::string kld_level(double kld) {
    return kld < kld_low ? "low" : kld < kld_medium ? "medium" : "high";
}

bool engine_accepts(const Engine* engine, const std::string& id, const GgufPreset& preset) {
    if (engine == nullptr || engine->quantizations.empty()) {
        return true;
    }
    auto listed = [&](const std::string& name) {
        return std::find(engine->quantizations.begin(), engine->quantizations.end(), name) !=
               engine->quantizations.end();
    };
    return listed(id) || std::any_of(preset.aliases.begin(), preset.aliases.end(), listed);
}

// The smallest measured preset one level better than the plan's: the cheapest step up.
const GgufPreset* better_preset(const RiskInputs& in, double current_kld) {
    const double target = current_kld < kld_medium ? kld_low : kld_medium;
    const GgufPreset* best = nullptr;
    for (const GgufPreset& preset : in.catalog.gguf_presets) {
        const QuantFacts facts = facts_of(QuantizationRef{&preset, nullptr});
        if (!facts.kld || *facts.kld >= target || !facts.reference_bpw ||
            !engine_accepts(in.engine, preset.id, preset) || preset.requires_imatrix) {
            continue;
        }
        if (best == nullptr || *facts.reference_bpw < *preset_bpw(*best)) {
            best = &preset;
        }
    }
    return best;
}

std::string step_up_text(const RiskInputs& in, const std::string& id, double new_bpw,
                         double current_bpw, const std::string& quality) {
    const std::uint64_t weights = weights_total_bytes(in.chosen);
    const auto grown = static_cast<std::uint64_t>(weights * (new_bpw / current_bpw));
    const std::int64_t extra =
        static_cast<std::int64_t>(grown) - static_cast<std::int64_t>(weights);
    std::int64_t margin = 0;
    for (const DeviceMemory& d : in.chosen.memory) {
        if (d.device != "disk") {
            margin += d.margin_bytes;
        }
    }
    return fmt::format("use {} ({:.2f} bits/weight{}): weights about {} ({}{} against a margin "
                       "of {}: {})",
                       id, new_bpw, quality, bytes_text(grown), extra >= 0 ? "+" : "",
                       signed_bytes_text(extra), signed_bytes_text(margin),
                       extra < margin ? "fits, leaving " + signed_bytes_text(margin - extra)
                                      : std::string("does not fit; needs a smaller context first"));
}

} // namespace

void add_quantization_risk(const RiskInputs& in, std::vector<Risk>& out) {
    const QuantizationRef ref = in.catalog.find_quantization(in.chosen.quantization);
    const QuantFacts facts = facts_of(ref);
    std::optional<double> bpw = facts.reference_bpw;
    // Bytes and elements of the same tensor list, so the ratio is the file's own bits per
    // weight; the catalogue's parameter count only where the route has no tensor list.
    const std::uint64_t elements = in.chosen.weights_file_parameters > 0
                                       ? in.chosen.weights_file_parameters
                                       : in.chosen.parameters;
    if (elements > 0 && weights_total_bytes(in.chosen) > 0) {
        bpw = 8.0 * static_cast<double>(weights_total_bytes(in.chosen)) /
              static_cast<double>(elements);
    }
    const std::string bpw_text =
        bpw ? fmt::format("{:.2f} bits/weight", *bpw) : std::string("bits/weight unknown");
    Risk risk;
    risk.id = "R5-quantization";
    risk.impact = high_fidelity_task(in.request.task) ? "high" : "medium";
    if (facts.is_float) {
        risk.title = fmt::format("Quantization accuracy loss: none, {} is the unquantized "
                                 "reference ({})",
                                 in.chosen.quantization, bpw_text);
        risk.likelihood = "low";
        risk.mitigation = "None needed.";
        out.push_back(std::move(risk));
        return;
    }
    if (facts.kld) {
        risk.title = fmt::format(
            "Quantization accuracy loss with {} ({} on this model): KL divergence {:.4f} and "
            "perplexity {:+.4f} against FP16, measured on Llama-3-8B (llama.cpp perplexity "
            "table in the catalogue)",
            in.chosen.quantization, bpw_text, *facts.kld, facts.ppl_delta.value_or(0.0));
        if (in.chosen.speed.transcript_tokens_per_s) {
            // The only measured figure is an LLM's; say so rather than imply a WER figure.
            risk.title += "; for Whisper this LLM figure stands in: the catalogue has no "
                          "word-error-rate change at this quantization";
        }
        risk.likelihood = kld_level(*facts.kld);
    } else {
        risk.title = fmt::format("Quantization accuracy loss with {} ({}): no measurement in "
                                 "the catalogue",
                                 in.chosen.quantization, bpw_text);
        risk.likelihood = !bpw                 ? "medium"
                          : *bpw >= bpw_low    ? "low"
                          : *bpw >= bpw_medium ? "medium"
                                               : "high";
    }
    std::string step;
    if (facts.kld && risk.likelihood != "low" && facts.reference_bpw) {
        if (const GgufPreset* better = better_preset(in, *facts.kld)) {
            const QuantFacts b = facts_of(QuantizationRef{better, nullptr});
            step = step_up_text(in, better->id, *b.reference_bpw, *facts.reference_bpw,
                                fmt::format(", KL divergence {:.4f}", *b.kld));
        }
    } else if (ref.format != nullptr && risk.likelihood != "low" && facts.reference_bpw) {
        const WeightFormat* better = nullptr;
        for (const WeightFormat& f : in.catalog.weight_formats) {
            if (f.family == ref.format->family && f.weight_bits && ref.format->weight_bits &&
                *f.weight_bits > *ref.format->weight_bits && f.bits_per_weight &&
                (better == nullptr || *f.weight_bits < *better->weight_bits)) {
                better = &f;
            }
        }
        if (better != nullptr) {
            step = step_up_text(in, better->id, *better->bits_per_weight, *facts.reference_bpw, "");
        }
    }
    const bool speech = in.chosen.speed.transcript_tokens_per_s.has_value();
    if (risk.likelihood == "low") {
        risk.mitigation = speech ? "None needed at this level; transcribe 20 of your own "
                                   "recordings with a higher-bit variant too and compare the "
                                   "word error rate before relying on exact wording."
                                 : "None needed at this level; compare 20 answers on your own "
                                   "prompts with a higher-bit variant before relying on exact "
                                   "wording.";
    } else if (!step.empty()) {
        risk.mitigation = fmt::format("Evaluate on your own task first; if {} degrade, {}.",
                                      speech ? "transcripts" : "answers", step);
    } else {
        risk.mitigation = "Evaluate on your own task against a higher-bit variant; the "
                          "catalogue has no measured step up for this format.";
    }
    out.push_back(std::move(risk));
}

void add_engine_risk(const RiskInputs& in, std::vector<Risk>& out) {
    Risk risk;
    risk.id = "R6-engine-maturity";
    risk.impact = "medium";
    if (in.engine == nullptr) {
        risk.title = fmt::format("Engine maturity: {} is not in the catalogue; maturity and "
                                 "checked version unknown",
                                 in.chosen.engine_id);
        risk.likelihood = "medium";
        risk.mitigation = "Pin the version you test and re-run the verification steps "
                          "(section 7) after every upgrade.";
        out.push_back(std::move(risk));
        return;
    }
    const Engine& e = *in.engine;
    risk.title = fmt::format("Engine maturity: {} is \"{}\" in the catalogue; its flags were "
                             "checked against {}",
                             e.name, e.maturity, e.version_checked);
    risk.likelihood = e.maturity == "stable" ? "low" : e.maturity == "beta" ? "medium" : "high";
    risk.mitigation = fmt::format("Pin {} to the checked version ({}) and re-run the "
                                  "verification steps (section 7) after every upgrade",
                                  e.name, short_version(e));
    if (e.maturity != "stable" && e.id != "llama.cpp") {
        risk.mitigation += "; keep a llama.cpp (stable) configuration of the same model as a "
                           "fallback";
    }
    risk.mitigation += ".";
    out.push_back(std::move(risk));
}

} // namespace edgeplan::planner_detail
