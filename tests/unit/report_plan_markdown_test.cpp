// The seven-section plan report in Markdown, rendered from hand-built plans.

#include "report_plan_fixtures.hpp"

#include <edgeplan/report/plan_report.hpp>

#include <sstream>

using namespace edgeplan;
using namespace report_fixtures;

namespace {

std::vector<std::string> level2_headings(const std::string& markdown) {
    std::vector<std::string> out;
    std::istringstream lines(markdown);
    std::string line;
    bool in_fence = false;
    while (std::getline(lines, line)) {
        if (line.rfind("```", 0) == 0 || line.rfind("   ```", 0) == 0) {
            in_fence = !in_fence;
        }
        if (!in_fence && line.rfind("## ", 0) == 0) {
            out.push_back(line);
        }
    }
    return out;
}

} // namespace

TEST_CASE("plan markdown: exactly the seven sections, in order, after a title and a verdict",
          "[report][plan]") {
    for (const auto& [name, plan] : all_plans()) {
        INFO(name);
        const std::string md = render_plan_markdown(plan, catalog());
        CHECK(md.rfind("# edgeplan deployment plan\n\n**Verdict: ", 0) == 0);
        const std::vector<std::string> expected = {
            "## 1. Hardware Audit",    "## 2. Model Recommendation",   "## 3. Stack Architecture",
            "## 4. Deployment Config", "## 5. Performance Projection", "## 6. Risk Register",
            "## 7. Verification Steps"};
        CHECK(level2_headings(md) == expected);
    }
}

TEST_CASE("plan markdown: the verdict says APPROVED or NOT APPROVED with the reason",
          "[report][plan]") {
    const std::string ok = render_plan_markdown(gpu_llama_plan(), catalog());
    CHECK(ok.find("**Verdict: APPROVED: llama-3.1-8b-instruct Q4_K_M on llama.cpp CUDA") !=
          std::string::npos);
    const std::string no = render_plan_markdown(not_approved_plan(), catalog());
    CHECK(no.find("**Verdict: NOT APPROVED: llama-3.3-70b-instruct needs 39.9 GiB") !=
          std::string::npos);
}

TEST_CASE("plan markdown: every figure of the projection appears in section 5", "[report][plan]") {
    const std::string s5 = section_text(render_plan_markdown(gpu_llama_plan(), catalog()), 5);
    // Hand-formatted: tok/s with one decimal below 100 and none above, ms with one decimal
    // below 100, GiB with one decimal.
    for (const char* figure :
         {"| 143 tok/s |", "| 121 tok/s |", "| 6350 tok/s |", "| 85.4 ms |", "| 7.0 ms |",
          "131 tok/s (92% of peak)", "2.46 J/token", "512-token context", "full 8192-token context",
          "| 4.6 GiB | 1.1 GiB | 0.3 GiB | 0.3 GiB | 6.3 GiB | 22.5 GiB | 16.2 GiB | yes |",
          "gpu0: 4.6 GiB + 1.1 GiB + 0.3 GiB + 0.3 GiB = 6.3 GiB against 22.5 GiB usable, margin "
          "16.2 GiB.",
          "| system: 64 GiB DDR5 | 0.5 GiB | 0.0 GiB |", "| 1 | 143 | 143 | 7.0 ms | 85.4 ms |",
          "| 2 | 268 | 134 | 7.5 ms | 171 ms |", "at most 14 sequences of 8192 tokens",
          "Target: >= 20.0 tok/s per stream with 2 concurrent: met (134 tok/s at 2).",
          "<= 500 ms"}) {
        INFO(figure);
        CHECK(s5.find(figure) != std::string::npos);
    }
}

TEST_CASE("plan markdown: unknown figures say why", "[report][plan]") {
    const std::string s5 = section_text(render_plan_markdown(cpu_plan(), catalog()), 5);
    CHECK(s5.find("| Energy | unknown (no power model for this desktop) |") != std::string::npos);
    CHECK(s5.find("| TPOT | unknown (no power model for this desktop) |") != std::string::npos);
}

TEST_CASE("plan markdown: section 2 names model, variant, artifact, numbers, runner-ups and trace",
          "[report][plan]") {
    const std::string s2 = section_text(render_plan_markdown(gpu_llama_plan(), catalog()), 2);
    for (const char* text :
         {"**Llama 3.1 8B Instruct** (`llama-3.1-8b-instruct`), quantized **Q4_K_M**",
          "`bartowski/Meta-Llama-3.1-8B-Instruct-GGUF`, file "
          "`Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf`",
          "61.2/100 (MMLU-Pro 48.3 x Q4_K_M retention 0.99)",
          "gpu0 6.3 GiB of 22.5 GiB usable (margin 16.2 GiB)",
          "134 tok/s per stream with 2 concurrent; target >= 20.0 tok/s per stream: met",
          "6350 tok/s; TTFT 85.4 ms for a 512-token prompt, 171 ms for the last of 2 arriving at once; "
          "target <= 500 ms: met",
          "| `qwen2.5-7b-instruct` | Q4_K_M | llama.cpp (llama-server) | yes |",
          "Q1-quality: 58.9 < 61.2",
          "| F2-headroom | chose | llama-3.1-8b-instruct | fits with 16.3 GiB margin on gpu0 |"}) {
        INFO(text);
        CHECK(s2.find(text) != std::string::npos);
    }
}

TEST_CASE("plan markdown: a plan where nothing fits flags it and lists the alternatives",
          "[report][plan]") {
    const std::string md = render_plan_markdown(not_approved_plan(), catalog());
    const std::string s2 = section_text(md, 2);
    CHECK(s2.find("FLAG: nothing fits") != std::string::npos);
    CHECK(s2.find("| smaller model: 70B -> 3B | `llama-3.2-3b-instruct` | Q4_K_M | llama.cpp "
                  "(llama-server) | "
                  "2.3 GiB | yes | 4.8 |") != std::string::npos);
    CHECK(s2.find("| SSD offload at IQ1_S |") != std::string::npos);
    CHECK(section_text(md, 4).find("No deployment: nothing fits") != std::string::npos);
    CHECK(section_text(md, 5).find("No projection") != std::string::npos);
}

TEST_CASE("plan markdown: the stack diagram names serving address, engine version and backend",
          "[report][plan]") {
    const std::string s3 = section_text(render_plan_markdown(gpu_llama_plan(), catalog()), 3);
    CHECK(s3.find("listens on 127.0.0.1:8080") != std::string::npos);
    CHECK(s3.find("version checked: master@00dc8057") != std::string::npos);
    CHECK(s3.find("Backend: CUDA") != std::string::npos);
    CHECK(s3.find("OpenAI-compatible HTTP requests") != std::string::npos);
    const std::string cpu3 = section_text(render_plan_markdown(cpu_plan(), catalog()), 3);
    CHECK(cpu3.find("Backend: CPU (AVX2 path)") != std::string::npos);
}

TEST_CASE("plan markdown: a hybrid note shows in section 3 only when data may leave",
          "[report][plan]") {
    const std::string online = render_plan_markdown(gpu_llama_plan(), catalog());
    CHECK(section_text(online, 3).find("### 3.1 Hybrid cloud-edge") != std::string::npos);
    CHECK(section_text(online, 3).find("Cloud endpoint") != std::string::npos);
    CHECK(section_text(online, 4).find("### 4.1 Security at rest") != std::string::npos);
    CHECK(section_text(online, 4).find("### 4.2 Lifecycle") != std::string::npos);

    const std::string offline = render_plan_markdown(ollama_plan(), catalog());
    CHECK(offline.find("Cloud endpoint") == std::string::npos);
    CHECK(offline.find("api.example.com") == std::string::npos);
    CHECK(offline.find("hybrid cloud-edge note was withheld") != std::string::npos);
}

TEST_CASE("plan markdown: section 4 has an explicit port for every engine", "[report][plan]") {
    CHECK(section_text(render_plan_markdown(gpu_llama_plan(), catalog()), 4).find("--port 8080") !=
          std::string::npos);
    CHECK(section_text(render_plan_markdown(ollama_plan(), catalog()), 4)
              .find("OLLAMA_HOST=127.0.0.1:11500") != std::string::npos);
    CHECK(section_text(render_plan_markdown(vllm_plan(), catalog()), 4).find("--port 8001") !=
          std::string::npos);
    CHECK(section_text(render_plan_markdown(mlx_plan(), catalog()), 4).find("--port 8081") !=
          std::string::npos);
    CHECK(section_text(render_plan_markdown(cpu_plan(), catalog()), 4).find("--port 8090") !=
          std::string::npos);
}

TEST_CASE("plan markdown: risks and verification steps come from the plan", "[report][plan]") {
    const std::string md = render_plan_markdown(gpu_llama_plan(), catalog());
    CHECK(section_text(md, 6).find(
              "| R1 | Context grows past the planned 8192 tokens | medium | high |") !=
          std::string::npos);
    const std::string s7 = section_text(md, 7);
    CHECK(s7.find("1. Benchmark decode and prefill") != std::string::npos);
    CHECK(s7.find("llama-bench -m model.gguf -p 512 -n 128") != std::string::npos);
    CHECK(s7.find("Expect: tg128 about 142.6 tok/s") != std::string::npos);
    CHECK(s7.find("2. Chat round trip") != std::string::npos);
}
