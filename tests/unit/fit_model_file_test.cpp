// --model-file on `fit` and `recommend`: the exact file is planned, its own tensor types
// sized (not the preset's rules), and its path is what the engine is told to load.
#include "cli/inspect_command.hpp"
#include "cli/model_file.hpp"

#include <edgeplan/catalog/catalog.hpp>
#include <edgeplan/cli/app.hpp>
#include <edgeplan/estimate/fit.hpp>
#include <edgeplan/estimate/weights.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <sstream>

using namespace edgeplan;

namespace {

const Catalog& catalog() {
    static const Catalog loaded = std::move(*load_catalog(CatalogSource::embedded()));
    return loaded;
}

std::string fixture(const std::string& name) {
    return std::string(EDGEPLAN_FIXTURES_DIR) + "/gguf/" + name;
}

const HardwareProfile& target(const std::string& id) {
    return catalog().find_target(id)->profile;
}

bool has_word(const std::vector<std::string>& words, const std::string& word) {
    return std::find(words.begin(), words.end(), word) != words.end();
}

} // namespace

TEST_CASE("fit --model-file sizes the weights the file stores, not the preset's rules",
          "[fit][model-file]") {
    // qwen3moe-mixed says Q8_0 (general.file_type 7) but stores its experts as q4_0: the
    // preset's rules would put them at q8_0.
    const std::string path = fixture("qwen3moe-mixed.gguf");
    auto header = cli::read_gguf_model_file(path, catalog());
    REQUIRE(header);
    auto model = cli::model_from_gguf_file(path, catalog());
    REQUIRE(model);
    REQUIRE(model->gguf_file);
    CHECK(model->gguf_file->quantization == "Q8_0");
    CHECK(model->gguf_file->path == path);

    FitRequest request;
    request.model = &*model;
    request.quantization = "Q8_0";
    auto file_fit = fit_model(request, target("amd-ryzen-ai-max-plus-395-128gb"), catalog());
    REQUIRE(file_fit);
    const FitEvaluation& e = file_fit->result;
    CHECK(e.settings.file == model->gguf_file.get());
    CHECK(e.memory.weight_bytes == header->file.tensor_bytes());
    CHECK(e.memory.weight_bytes == 74240);
    const auto m = std::find(e.memory.command.begin(), e.memory.command.end(), "-m " + path);
    CHECK(m != e.memory.command.end());

    // The same architecture without the file: the preset's estimate, which differs.
    Model bare = *model;
    bare.gguf_file.reset();
    request.model = &bare;
    auto preset_fit = fit_model(request, target("amd-ryzen-ai-max-plus-395-128gb"), catalog());
    REQUIRE(preset_fit);
    CHECK(preset_fit->result.settings.file == nullptr);
    CHECK(preset_fit->result.memory.weight_bytes > e.memory.weight_bytes);
}

TEST_CASE("fit --model-file with another --quant is a what-if sized by the preset",
          "[fit][model-file]") {
    auto model = cli::model_from_gguf_file(fixture("qwen2-q4_k_m.gguf"), catalog());
    REQUIRE(model);
    FitRequest request;
    request.model = &*model;
    request.quantization = "Q8_0"; // the file is Q4_K_M
    auto report = fit_model(request, target("desktop-rtx-4090"), catalog());
    REQUIRE(report);
    CHECK(report->result.settings.file == nullptr);
    CHECK_FALSE(has_word(report->result.memory.command, "-m " + model->gguf_file->path));
    std::uint64_t file_bytes = 0;
    for (const auto& t : model->gguf_file->tensors) {
        file_bytes += t.bytes;
    }
    CHECK(report->result.memory.weight_bytes > file_bytes); // 8.5 against ~4.9 bits
}

TEST_CASE("fit --model-file keeps per-layer bytes and routed experts from the file",
          "[fit][model-file]") {
    const std::string path = fixture("qwen3moe-mixed.gguf");
    auto header = cli::read_gguf_model_file(path, catalog());
    REQUIRE(header);
    auto model = cli::model_from_gguf_file(path, catalog());
    REQUIRE(model);
    const WeightLayout layout = layout_weights(model->gguf_file->tensors);
    REQUIRE(layout.layer_expert_bytes.size() == 2);
    // The routed experts (blk.0.ffn_*_exps, some stored q4_0) as the header lists them.
    std::uint64_t experts0 = 0;
    for (const auto& t : header->file.tensors) {
        if (t.name.rfind("blk.0.", 0) == 0 && t.name.find("_exps") != std::string::npos) {
            experts0 += t.bytes;
        }
    }
    CHECK(experts0 > 0);
    CHECK(layout.layer_expert_bytes[0] == experts0);
    CHECK(layout.total_bytes() == header->file.tensor_bytes());
    FitRequest request;
    request.model = &*model;
    request.quantization = "Q8_0";
    auto report = fit_model(request, target("desktop-rtx-4090"), catalog());
    REQUIRE(report);
    std::uint64_t placed = 0;
    for (const auto& use : report->result.memory.plan.devices) {
        placed += use.weights_bytes;
    }
    CHECK(placed >= layout.total_bytes());
}

TEST_CASE("recommend --model-file plans that file on llama.cpp and points at its path",
          "[recommend][model-file]") {
    const std::string path = fixture("qwen3moe-mixed.gguf");
    std::ostringstream out;
    std::ostringstream err;
    const int code = run_edgeplan({"recommend", "--model-file", path, "--target",
                                   "amd-ryzen-ai-max-plus-395-128gb", "--format", "json"},
                                  out, err);
    INFO(err.str());
    REQUIRE(code == 0);
    const auto plan = nlohmann::json::parse(out.str());
    CHECK_THAT(plan["request"]["model"].get<std::string>(),
               Catch::StartsWith("gguf:") && Catch::EndsWith("qwen3moe-mixed.gguf"));
    CHECK(plan["request"]["quant"] == "Q8_0");
    CHECK(plan["request"]["engine"] == "llama.cpp");
    CHECK(out.str().find("\"local_file\": \"" + path + "\"") != std::string::npos);
    CHECK(out.str().find("-m " + path) != std::string::npos);

    std::ostringstream out2;
    std::ostringstream err2;
    CHECK(run_edgeplan({"recommend", "--model-file", path, "--engine", "vllm", "--target",
                        "desktop-rtx-4090"},
                       out2, err2) == 2);
    CHECK(out2.str().empty());
    CHECK(err2.str().rfind("edgeplan: error: --engine: ", 0) == 0);
}
