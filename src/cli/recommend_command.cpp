// `edgeplan recommend --task T [request] [hardware]`: argv in, the seven-section plan out.
// Checks ranges and ids with "did you mean" hints; the rules live in src/planner. Exit 0 for
// an approved plan, 10 when nothing fits or the best option misses a required target (the
// report still prints, with the flag and the alternatives).
#include "recommend_command.hpp"

#include "catalog_command.hpp"
#include "hardware_options.hpp"
#include "model_file.hpp"

#include <edgeplan/catalog/catalog.hpp>
#include <edgeplan/estimate/fit.hpp>
#include <edgeplan/estimate/weights.hpp>
#include <edgeplan/planner/planner.hpp>
#include <edgeplan/cli/deployment_output.hpp>
#include <edgeplan/report/config_files.hpp>
#include <edgeplan/report/plan_report.hpp>

#include <memory>

namespace edgeplan::cli {

struct RecommendOptions {
    HardwareOptions hardware;
    std::string task = "chat";
    bool offline = false;
    std::string privacy = "standard";
    std::optional<int> context;
    int prompt_tokens = 512;
    int output_tokens = 256;
    int concurrency = 1;
    std::optional<double> min_tps;
    std::optional<double> max_ttft_ms;
    std::string power = "auto";
    std::string prefer = "balanced";
    std::string engine;
    std::string model;
    std::string quant;
    std::string model_file;
    bool allow_cloud_fallback = false;
    int top = 3;
    bool background = false;
    bool federated = false;
    std::vector<std::string> lora;
    std::string format = "md";
    std::string out;    ///< --out DIR: write the deployment files there
    bool force = false; ///< --force: replace an existing DIR
};

namespace {

std::string joined(const std::vector<std::string>& items) {
    std::string text;
    for (const auto& i : items) {
        text += (text.empty() ? "" : ", ") + i;
    }
    return text;
}

/// The hint for an error about one flag.
std::string hint_for(const Error& error, const RecommendOptions& o, const Catalog& catalog) {
    if (error.where == "--task") {
        const auto tasks = plannable_tasks(catalog);
        return did_you_mean(o.task, tasks, "tasks: " + joined(tasks));
    }
    if (error.where == "--model") {
        std::vector<std::string> ids;
        for (const auto& m : catalog.models) {
            ids.push_back(m.id);
        }
        return did_you_mean(o.model, ids, "run 'edgeplan catalog list models'");
    }
    if (error.where == "--engine") {
        std::vector<std::string> ids;
        for (const auto& e : catalog.engines) {
            ids.push_back(e.id);
        }
        if (catalog.find_engine(o.engine) != nullptr) {
            return "recommend plans " + modelled_engine_list() +
                   ", (speech-to-text) whisper.cpp, (text-to-speech) sherpa-onnx and NPU "
                   "runtimes with catalogue artifacts "
                   "(qualcomm-genie, onnxruntime-genai, openvino-genai)";
        }
        return did_you_mean(o.engine, ids, "run 'edgeplan catalog list engines'");
    }
    if (error.where == "--quant") {
        std::vector<std::string> ids;
        for (const auto& p : catalog.gguf_presets) {
            ids.push_back(p.id);
        }
        for (const auto& f : catalog.weight_formats) {
            ids.push_back(f.id);
            ids.insert(ids.end(), f.aliases.begin(), f.aliases.end());
        }
        return did_you_mean(o.quant, ids,
                            "run 'edgeplan catalog list quantizations' to see every id");
    }
    return {};
}

PlanRequest request_from(const RecommendOptions& o) {
    PlanRequest r;
    r.task = o.task;
    r.offline = o.offline;
    r.privacy = o.privacy == "airgap"   ? Privacy::airgap
                : o.privacy == "strict" ? Privacy::strict
                                        : Privacy::standard;
    r.context_tokens = o.context;
    r.prompt_tokens = o.prompt_tokens;
    r.output_tokens = o.output_tokens;
    r.concurrency = o.concurrency;
    r.min_tokens_per_s = o.min_tps;
    r.max_ttft_ms = o.max_ttft_ms;
    r.power = o.power == "ac"        ? PowerMode::ac
              : o.power == "battery" ? PowerMode::battery
                                     : PowerMode::automatic;
    r.prefer = o.prefer == "quality" ? Preference::quality
               : o.prefer == "speed" ? Preference::speed
                                     : Preference::balanced;
    if (!o.engine.empty()) {
        r.engine = o.engine;
    }
    if (!o.model.empty()) {
        r.model = o.model;
    }
    if (!o.quant.empty()) {
        r.quant = o.quant;
    }
    r.allow_cloud_fallback = o.allow_cloud_fallback;
    r.top = o.top;
    r.background = o.background;
    r.federated = o.federated;
    r.lora_adapters = o.lora;
    return r;
}

/// --model-file: the file's model joins the catalogue, pinned with its own quantization on
/// llama.cpp (the engine that loads a GGUF as it is), so the plan is for that exact file.
Status pin_model_file(const RecommendOptions& o, Catalog& catalog, PlanRequest& request) {
    if (!o.engine.empty() && o.engine != "llama.cpp") {
        return make_error(ExitCode::usage, "--engine",
                          "--model-file plans the GGUF file on llama.cpp, not '" + o.engine + "'");
    }
    auto model = model_from_gguf_file(o.model_file, catalog);
    if (!model) {
        return model.error();
    }
    if (model->gguf_file->quantization.empty()) {
        return make_error(ExitCode::bad_input, o.model_file,
                          "its general.file_type names no llama-quantize preset the catalogue "
                          "knows, so its quantization cannot be planned");
    }
    request.model = model->id;
    request.quant = model->gguf_file->quantization;
    request.engine = "llama.cpp";
    catalog.models.push_back(std::move(*model));
    return Done{};
}

} // namespace

std::optional<PlannedDeployment> plan_from_options(const CLI::App& command,
                                                   const RecommendOptions& o,
                                                   CommandOutcome& outcome) {
    auto catalog = load_catalog_for(command, outcome);
    if (!catalog) {
        return std::nullopt;
    }
    PlanRequest request = request_from(o);
    if (!o.model_file.empty()) {
        if (Status pinned = pin_model_file(o, *catalog, request); !pinned) {
            outcome.fail(pinned.error(), pinned.error().where == "--engine"
                                             ? "drop --engine, or plan a catalogue model with --model"
                                             : "");
            return std::nullopt;
        }
    }
    // Check the request before the (possibly slow) live audit.
    if (Status checked = check_plan_request(request, *catalog); !checked) {
        outcome.fail(checked.error(), hint_for(checked.error(), o, *catalog));
        return std::nullopt;
    }
    std::string hint;
    auto profile = acquire_hardware(o.hardware, command, LiveBandwidth::when_needed, hint, &*catalog);
    if (!profile) {
        outcome.fail(profile.error(), hint);
        return std::nullopt;
    }
    auto plan = plan_deployment(request, *profile, *catalog);
    if (!plan) {
        outcome.fail(plan.error(), hint_for(plan.error(), o, *catalog));
        return std::nullopt;
    }
    return PlannedDeployment{std::move(*catalog), std::move(*plan)};
}

namespace {

void run_recommend(const CLI::App& command, const RecommendOptions& o, CommandOutcome& outcome) {
    auto planned = plan_from_options(command, o, outcome);
    if (!planned) {
        return;
    }
    const Plan& plan = planned->plan;
    const Catalog& catalog = planned->catalog;
    // With --out the plan still goes to stdout (the files are in section 4 and in DIR).
    if (!o.out.empty() && !write_deployment_files(plan, catalog, o, outcome)) {
        return;
    }
    outcome.stdout_text = o.format == "json" ? render_plan_json(plan, catalog).dump(2) + "\n"
                                             : render_plan_markdown(plan, catalog);
    if (!plan.approved) {
        outcome.success_code = ExitCode::does_not_fit;
    }
}

} // namespace

bool write_deployment_files(const Plan& plan, const Catalog& catalog, const RecommendOptions& o,
                            CommandOutcome& outcome) {
    if (!plan.chosen) {
        outcome.fail(make_error(ExitCode::does_not_fit, "--out",
                                "nothing fits the request, so no deployment was written"),
                     "run without --out to read why, and the alternatives");
        return false;
    }
    const DeploymentConfig config = deployment_config(plan, catalog);
    std::vector<ConfigFile> files = config.files;
    files.push_back(deployment_readme(plan, config, catalog));
    auto written = write_deployment_folder(files, o.out,
                                           o.force ? Overwrite::replace : Overwrite::refuse,
                                           real_output_file_system());
    if (!written) {
        outcome.fail(written.error(), written.error().code == ExitCode::output_exists
                                          ? "add --force to replace it, or name a new folder"
                                          : "");
        return false;
    }
    outcome.files_written = std::move(*written);
    return true;
}

void add_output_options(CLI::App& cmd, RecommendOptions& o) {
    cmd.add_option("--out", o.out,
                   "Write the deployment files and a README.md to this new folder (atomic)");
    cmd.add_flag("--force", o.force, "With --out: replace the folder if it exists");
}

void set_recommend_command(CLI::App& app, CommandOutcome& outcome) {
    auto o = std::make_shared<RecommendOptions>();
    auto* cmd = app.add_subcommand(
        "recommend", "Plan a deployment: model, quantization, engine and settings for a task, "
                     "as a seven-section report");
    add_plan_options(*cmd, o);
    add_output_options(*cmd, *o);
    cmd->callback([o, &outcome, cmd] { run_recommend(*cmd, *o, outcome); });
}

void add_plan_options(CLI::App& command, const std::shared_ptr<RecommendOptions>& o) {
    auto* cmd = &command;
    cmd->fallthrough(); // --catalog (a global option) may follow the subcommand
    cmd->add_option("--task", o->task,
                    "chat (default), code, reasoning, vision, embedding, speech-to-text, "
                    "text-to-speech, summarization, tool-use (or agent)");
    cmd->add_flag("--offline", o->offline, "Must run with no network: no cloud route at all");
    cmd->add_option("--privacy", o->privacy, "standard (default), strict or airgap")
        ->check(CLI::IsMember({"standard", "strict", "airgap"}));
    cmd->add_option("--context", o->context,
                    "Context per sequence in tokens (default by task, clamped to the model)")
        ->check(CLI::Range(1, fit_context_limit));
    cmd->add_option("--prompt-tokens", o->prompt_tokens, "A typical prompt's tokens (default 512)")
        ->check(CLI::Range(1, fit_context_limit));
    cmd->add_option("--output-tokens", o->output_tokens, "A typical answer's tokens (default 256)")
        ->check(CLI::Range(1, fit_context_limit));
    cmd->add_option("--concurrency", o->concurrency, "Simultaneous requests to serve (default 1)")
        ->check(CLI::Range(1, fit_concurrency_limit));
    cmd->add_option("--min-tps", o->min_tps,
                    "Required decode tokens/s per stream at the concurrency (default: by task, "
                    "preferred only)")
        ->check(CLI::Range(0.001, 1e6));
    cmd->add_option("--max-ttft-ms", o->max_ttft_ms,
                    "Required time to first token in ms (default: by task, preferred only)")
        ->check(CLI::Range(0.001, 1e7));
    cmd->add_option("--power", o->power, "auto (default: the profile's supply), ac or battery")
        ->check(CLI::IsMember({"auto", "ac", "battery"}));
    cmd->add_option("--prefer", o->prefer, "quality, balanced (default) or speed")
        ->check(CLI::IsMember({"quality", "balanced", "speed"}));
    cmd->add_option("--engine", o->engine,
                    "Pin an engine: llama.cpp, vllm, mlx-lm, ollama, llamafile, lm-studio, "
                    "tensorrt-llm, or an NPU runtime with catalogue artifacts (qualcomm-genie, "
                    "onnxruntime-genai, openvino-genai)");
    auto* model = cmd->add_option("--model", o->model, "Pin a catalogue model id");
    auto* quant = cmd->add_option("--quant", o->quant,
                                  "Pin a quantization (GGUF preset or weight format id)");
    cmd->add_option("--model-file", o->model_file,
                    "Plan for a GGUF file you hold: its model and quantization as stored, on "
                    "llama.cpp (only the header is read)")
        ->excludes(model)
        ->excludes(quant);
    cmd->add_flag("--allow-cloud-fallback", o->allow_cloud_fallback,
                  "Describe a cloud fallback route (ignored with --offline or strict privacy)");
    cmd->add_option("--top", o->top, "Runner-ups shown (default 3, at most 20)")
        ->check(CLI::Range(0, 20));
    cmd->add_flag("--background", o->background,
                  "Batch work: schedule it for AC power or thermal-idle windows");
    cmd->add_flag("--federated", o->federated, "Describe a federated-learning loop");
    cmd->add_option("--lora", o->lora, "LoRA adapter to load (repeatable)");
    cmd->add_option("--format", o->format, "Output format: md (default) or json")
        ->check(CLI::IsMember({"md", "json"}));
    add_hardware_options(*cmd, o->hardware);
}

std::shared_ptr<RecommendOptions> new_plan_options() {
    return std::make_shared<RecommendOptions>();
}

const std::string& pinned_engine(const RecommendOptions& options) {
    return options.engine;
}

const std::string& output_format(const RecommendOptions& options) {
    return options.format;
}

const std::string& output_folder(const RecommendOptions& options) {
    return options.out;
}

} // namespace edgeplan::cli
