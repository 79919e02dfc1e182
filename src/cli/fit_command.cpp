// `edgeplan fit --model ID | --model-spec FILE [settings] [hardware]`: argv, the spec file
// and the catalogue in, the report out; "did you mean" hints for ids. Exit 10 when the
// report says nothing fits.
#include "fit_command.hpp"

#include "catalog_command.hpp"
#include "file_io.hpp"
#include "hardware_options.hpp"
#include "model_file.hpp"

#include <edgeplan/catalog/catalog.hpp>
#include <edgeplan/catalog/model_spec.hpp>
#include <edgeplan/estimate/fit.hpp>
#include <edgeplan/estimate/weights.hpp>
#include <edgeplan/report/fit_report.hpp>

#include <algorithm>
#include <memory>

namespace edgeplan::cli {

namespace {

struct FitOptions {
    HardwareOptions hardware;
    std::string model;
    std::string model_spec;
    std::string model_file;
    std::string quant;
    std::string engine;
    std::optional<int> context;
    std::string kv_type;
    int concurrency = 1;
    int prompt_tokens = 512;
    std::string flash_attn = "auto";
    std::string format = "md";
    CLI::Option* model_option = nullptr;
    CLI::Option* spec_option = nullptr;
    CLI::Option* file_option = nullptr;
};

std::vector<std::string> quantization_ids(const Catalog& catalog) {
    std::vector<std::string> ids;
    for (const auto& p : catalog.gguf_presets) {
        ids.push_back(p.id);
    }
    for (const auto& f : catalog.weight_formats) {
        ids.push_back(f.id);
        ids.insert(ids.end(), f.aliases.begin(), f.aliases.end());
    }
    return ids;
}

/// The hint for an error the estimate returned about one flag.
std::string hint_for(const Error& error, const FitOptions& o, const Catalog& catalog,
                     const FitRequest& request) {
    if (error.where == "--quant") {
        return did_you_mean(o.quant, quantization_ids(catalog),
                            "run 'edgeplan catalog list quantizations' to see every id");
    }
    if (error.where == "--kv-type") {
        const Engine* engine =
            catalog.find_engine(fit_engine_id(request.engine.value_or(FitEngine::llama_cpp)));
        const std::vector<std::string> types =
            engine != nullptr ? engine->kv_cache_types : std::vector<std::string>{};
        std::string all;
        for (const auto& t : types) {
            all += (all.empty() ? "" : ", ") + t;
        }
        if (std::find(types.begin(), types.end(), o.kv_type) != types.end()) {
            return {}; // a known type in the wrong setting: the message says why
        }
        return did_you_mean(o.kv_type, types, "the engine takes: " + all);
    }
    return {};
}

/// The model: a catalogue id or a spec file (exactly one of them).
std::optional<Model> spec_model(const FitOptions& o, CommandOutcome& outcome) {
    auto text = read_user_file(o.model_spec);
    if (!text) {
        outcome.fail(text.error());
        return std::nullopt;
    }
    auto model = read_model_spec(*text, o.model_spec);
    if (!model) {
        outcome.fail(model.error(), "a model spec is one entry in the catalogue's model format "
                                    "(data/schema/model.schema.json)");
        return std::nullopt;
    }
    return std::move(*model);
}

void run_fit(const CLI::App& command, const FitOptions& o, CommandOutcome& outcome) {
    if (o.model.empty() && o.model_spec.empty() && o.model_file.empty()) {
        outcome.fail(make_error(ExitCode::usage, "fit",
                                "--model, --model-spec or --model-file is required"),
                     "run 'edgeplan catalog list models' to see the catalogue's models");
        return;
    }
    auto catalog = load_catalog_for(command, outcome);
    if (!catalog) {
        return;
    }
    FitRequest request;
    std::optional<Model> spec;
    if (!o.model_file.empty()) {
        // The file as it is stored: its architecture, tensors and path; its general.file_type
        // names the quantization (another --quant is a what-if sized by the preset rules).
        auto file = model_from_gguf_file(o.model_file, *catalog);
        if (!file) {
            outcome.fail(file.error());
            return;
        }
        spec = std::move(*file);
        request.model = &*spec;
        if (o.quant.empty()) {
            request.quantization = spec->gguf_file->quantization;
        }
    } else if (!o.model_spec.empty()) {
        spec = spec_model(o, outcome);
        if (!spec) {
            return;
        }
        request.model = &*spec;
    } else {
        request.model = catalog->find_model(o.model);
        if (request.model == nullptr) {
            std::vector<std::string> ids;
            for (const auto& m : catalog->models) {
                ids.push_back(m.id);
            }
            outcome.fail(make_error(ExitCode::usage, "--model", "unknown model '" + o.model + "'"),
                         did_you_mean(o.model, ids, "run 'edgeplan catalog list models'"));
            return;
        }
    }
    if (!o.engine.empty()) {
        request.engine = parse_fit_engine(o.engine);
        if (!request.engine) {
            const bool known = catalog->find_engine(o.engine) != nullptr;
            std::vector<std::string> ids;
            for (const auto& m : engine_models()) {
                ids.emplace_back(m.id);
            }
            outcome.fail(make_error(ExitCode::usage, "--engine",
                                    known ? "fit models " + modelled_engine_list() + ", not '" +
                                                o.engine + "'"
                                          : "unknown engine '" + o.engine + "'"),
                         did_you_mean(o.engine, ids, "fit models " + modelled_engine_list()));
            return;
        }
    }
    if (!o.quant.empty() || o.model_file.empty()) {
        request.quantization = o.quant;
    }
    request.context_tokens = o.context;
    request.kv_type = o.kv_type;
    request.concurrency = o.concurrency;
    request.prompt_tokens = o.prompt_tokens;
    request.flash_attention = o.flash_attn == "on"    ? FlashAttentionChoice::on
                              : o.flash_attn == "off" ? FlashAttentionChoice::off
                                                      : FlashAttentionChoice::automatic;
    std::string hint;
    auto profile = acquire_hardware(o.hardware, command, LiveBandwidth::when_needed, hint, &*catalog);
    if (!profile) {
        outcome.fail(profile.error(), hint);
        return;
    }
    auto report = fit_model(request, *profile, *catalog);
    if (!report) {
        outcome.fail(report.error(), hint_for(report.error(), o, *catalog, request));
        return;
    }
    outcome.stdout_text = o.format == "json" ? fit_to_json(*report, *profile).dump(2) + "\n"
                                             : render_fit_markdown(*report, *profile);
    if (report->result.verdict == FitVerdict::does_not_fit) {
        outcome.success_code = ExitCode::does_not_fit;
    }
}

} // namespace

void set_fit_command(CLI::App& app, CommandOutcome& outcome) {
    auto o = std::make_shared<FitOptions>();
    auto* fit = app.add_subcommand(
        "fit", "Will a model run on this hardware, how fast, and what fits if it does not");
    fit->fallthrough(); // --catalog (a global option) may follow the subcommand
    o->model_option = fit->add_option("--model", o->model, "Catalogue model id");
    o->spec_option = fit->add_option(
        "--model-spec", o->model_spec,
        "A model described in the catalogue's model-entry format (JSON), instead of --model");
    o->model_option->excludes(o->spec_option);
    o->file_option = fit->add_option(
        "--model-file", o->model_file,
        "A GGUF file, planned as it is stored: its architecture, tensor types and path (only the "
        "header is read), instead of --model");
    o->file_option->excludes(o->model_option)->excludes(o->spec_option);
    fit->add_option("--quant", o->quant,
                    "GGUF preset or weight format (default: the model's most common GGUF "
                    "artifact, else Q4_K_M; bf16 for vllm, mlx-4bit for mlx-lm)");
    fit->add_option("--engine", o->engine,
                    "llama.cpp (default), vllm, mlx-lm, ollama, llamafile, lm-studio or "
                    "tensorrt-llm");
    fit->add_option("--context", o->context,
                    "Context per sequence in tokens (default: min(model maximum, 8192))");
    fit->add_option("--kv-type", o->kv_type,
                    "KV cache type as the engine spells it (llama.cpp f16/q8_0/q4_0, vllm "
                    "auto/fp8, mlx-lm 8/4)");
    fit->add_option("--concurrency", o->concurrency, "Sequences decoding together (default 1)");
    fit->add_option("--prompt-tokens", o->prompt_tokens,
                    "Prompt length for prefill and time to first token (default 512)");
    fit->add_option("--flash-attn", o->flash_attn, "auto (default), on or off")
        ->check(CLI::IsMember({"auto", "on", "off"}));
    fit->add_option("--format", o->format, "Output format: md (default) or json")
        ->check(CLI::IsMember({"md", "json"}));
    add_hardware_options(*fit, o->hardware);
    fit->callback([o, &outcome, fit] { run_fit(*fit, *o, outcome); });
}

} // namespace edgeplan::cli
