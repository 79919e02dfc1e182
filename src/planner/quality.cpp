// Q1: a model's task score from its published benchmarks, and how much of it a
// quantization keeps. Tables and their reasons: docs/planner.md ("Q1 quality").
#include "section_text.hpp"
#include "select_internal.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace edgeplan {

namespace {

using planner_detail::number_text;

/// A benchmark's floor (chance or a weak baseline) and ceiling (frontier models), so scores
/// of different benchmarks land on one 0..100 scale. Matched by substring, first match wins:
/// more specific names come first ("mmlu-pro" before "mmlu").
struct BenchmarkScale {
    const char* key;
    double floor;
    double ceiling;
};

constexpr BenchmarkScale benchmark_scales[] = {
    {"mmlu-pro", 10, 85},   // 10 choices: chance 10 %
    {"mmlu-redux", 25, 95}, // 4 choices, cleaned MMLU: frontier ~93
    {"mmlu", 25, 90},       // 4 choices: chance 25 %
    {"gpqa", 25, 90},       // 4 choices; 2026 frontier ~88 (an 80 ceiling clamped gpt-oss-120b)
    {"math", 0, 100},       // MATH / MATH-500: free answer
    {"aime", 0, 100},
    // HumanEval and MBPP are saturated: a 2023 generalist (GPT-3.5, HumanEval 48.1 in the GPT-4
    // technical report, arXiv 2303.08774) sits near half, small 2025 models near 85. A floor
    // of chance (0) would let a 7B scored only on them outrank models scored on LiveCodeBench
    // or SWE-bench; 45 measures distance above that generalist instead.
    {"humaneval", 45, 95},
    {"mbpp", 45, 90},  {"livecodebench", 0, 75},
    {"swe-bench", 0, 75},   {"codeforces", 800, 2700}, // Elo-style rating: 800 is the floor of the
                                                       // ladder, 2700 the open frontier (2026)
    {"ifeval", 20, 95},     {"bfcl", 0, 90},
    {"mmmu-pro", 10, 80}, // 10 choices: chance 10 %
    {"mmmu", 25, 80},     // mostly multiple choice
    {"tldr", 0, 30},                                                     // ROUGE-L
    // Word error rate, lower is better: 40 % is unusable, ~5 % the best English averages on
    // the ESB / Open ASR datasets (the floor sits above the ceiling; the formula holds).
    {" wer", 40, 5}, // the leading space keeps "answer" and "lower" out
};

std::optional<BenchmarkScale> scale_for(const QualityScore& q) {
    const std::string name = planner_detail::lower(q.benchmark);
    for (const auto& s : benchmark_scales) {
        if (name.find(s.key) != std::string::npos) {
            return s;
        }
    }
    if (q.scale == "percent") {
        return BenchmarkScale{"percent", 0, 100};
    }
    return std::nullopt; // an unknown rating or score: not comparable, left out
}

/// Published scores for the task, normalised; nullopt when there are none usable.
std::optional<TaskQuality> published_quality(const Model& model, std::string_view task) {
    double sum = 0;
    int count = 0;
    std::string basis;
    for (const auto& q : model.quality) {
        if (q.task != task) {
            continue;
        }
        const auto s = scale_for(q);
        if (!s) {
            continue;
        }
        const double n =
            100.0 * std::clamp((q.score - s->floor) / (s->ceiling - s->floor), 0.0, 1.0);
        sum += n;
        ++count;
        basis += (basis.empty() ? "" : ", ") + q.benchmark + " " + number_text(q.score) + " -> " +
                 number_text(n);
    }
    if (count == 0) {
        return std::nullopt;
    }
    TaskQuality tq;
    tq.score = sum / count;
    tq.basis = basis + (count > 1 ? "; mean " + number_text(tq.score) : "");
    return tq;
}

/// Points per doubling of effective parameters in the fallback (the Qwen2.5 0.5B..72B and
/// Llama 3.x 1B..405B instruct tables in the catalogue gain 6-12 normalised points per
/// doubling; 9 is their middle).
constexpr double fallback_points_per_doubling = 9.0;
/// Without a family anchor: 30 points at 1B effective parameters (Llama-3.2-1B and
/// Qwen2.5-1.5B score 29-33 on the chat scale above).
constexpr double fallback_points_at_1b = 30.0;
/// An estimate ranks below a measurement of the same size.
constexpr double fallback_discount = 0.9;

} // namespace

TaskQuality task_quality(const Model& model, std::string_view task, const Catalog& catalog) {
    if (auto published = published_quality(model, task)) {
        return *published;
    }
    TaskQuality tq;
    tq.estimated = true;
    const std::optional<double> params = planner_detail::effective_parameters(model);
    if (!params) {
        tq.score = 20.0;
        tq.basis = "estimated: no published score for " + std::string(task) +
                   " and no parameter count; floor of 20";
        return tq;
    }
    // Anchor: the scored model of the same family closest in size.
    const Model* anchor = nullptr;
    double anchor_score = 0;
    double best_distance = std::numeric_limits<double>::max();
    for (const auto& other : catalog.models) {
        if (&other == &model || other.family != model.family) {
            continue;
        }
        const auto other_params = planner_detail::effective_parameters(other);
        const auto q = published_quality(other, task);
        if (!other_params || !q) {
            continue;
        }
        const double distance = std::abs(std::log2(*other_params / *params));
        if (distance < best_distance ||
            (distance == best_distance && anchor != nullptr && other.id < anchor->id)) {
            best_distance = distance;
            anchor = &other;
            anchor_score = q->score;
        }
    }
    const double billions = *params / 1e9;
    double raw = 0;
    if (anchor != nullptr) {
        const double anchor_b = *planner_detail::effective_parameters(*anchor) / 1e9;
        raw = anchor_score + fallback_points_per_doubling * std::log2(billions / anchor_b);
        tq.basis = "estimated from parameters: " + anchor->id + " scores " +
                   number_text(anchor_score) + " at " + number_text(anchor_b) + "B, " +
                   number_text(fallback_points_per_doubling) + " points per doubling to " +
                   number_text(billions) + "B";
    } else {
        raw = fallback_points_at_1b + fallback_points_per_doubling * std::log2(billions);
        tq.basis = "estimated from parameters: " + number_text(fallback_points_at_1b) + " + " +
                   number_text(fallback_points_per_doubling) + " x log2(" + number_text(billions) +
                   "B)";
    }
    tq.score = std::clamp(raw, 5.0, 90.0) * fallback_discount;
    tq.basis += ", x" + number_text(fallback_discount) + " unmeasured = " + number_text(tq.score);
    return tq;
}

namespace {

/// Retention per unit of perplexity increase (Llama-3-8B, wikitext-2, PPL ~6.2 at F16):
/// Q4_K_M (+0.18) keeps 98.6 %, Q3_K_M (+0.66) 94.7 %, Q2_K (+3.5) 72 %.
constexpr double retention_per_ppl = 0.08;

/// Formats without a measured perplexity borrow a GGUF preset of the same bits and scheme.
struct Borrowed {
    const char* family_or_id;
    int bits;
    const char* preset;
};
constexpr Borrowed borrowed_presets[] = {
    {"mlx", 8, "Q8_0"},      {"mlx", 6, "Q6_K"},      {"mlx", 5, "Q5_1"},    {"mlx", 4, "Q4_1"},
    {"mlx", 3, "Q3_K_S"},    {"mlx", 2, "Q2_K"},      {"awq", 4, "Q4_K_S"},  {"gptq", 4, "Q4_K_S"},
    {"gptq", 8, "Q8_0"},     {"fp8", 8, "Q8_0"},      {"onnx", 4, "Q4_0"},   {"onnx", 8, "Q8_0"},
    {"openvino", 4, "Q4_0"}, {"openvino", 8, "Q8_0"}, {"coreml", 4, "Q4_0"}, {"coreml", 8, "Q8_0"},
    {"nvfp4", 4, "Q4_K_S"},  {"mxfp4", 4, "Q4_0"},
};

std::optional<double> preset_ppl_delta(const GgufPreset& preset) {
    const auto q = preset.document.find("quality");
    if (q == preset.document.end() || !q->is_object()) {
        return std::nullopt;
    }
    const auto d = q->find("ppl_delta_llama3_8b");
    if (d == q->end() || !d->is_number()) {
        return std::nullopt;
    }
    return d->get<double>();
}

} // namespace

QuantRetention quantization_retention(std::string_view quantization, const Catalog& catalog) {
    QuantRetention r;
    const QuantizationRef ref = catalog.find_quantization(quantization);
    auto from_preset = [&](const GgufPreset& preset, const std::string& prefix) {
        r.ppl_delta = preset_ppl_delta(preset);
        if (r.ppl_delta) {
            r.retention =
                std::clamp(1.0 - retention_per_ppl * std::max(0.0, *r.ppl_delta), 0.3, 1.0);
            r.basis = prefix + preset.id + ": +" + number_text(*r.ppl_delta) +
                      " ppl (Llama-3-8B) -> retention " + number_text(r.retention);
        }
    };
    if (ref.preset != nullptr) {
        const GgmlType* base = catalog.find_ggml_type(ref.preset->base_type);
        const double bits = base != nullptr ? base->bits_per_weight : 16.0;
        r.weight_bits = bits >= 15 ? 16 : static_cast<int>(std::floor(bits));
        from_preset(*ref.preset, "");
        if (!r.ppl_delta) {
            if (r.weight_bits >= 16) {
                r.basis = ref.preset->id + ": 16/32-bit float, retention 1";
            } else {
                // No measurement: assume the worst measured preset of the same bit width.
                r.retention = r.weight_bits >= 8 ? 0.99 : r.weight_bits >= 4 ? 0.96 : 0.7;
                r.basis = ref.preset->id + ": no measured ppl; " + std::to_string(r.weight_bits) +
                          "-bit default retention " + number_text(r.retention);
            }
        }
        return r;
    }
    if (ref.format == nullptr) {
        r.basis = "unknown quantization";
        r.retention = 0.9;
        return r;
    }
    const WeightFormat& f = *ref.format;
    r.weight_bits = f.weight_bits.value_or(16);
    if (f.family == "float" || r.weight_bits >= 16) {
        r.weight_bits = 16;
        r.basis = f.id + ": 16-bit float, retention 1";
        return r;
    }
    for (const auto& b : borrowed_presets) {
        if (f.family == b.family_or_id && r.weight_bits == b.bits) {
            if (const GgufPreset* p = catalog.find_gguf_preset(b.preset)) {
                from_preset(*p, f.id + " (no measurement; borrows ");
                if (r.ppl_delta) {
                    r.basis += ")";
                    return r;
                }
            }
        }
    }
    r.retention = r.weight_bits >= 8 ? 0.99 : r.weight_bits >= 4 ? 0.96 : 0.7;
    r.basis = f.id + ": no measured ppl; " + std::to_string(r.weight_bits) +
              "-bit default retention " + number_text(r.retention);
    return r;
}

} // namespace edgeplan
