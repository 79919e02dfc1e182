// Verification steps, section 7: the commands that prove the plan on the real machine, each
// with the projected figure it should reproduce. Engine commands per
// ../shared/reference/engines-and-models.md (sections 2.1, 2.7-2.9); flags go through
// CommandLine, which keeps only those the catalogue verified for a tool it lists.
#include "verification.hpp"

#include "section_text.hpp"

#include <edgeplan/core/embedding_serving.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace edgeplan::planner_detail {

namespace {

bool float_kv(const std::string& type) {
    return type.empty() || type == "f16" || type == "auto";
}

/// The same embedding switches as the deployment files (config_llama_cpp.cpp): /v1/embeddings
/// on, the model card's pooling, and one micro-batch holding a whole input.
void add_embedding_server_options(const VerifyInputs& in, CommandLine& server) {
    const DeploymentSettings& s = in.chosen.settings;
    const int batch = llama_cpp_embedding_batch(s.context_tokens, s.ubatch_tokens);
    server.option("-b", std::to_string(std::max(batch, s.batch_tokens)))
        .option("-ub", std::to_string(batch))
        .flag("--embeddings");
    if (const Model* model = in.catalog.find_model(in.chosen.model_id)) {
        if (std::optional<std::string> pooling = llama_cpp_pooling(*model)) {
            server.option("--pooling", *pooling);
        }
    }
}

/// One OpenAI-style embedding request; the vector is as wide as the model's hidden state
/// (pooling reduces the tokens, not the width).
VerificationStep embedding_request_step(const VerifyInputs& in) {
    const nlohmann::json body = {{"model", in.chosen.model_id},
                                 {"input", "A lighthouse keeper watches the night sea."}};
    std::string expect = "HTTP 200 with data[0].embedding";
    const Model* model = in.catalog.find_model(in.chosen.model_id);
    if (model != nullptr && model->architecture.hidden_size) {
        expect += fmt::format(", a vector of {} numbers", *model->architecture.hidden_size);
    }
    expect += ", and usage.prompt_tokens counting the input";
    return {"Request an embedding from /v1/embeddings",
            fmt::format("curl -s {}/v1/embeddings -H 'Content-Type: application/json' -d {}",
                        base_url(in), shell_word(body.dump())),
            expect};
}

void llama_cpp_steps(const VerifyInputs& in, std::vector<VerificationStep>& out) {
    const DeploymentSettings& s = in.chosen.settings;
    const SpeedProjection& speed = in.chosen.speed;
    const std::string file =
        s.local_file.value_or(s.artifact_file.value_or(in.chosen.model_id + ".gguf"));
    const int slots = sequence_count(in.chosen);

    const bool embedding = in.request.task == "embedding";
    CommandLine bench(in.engine, "llama-bench", "llama-bench");
    bench.option("-m", file)
        .option("-p", std::to_string(in.request.prompt_tokens))
        .option("-n", std::to_string(embedding ? 0 : verify_output_tokens))
        .option("-ngl", std::to_string(s.gpu_layers))
        .option("-fa", s.flash_attention ? "on" : "off");
    if (!float_kv(s.kv_cache_type)) {
        bench.option("-ctk", s.kv_cache_type).option("-ctv", s.kv_cache_type);
    }
    if (s.cpu_moe_layers > 0) {
        bench.option("-ncmoe", std::to_string(s.cpu_moe_layers));
    }
    const std::string prefill_expect = fmt::format(
        "pp{}: {}", in.request.prompt_tokens,
        expect_rate("prefill", speed.prefill_tokens_per_s, verify_prefill_tolerance, speed));
    if (embedding) {
        // An embedder generates nothing: prefill is its whole speed.
        out.push_back({"Benchmark prefill (the embedding speed) with the plan's offload and "
                       "attention settings",
                       bench.text(), prefill_expect});
    } else {
        out.push_back(
            {"Benchmark prefill and decode with the plan's offload and attention settings",
             bench.text(),
             fmt::format("{}. tg{}: {}", prefill_expect, verify_output_tokens,
                         expect_rate("decode", speed.decode_tokens_per_s_short,
                                     verify_decode_tolerance, speed))});
    }

    CommandLine server(in.engine, "llama-server", "llama-server");
    server.option("-m", file)
        .option("--host", s.host)
        .option("--port", std::to_string(in.port))
        .option("-c", std::to_string(static_cast<long long>(s.context_tokens) * slots))
        .option("-np", std::to_string(slots))
        .option("-ngl", std::to_string(s.gpu_layers))
        .option("-fa", s.flash_attention ? "on" : "off");
    if (!float_kv(s.kv_cache_type)) {
        server.option("-ctk", s.kv_cache_type).option("-ctv", s.kv_cache_type);
    }
    if (s.cpu_moe_layers > 0) {
        server.option("-ncmoe", std::to_string(s.cpu_moe_layers));
    }
    if (embedding) {
        add_embedding_server_options(in, server);
    }
    out.push_back({"Start the server on the plan's port", server.text(),
                   fmt::format("the log reports {}/{} layers offloaded to the GPU and the "
                               "server listening on {}:{}",
                               s.gpu_layers, s.total_layers, s.host, in.port)});
    out.push_back({"Check the server answers", fmt::format("curl -sf {}/health", base_url(in)),
                   "HTTP 200 with {\"status\":\"ok\"} once the model is loaded (503 while "
                   "loading)"});

    if (embedding) {
        out.push_back(embedding_request_step(in));
        return;
    }
    nlohmann::json body = {
        {"messages",
         {{{"role", "user"}, {"content", "Write a 200-word story about a lighthouse keeper."}}}},
        {"max_tokens", verify_output_tokens}};
    out.push_back(
        {"Send a chat request and read llama-server's own timings",
         fmt::format("curl -s {}/v1/chat/completions -H 'Content-Type: "
                     "application/json' -d {}",
                     base_url(in), shell_word(body.dump())),
         "timings.predicted_per_second: " + expect_rate("decode", speed.decode_tokens_per_s_short,
                                                        verify_decode_tolerance, speed)});
}

std::string processor_split(const Candidate& chosen) {
    std::uint64_t gpu = 0;
    const std::uint64_t total = chosen.resident_bytes();
    for (const DeviceMemory& d : chosen.memory) {
        if (d.device.rfind("gpu", 0) == 0) {
            gpu += d.total_bytes;
        }
    }
    if (total == 0) {
        return "unknown split";
    }
    const long long gpu_percent = std::llround(100.0 * gpu / total);
    if (gpu_percent >= 100) {
        return "100% GPU";
    }
    if (gpu_percent <= 0) {
        return "100% CPU";
    }
    return fmt::format("{}%/{}% CPU/GPU", 100 - gpu_percent, gpu_percent);
}

/// An embedding model cannot `ollama run`: check the server, one /api/embed request (truncate
/// off, so an over-long input fails instead of shrinking) and where the model sits.
void ollama_embedding_steps(const VerifyInputs& in, const std::string& env,
                            std::vector<VerificationStep>& out) {
    const std::string tag = in.chosen.settings.ollama_tag.value_or(in.chosen.model_id);
    const nlohmann::json body = {{"model", tag},
                                 {"input", "A lighthouse keeper watches the night sea."},
                                 {"truncate", false}};
    out.push_back({"Check the server answers", fmt::format("curl -sf {}/api/version", base_url(in)),
                   "HTTP 200 with a JSON version"});
    out.push_back({"Request an embedding from /api/embed",
                   fmt::format("curl -s {}/api/embed -d {}", base_url(in), shell_word(body.dump())),
                   "HTTP 200 with embeddings[0], one vector, and prompt_eval_count counting the "
                   "input"});
    out.push_back({"Check where the model is loaded", env + " ollama ps",
                   fmt::format("PROCESSOR {} and SIZE about {}", processor_split(in.chosen),
                               bytes_text(in.chosen.resident_bytes()))});
}

void ollama_steps(const VerifyInputs& in, std::vector<VerificationStep>& out) {
    const SpeedProjection& speed = in.chosen.speed;
    const std::string tag = in.chosen.settings.ollama_tag.value_or(in.chosen.model_id);
    const std::string env = fmt::format("OLLAMA_HOST={}:{}", in.host, in.port);
    if (in.request.task == "embedding") {
        ollama_embedding_steps(in, env, out);
        return;
    }
    CommandLine run(in.engine, "ollama run", "ollama run");
    run.word(tag).word("Write a 200-word story about a lighthouse keeper.").flag("--verbose");
    out.push_back({"Generate once and read Ollama's timing summary", env + " " + run.text(),
                   fmt::format("eval rate: {}; prompt eval rate: below the projected {} (this "
                               "prompt is short)",
                               expect_rate("decode", speed.decode_tokens_per_s_short,
                                           verify_decode_tolerance, speed),
                               speed.prefill_tokens_per_s ? rate_text(*speed.prefill_tokens_per_s)
                                                          : std::string("prefill (unknown)"))});
    out.push_back({"Check where the model is loaded", env + " ollama ps",
                   fmt::format("PROCESSOR {} and SIZE about {}", processor_split(in.chosen),
                               bytes_text(in.chosen.resident_bytes()))});
    out.push_back({"Check the server answers", fmt::format("curl -sf {}/api/version", base_url(in)),
                   "HTTP 200 with a JSON version"});
    out.push_back(timed_chat_step(in, tag));
}

void vllm_steps(const VerifyInputs& in, std::vector<VerificationStep>& out) {
    const SpeedProjection& speed = in.chosen.speed;
    const std::string model = in.chosen.settings.artifact_repository.value_or(in.chosen.model_id);
    out.push_back({"Check the server answers", fmt::format("curl -sf {}/health", base_url(in)),
                   "HTTP 200 once the engine is ready"});
    const int concurrency = std::max(1, in.request.concurrency);
    // Ten prompts per concurrent stream, at least 50, so steady state dominates the averages.
    const int prompts = std::max(50, 10 * concurrency);
    CommandLine bench(in.engine, "vllm bench serve", "vllm bench serve");
    bench.option("--model", model)
        .option("--host", in.host)
        .option("--port", std::to_string(in.port))
        .option("--dataset-name", "random")
        .option("--random-input-len", std::to_string(in.request.prompt_tokens))
        .option("--random-output-len", std::to_string(in.request.output_tokens))
        .option("--max-concurrency", std::to_string(concurrency))
        .option("--num-prompts", std::to_string(prompts));
    const LoadPoint* point = nullptr;
    for (const LoadPoint& p : in.chosen.load) {
        if (p.streams <= concurrency && (point == nullptr || p.streams > point->streams)) {
            point = &p;
        }
    }
    std::string expect;
    if (point != nullptr) {
        expect = fmt::format(
            "Output token throughput about {} at {} concurrent (investigate "
            "below {}); Mean TPOT about {} (investigate above {})",
            rate_text(point->aggregate_tokens_per_s), point->streams,
            rate_text(point->aggregate_tokens_per_s * (1.0 - verify_decode_tolerance)),
            ms_text(point->tpot_ms), ms_text(point->tpot_ms * (1.0 + verify_decode_tolerance)));
    } else {
        expect = expect_rate("single-stream decode", speed.decode_tokens_per_s_short,
                             verify_decode_tolerance, speed);
    }
    out.push_back({fmt::format("Benchmark serving at the request's load ({} concurrent, {}-token "
                               "prompts, {}-token answers)",
                               concurrency, in.request.prompt_tokens, in.request.output_tokens),
                   bench.text(), expect + "; Mean " + expect_ttft(in)});
    out.push_back(timed_chat_step(in, model));
}

void mlx_steps(const VerifyInputs& in, std::vector<VerificationStep>& out) {
    const SpeedProjection& speed = in.chosen.speed;
    const std::string model = in.chosen.settings.artifact_repository.value_or(in.chosen.model_id);
    CommandLine generate(in.engine, "mlx_lm.generate", "mlx_lm.generate");
    generate.option("--model", model)
        .option("--prompt", "Write a 200-word story about a lighthouse keeper.")
        .option("--max-tokens", std::to_string(verify_output_tokens))
        .option("--verbose", "True");
    const double total_gb = static_cast<double>(in.chosen.resident_bytes()) / 1e9;
    out.push_back({"Generate once and read mlx-lm's timing summary", generate.text(),
                   fmt::format("Generation tokens-per-sec: {}; Peak memory about {:.2f} GB "
                               "(investigate above {:.2f} GB)",
                               expect_rate("decode", speed.decode_tokens_per_s_short,
                                           verify_decode_tolerance, speed),
                               total_gb, total_gb * (1.0 + verify_memory_tolerance))});
    CommandLine server(in.engine, "mlx_lm.server", "mlx_lm.server");
    server.option("--model", model)
        .option("--host", in.chosen.settings.host)
        .option("--port", std::to_string(in.port));
    out.push_back({"Start the server on the plan's port", server.text(),
                   fmt::format("the server listens on {}:{}", in.chosen.settings.host, in.port)});
    out.push_back(
        {"Check the server answers", fmt::format("curl -sf {}/health", base_url(in)), "HTTP 200"});
    out.push_back(timed_chat_step(in, model));
}

void generic_steps(const VerifyInputs& in, std::vector<VerificationStep>& out) {
    const bool http =
        in.engine != nullptr && in.engine->serving.interface.find("http") != std::string::npos;
    if (!http) {
        out.push_back({fmt::format("{} is a library with no server or command line in the "
                                   "catalogue: time {} generated tokens in the host app",
                                   engine_name(in.chosen, in.engine), verify_output_tokens),
                       "(none)",
                       expect_rate("decode", in.chosen.speed.decode_tokens_per_s_short,
                                   verify_decode_tolerance, in.chosen.speed)});
        return;
    }
    out.push_back({"Check the server answers and lists the model",
                   fmt::format("curl -sf {}/v1/models", base_url(in)),
                   fmt::format("HTTP 200 with {} in the list", model_reference(in.chosen))});
    out.push_back(timed_chat_step(in, model_reference(in.chosen)));
}

} // namespace

} // namespace edgeplan::planner_detail

namespace edgeplan {

std::vector<VerificationStep> plan_verification(const PlanRequest& request,
                                                const HardwareProfile& profile,
                                                const Candidate& chosen, const Catalog& catalog) {
    using namespace planner_detail;
    const VerifyInputs in{request,
                          profile,
                          chosen,
                          catalog,
                          find_chosen_engine(chosen, catalog),
                          device_platform(profile, catalog),
                          client_host(chosen.settings),
                          chosen.settings.port};
    std::vector<VerificationStep> steps;
    const std::string& id = chosen.engine_id;
    if (id == "llama.cpp") {
        llama_cpp_steps(in, steps);
    } else if (id == "ollama") {
        ollama_steps(in, steps);
    } else if (id == "vllm") {
        vllm_steps(in, steps);
    } else if (id == "mlx-lm") {
        mlx_steps(in, steps);
    } else if (id == "whisper.cpp") {
        whisper_cpp_steps(in, steps);
    } else if (id == "sherpa-onnx") {
        sherpa_onnx_tts_steps(in, steps); // brings its own memory step: the CLI exits
    } else {
        generic_steps(in, steps);
    }
    // mlx_lm.generate prints its own peak memory; everyone else gets the OS reading.
    if (id != "mlx-lm" && id != "sherpa-onnx") {
        if (std::optional<VerificationStep> memory = memory_step(in)) {
            steps.push_back(std::move(*memory));
        }
    }
    if (std::optional<VerificationStep> power = power_step(in)) {
        steps.push_back(std::move(*power));
    }
    return steps;
}

} // namespace edgeplan
