// Task defaults (context, speed targets), score weights and small shared helpers. Every
// number here is documented with its reason in docs/planner.md.
#include "select_internal.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace edgeplan {

ScoreWeights score_weights(Preference prefer) {
    // Quality carries most of the weight because the speed score saturates once the target
    // is met: past "fast enough", a better answer is worth more than a faster one.
    switch (prefer) {
    case Preference::quality:
        return {0.70, 0.15, 0.08, 0.04, 0.03};
    case Preference::speed:
        return {0.30, 0.55, 0.08, 0.04, 0.03};
    case Preference::balanced:
        break;
    }
    return {0.55, 0.30, 0.08, 0.04, 0.03};
}

TaskTargets default_task_targets(std::string_view task) {
    if (task == "code") {
        return {20, 3000,
                "code is read in blocks and edited by tools; 20 tok/s writes a 60-line function in "
                "about 30 s, and repository-sized prompts get 3 s to first token"};
    }
    if (task == "reasoning") {
        return {20, 3000,
                "reasoning models think for thousands of tokens before answering; below 20 tok/s a "
                "2000-token trace takes over 100 s"};
    }
    if (task == "tool-use") {
        return {15, 2000,
                "agents chain several calls per answer; 15 tok/s keeps a 3-call turn under a "
                "minute"};
    }
    if (task == "summarization") {
        return {10, 10000,
                "summaries are short outputs of long inputs: reading speed for the output, 10 s "
                "for a long document's prefill"};
    }
    if (task == "embedding") {
        return {500, 500,
                "embedding is prefill only: 500 tokens/s indexes a 1000-page corpus (~500k "
                "tokens) in under 20 minutes, and a query embeds in under 0.5 s"};
    }
    if (task == "speech-to-text") {
        return {20, 2000,
                "transcripts run about 3 tokens per second of speech; 20 tok/s keeps well ahead "
                "of real time"};
    }
    if (task == "text-to-speech") {
        return {2, 1000,
                "speech is played as it is made: synthesis must run at least 2x real time "
                "(real-time factor <= 0.5, the figure S1 compares) so a co-running LLM or the "
                "phonemizer cannot make playback stall, and the first sentence should sound "
                "within 1 s"};
    }
    if (task == "vision") {
        return {10, 3000,
                "like chat, plus the image encoder's prefill (hundreds of tokens per image)"};
    }
    return {10, 2000,
            "10 tok/s per stream is above reading speed (about 4-5 words, 6-7 tokens, per "
            "second) and a 2 s first token keeps a conversation responsive"};
}

int default_task_context(std::string_view task) {
    if (task == "code" || task == "reasoning" || task == "tool-use" || task == "summarization") {
        return 32768;
    }
    if (task == "speech-to-text" || task == "text-to-speech") {
        return 4096;
    }
    return 8192; // chat, vision, embedding
}

std::vector<std::string> plannable_tasks(const Catalog& catalog) {
    std::set<std::string> tasks{"agent"};
    for (const auto& m : catalog.models) {
        tasks.insert(m.tasks.begin(), m.tasks.end());
    }
    return {tasks.begin(), tasks.end()};
}

namespace planner_detail {

void fire(Plan& plan, std::string rule, std::string outcome, std::string subject,
          std::string detail) {
    plan.trace.push_back(
        {std::move(rule), std::move(outcome), std::move(subject), std::move(detail)});
}

Targets targets_for(const PlanRequest& request) {
    const TaskTargets d = default_task_targets(request.task);
    Targets t;
    // --min-tps counts tokens; a synthesiser's rate is seconds of audio per second, so for
    // text-to-speech the real-time target stands and --min-tps is not applied.
    const bool speech_out = request.task == "text-to-speech";
    t.tokens_per_s = speech_out ? d.tokens_per_s : request.min_tokens_per_s.value_or(d.tokens_per_s);
    t.ttft_ms = request.max_ttft_ms.value_or(d.ttft_ms);
    t.tokens_from_user = !speech_out && request.min_tokens_per_s.has_value();
    t.ttft_from_user = request.max_ttft_ms.has_value();
    return t;
}

std::optional<double> quantization_bits(const std::string& quantization, const Catalog& catalog) {
    const QuantizationRef ref = catalog.find_quantization(quantization);
    if (ref.preset != nullptr) {
        if (ref.preset->computed_llama3_8b) {
            return ref.preset->computed_llama3_8b->bits_per_weight;
        }
        return ref.preset->nominal_bpw;
    }
    if (ref.format != nullptr) {
        return ref.format->bits_per_weight;
    }
    return std::nullopt;
}

std::optional<double> effective_parameters(const Model& model) {
    if (!model.parameters_total) {
        return std::nullopt;
    }
    const double total = static_cast<double>(*model.parameters_total);
    if (model.parameters_active && *model.parameters_active < *model.parameters_total) {
        // A common rule of thumb for MoE quality: the geometric mean of total and active.
        return std::sqrt(total * static_cast<double>(*model.parameters_active));
    }
    return total;
}

} // namespace planner_detail

} // namespace edgeplan
