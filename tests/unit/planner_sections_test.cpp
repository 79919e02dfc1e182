// The planner's section writers, risks and verification (section 6 and 7), on hand-built
// candidates for five hardware classes (planner_sections_fixtures.hpp).
#include "planner_sections_fixtures.hpp"

using namespace sections_fixtures;

TEST_CASE("a plan with a 5% margin reports a high out-of-memory likelihood with its numbers",
          "[planner]") {
    Candidate c = llama_candidate();
    // 32,768 tokens: 4.58 GiB weights + 4 GiB KV + 0.5 GiB buffers = 9.08 GiB; usable 9.5 GiB.
    c.settings.context_tokens = 32768;
    c.memory = {device("gpu0", 4'920'000'000, 4 * gib, 0)};
    c.memory[0].usable_bytes = static_cast<std::uint64_t>(c.memory[0].total_bytes / 0.95);
    c.memory[0].margin_bytes = static_cast<std::int64_t>(c.memory[0].usable_bytes) -
                               static_cast<std::int64_t>(c.memory[0].total_bytes);
    const HardwareProfile p = with_os(preset("desktop-rtx-4090"), "Ubuntu 24.04");
    const std::vector<Risk> risks = plan_risks(PlanRequest{}, p, c, catalog());
    const std::optional<Risk> oom = find_risk(risks, "R2-memory-headroom");
    REQUIRE(oom);
    CHECK(oom->likelihood == "high");
    CHECK(oom->impact == "high");
    CHECK_THAT(oom->title, Catch::Contains("5.0%") && Catch::Contains("9.5 GiB usable") &&
                               Catch::Contains("KV 4 GiB"));
    // Concrete actions with their own figures: a shorter -c, a quantized KV cache.
    CHECK_THAT(oom->mitigation, Catch::Contains("-c ") && Catch::Contains("-ctk q8_0 -ctv q8_0") &&
                                    Catch::Contains("frees"));
}

TEST_CASE("a plan with a wide margin reports a low out-of-memory likelihood", "[planner]") {
    const Candidate c = llama_candidate(20 * gib);
    const std::vector<Risk> risks =
        plan_risks(PlanRequest{}, preset("desktop-rtx-4090"), c, catalog());
    const std::optional<Risk> oom = find_risk(risks, "R2-memory-headroom");
    REQUIRE(oom);
    CHECK(oom->likelihood == "low");
    CHECK_THAT(oom->mitigation, Catch::StartsWith("None needed"));
}

TEST_CASE("longer-context and more-users risks give KV growth and where it stops fitting",
          "[planner]") {
    Candidate c = llama_candidate();
    // 1 GiB of KV for 8192 tokens = 128 MiB per 1,000 tokens (131,072 bytes per token);
    // 2 GiB of margin holds 16,384 more tokens, or 2 more sequences of 8,192.
    c.memory = {device("gpu0", 4 * gib, 1 * gib, 0)};
    c.memory[0].usable_bytes = c.memory[0].total_bytes + 2 * gib;
    c.memory[0].margin_bytes = 2 * static_cast<std::int64_t>(gib);
    const std::vector<Risk> risks =
        plan_risks(PlanRequest{}, preset("desktop-rtx-4090"), c, catalog());
    const std::optional<Risk> context = find_risk(risks, "R3-memory-context");
    REQUIRE(context);
    CHECK_THAT(context->title, Catch::Contains("125 MiB per extra 1,000 tokens") &&
                                   Catch::Contains("past 24,576 tokens") &&
                                   Catch::Contains("planned 8,192"));
    CHECK(context->likelihood == "low"); // 3x the planned context fits
    CHECK_THAT(context->mitigation, Catch::Contains("-c 8192 -np 1"));
    const std::optional<Risk> users = find_risk(risks, "R4-memory-users");
    REQUIRE(users);
    CHECK_THAT(users->title, Catch::Contains("adds 1 GiB") && Catch::Contains("at most 3 fit"));

    PlanRequest busy;
    busy.concurrency = 4;
    const std::optional<Risk> crowded =
        find_risk(plan_risks(busy, preset("desktop-rtx-4090"), c, catalog()), "R4-memory-users");
    REQUIRE(crowded);
    CHECK(crowded->likelihood == "high");
}

TEST_CASE("a passively cooled Jetson plans on sustained, not peak, throughput", "[planner]") {
    HardwareProfile p = preset("jetson-orin-nano-super-8gb");
    p.power.cooling = Sourced<std::string>("passive", Source::user);
    p.power.thermal_zones = {{"cpu-thermal", 91.0, {{"passive", 97.0}}}};
    Candidate c = llama_candidate(7 * gib);
    c.speed.decode_tokens_per_s_short = 20.0;
    c.speed.sustained_tokens_per_s = 12.0;
    const std::optional<Risk> thermal =
        find_risk(plan_risks(PlanRequest{}, p, c, catalog()), "R1-thermal");
    REQUIRE(thermal);
    CHECK(thermal->likelihood == "high");
    CHECK_THAT(thermal->title, Catch::Contains("passive cooling") &&
                                   Catch::Contains("cpu-thermal at 91 degC") &&
                                   Catch::Contains("12.0 tok/s sustained (60.0% of peak)"));
    CHECK_THAT(thermal->mitigation, Catch::Contains("sustained 12.0 tok/s, not the peak 20.0"));
    // Jetson shares memory between CPU and GPU: tegrastats, not nvidia-smi, reads it.
    const std::vector<VerificationStep> steps = plan_verification(PlanRequest{}, p, c, catalog());
    CHECK(std::any_of(steps.begin(), steps.end(), [](const VerificationStep& s) {
        return s.command == "sudo tegrastats --interval 1000";
    }));
    CHECK(std::none_of(steps.begin(), steps.end(), [](const VerificationStep& s) {
        return s.command.find("nvidia-smi") != std::string::npos;
    }));
}

TEST_CASE("an Apple laptop on battery gets the power risk and macOS checks", "[planner]") {
    HardwareProfile p = preset("apple-m4-pro-20gpu");
    p.power.supply = Sourced<std::string>("battery", Source::user);
    p.power.battery_percent = Sourced<int>(15, Source::user);
    Candidate c = with_engine(llama_candidate(20 * gib), "mlx-lm", 8090);
    c.speed.joules_per_token = 0.5;
    const PlanRequest r;
    CHECK(device_platform(p, catalog()) == DevicePlatform::os_macos);
    const std::vector<Risk> risks = plan_risks(r, p, c, catalog());
    const std::optional<Risk> power = find_risk(risks, "R7-power");
    REQUIRE(power);
    CHECK(power->likelihood == "high");
    CHECK_THAT(power->title,
               Catch::Contains("on battery at 15%") && Catch::Contains("0.50 J/token, 128 J"));
    const std::optional<Risk> engine = find_risk(risks, "R6-engine-maturity");
    REQUIRE(engine);
    CHECK(engine->likelihood == "medium"); // mlx-lm is "beta" in the catalogue

    const std::vector<VerificationStep> steps = plan_verification(r, p, c, catalog());
    auto has_command = [&](const std::string& text) {
        return std::any_of(steps.begin(), steps.end(), [&](const VerificationStep& s) {
            return s.command.find(text) != std::string::npos;
        });
    };
    CHECK(has_command("mlx_lm.generate --model mlx-community/Meta-Llama-3.1-8B-Instruct-4bit"));
    CHECK(has_command("--port 8090"));
    CHECK(has_command("sudo powermetrics --samplers gpu_power"));
    const auto power_step = std::find_if(steps.begin(), steps.end(), [](const auto& s) {
        return s.command.find("powermetrics") != std::string::npos;
    });
    REQUIRE(power_step != steps.end());
    CHECK_THAT(power_step->expect, Catch::Contains("about 63 W (0.50 J/token x 126 tok/s)"));
}

TEST_CASE("quantization risk carries the catalogue's measurement and a measured step up",
          "[planner]") {
    PlanRequest code;
    code.task = "code";
    const std::optional<Risk> quant = find_risk(
        plan_risks(code, preset("desktop-rtx-4090"), llama_candidate(20 * gib), catalog()),
        "R5-quantization");
    REQUIRE(quant);
    CHECK(quant->likelihood == "medium");
    CHECK(quant->impact == "high"); // code is a high-fidelity task
    CHECK_THAT(quant->title,
               Catch::Contains("KL divergence 0.0313") && Catch::Contains("4.90 bits/weight"));
    CHECK_THAT(quant->mitigation, Catch::Contains("use Q5_K_S") && Catch::Contains("fits"));

    const Candidate mlx = with_engine(llama_candidate(20 * gib), "mlx-lm", 8080);
    const std::optional<Risk> unmeasured = find_risk(
        plan_risks(PlanRequest{}, preset("apple-m4-pro-20gpu"), mlx, catalog()), "R5-quantization");
    REQUIRE(unmeasured);
    CHECK_THAT(unmeasured->title, Catch::Contains("no measurement"));
}

TEST_CASE("port and telemetry risks come from the catalogue's engines", "[planner]") {
    const HardwareProfile p = with_os(preset("desktop-rtx-4090"), "Debian GNU/Linux 12");
    Candidate llama = llama_candidate(20 * gib);
    llama.settings.port = 8080;
    const std::optional<Risk> port =
        find_risk(plan_risks(PlanRequest{}, p, llama, catalog()), "R10-port");
    REQUIRE(port);
    CHECK(port->likelihood == "medium");
    CHECK_THAT(port->title, Catch::Contains("MLX") && Catch::Contains("9931"));
    CHECK_THAT(port->mitigation, Catch::Contains("ss -ltn 'sport = :8080'"));

    const Candidate ollama = with_engine(llama_candidate(20 * gib), "ollama", 11434);
    const std::vector<Risk> risks = plan_risks(offline_request(), p, ollama, catalog());
    const std::optional<Risk> ollama_port = find_risk(risks, "R10-port");
    REQUIRE(ollama_port);
    CHECK_THAT(ollama_port->title, Catch::Contains("apfel"));
    const std::optional<Risk> telemetry = find_risk(risks, "R11-telemetry");
    REQUIRE(telemetry);
    CHECK(telemetry->impact == "high");
    CHECK_THAT(telemetry->mitigation, Catch::Contains("OLLAMA_NO_CLOUD=1"));
}

TEST_CASE("llama.cpp verification uses the plan's port and only catalogue-verified flags",
          "[planner]") {
    const HardwareProfile p = with_os(preset("desktop-rtx-4090"), "Ubuntu 24.04");
    const Candidate c = llama_candidate(20 * gib);
    const std::vector<VerificationStep> steps = plan_verification(PlanRequest{}, p, c, catalog());
    REQUIRE(steps.size() >= 5);
    const Engine* engine = catalog().find_engine("llama.cpp");
    REQUIRE(engine);
    for (const VerificationStep& step : steps) {
        for (const std::string tool : {"llama-bench", "llama-server"}) {
            if (step.command.rfind(tool + " ", 0) != 0) {
                continue;
            }
            const std::vector<std::string>& verified = engine->flags.at(tool);
            for (const std::string& flag : flags_of(step.command)) {
                INFO(tool << " " << flag);
                CHECK(std::find(verified.begin(), verified.end(), flag) != verified.end());
            }
        }
        if (step.command.find("http://") != std::string::npos) {
            CHECK_THAT(step.command, Catch::Contains("http://127.0.0.1:8181/"));
        }
    }
    CHECK_THAT(steps[0].command,
               Catch::Equals("llama-bench -m Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf -p 512 -n "
                             "128 -ngl 33 -fa on"));
    CHECK_THAT(steps[0].expect, Catch::Contains("decode 126 tok/s projected; investigate below "
                                                "101 tok/s"));
    CHECK_THAT(steps[1].command, Catch::Contains("--port 8181") && Catch::Contains("-c 8192"));
    const auto memory = std::find_if(steps.begin(), steps.end(), [](const auto& s) {
        return s.command.rfind("nvidia-smi --query-gpu=index,memory.used", 0) == 0;
    });
    REQUIRE(memory != steps.end());
    CHECK_THAT(memory->expect, Catch::Contains("gpu0: about 6,216 MiB"));
}

TEST_CASE("vLLM, Ollama and generic engines are verified at the plan's port and load",
          "[planner]") {
    const HardwareProfile p = with_os(preset("desktop-rtx-4090"), "Ubuntu 24.04");
    PlanRequest r;
    r.concurrency = 4;
    auto commands = [&](const Candidate& c) {
        std::string all;
        for (const VerificationStep& s : plan_verification(r, p, c, catalog())) {
            all += s.command + "\n" + s.expect + "\n";
        }
        return all;
    };
    const std::string vllm = commands(with_engine(llama_candidate(20 * gib), "vllm", 8001));
    CHECK_THAT(vllm, Catch::Contains("vllm bench serve --model "
                                     "bartowski/Meta-Llama-3.1-8B-Instruct-GGUF --host 127.0.0.1 "
                                     "--port 8001") &&
                         Catch::Contains("--max-concurrency 4") &&
                         Catch::Contains("Output token throughput about 380 tok/s at 4") &&
                         Catch::Contains("gpu-memory-utilization 0.90"));
    const std::string ollama = commands(with_engine(llama_candidate(20 * gib), "ollama", 11500));
    CHECK_THAT(ollama, Catch::Contains("OLLAMA_HOST=127.0.0.1:11500 ollama run llama3.1:8b") &&
                           Catch::Contains("--verbose") &&
                           Catch::Contains("OLLAMA_HOST=127.0.0.1:11500 ollama ps") &&
                           Catch::Contains("PROCESSOR 100% GPU"));
    const std::string lms = commands(with_engine(llama_candidate(20 * gib), "lm-studio", 1300));
    CHECK_THAT(lms, Catch::Contains("http://127.0.0.1:1300/v1/chat/completions"));
}

TEST_CASE("a CPU-only Linux VM checks resident memory in /proc", "[planner]") {
    HardwareProfile p = with_os(preset("desktop-ddr5-5600-2ch"), "Debian GNU/Linux 12 (bookworm)");
    p.system.virtualization = Sourced<std::string>("kvm", Source::user);
    Candidate c = llama_candidate();
    c.memory = {device("system", 4'920'000'000, 1 * gib, 24 * gib)};
    c.settings.backend = "cpu";
    c.settings.gpu_layers = 0;
    const std::vector<VerificationStep> steps = plan_verification(PlanRequest{}, p, c, catalog());
    CHECK_THAT(steps[0].command, Catch::Contains("-ngl 0"));
    CHECK_THAT(steps.back().command,
               Catch::Equals("grep VmRSS /proc/$(pgrep -n -f llama-server)/status"));
    CHECK_THAT(steps.back().expect, Catch::Contains("kB"));
}

TEST_CASE("device platform comes from the OS name, else from the hardware", "[planner]") {
    CHECK(device_platform(with_os(HardwareProfile{}, "macOS 15.1"), catalog()) ==
          DevicePlatform::os_macos);
    CHECK(device_platform(with_os(HardwareProfile{}, "Raspberry Pi OS (Debian)"), catalog()) ==
          DevicePlatform::os_linux);
    CHECK(device_platform(with_os(HardwareProfile{}, "Windows 11 on Arm"), catalog()) ==
          DevicePlatform::os_windows);
    CHECK(device_platform(preset("apple-a18-pro"), catalog()) == DevicePlatform::os_ios);
    CHECK(device_platform(preset("apple-m1-8gpu"), catalog()) == DevicePlatform::os_macos);
    CHECK(device_platform(preset("desktop-rtx-4090"), catalog()) == DevicePlatform::unknown);
}

TEST_CASE("section writers are deterministic and fill a plan only when something was chosen",
          "[planner]") {
    Plan plan;
    plan.request = offline_request();
    plan.request.background = true;
    plan.hardware = preset("jetson-orin-nano-super-8gb");
    write_plan_sections(plan, catalog());
    CHECK(plan.risks.empty());
    CHECK(plan.notes.empty());
    plan.chosen = llama_candidate(7 * gib);
    write_plan_sections(plan, catalog());
    const Plan first = plan;
    write_plan_sections(plan, catalog());
    REQUIRE_FALSE(plan.risks.empty());
    REQUIRE_FALSE(plan.verification.empty());
    CHECK(plan.risks.size() == first.risks.size());
    CHECK(all_strings(plan.request, plan.hardware, *plan.chosen) ==
          all_strings(first.request, first.hardware, *first.chosen));
    for (const Risk& risk : plan.risks) {
        INFO(risk.id);
        CHECK(
            (risk.likelihood == "low" || risk.likelihood == "medium" || risk.likelihood == "high"));
        CHECK_FALSE(risk.mitigation.empty());
    }
}
