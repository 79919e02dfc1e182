// Numbers in the catalogue recomputed from first principles: parameter counts from the
// architecture fields, and llama-quantize bits per weight from the preset rules.
#include <edgeplan/catalog/catalog.hpp>
#include <edgeplan/estimate/gguf_weights.hpp>
#include <edgeplan/estimate/parameters.hpp>

#include <catch2/catch.hpp>

#include <cmath>

using namespace edgeplan;

namespace {

const Catalog& shipped() {
    static const Catalog catalog = std::move(*load_catalog(CatalogSource::embedded()));
    return catalog;
}

} // namespace

TEST_CASE("catalog: every model's parameter count follows from its architecture within 2 %",
          "[catalog]") {
    int checked = 0;
    for (const auto& model : shipped().models) {
        INFO(model.id << " (" << model.file << ")");
        const auto formula = transformer_parameter_count(model.architecture);
        if (!model.parameter_check) {
            // No documented exception: the formula must apply and agree with the total.
            REQUIRE(model.parameters_total.has_value());
            REQUIRE(formula.has_value());
            const double ratio =
                static_cast<double>(*formula) / static_cast<double>(*model.parameters_total);
            INFO("formula " << *formula << " / total " << *model.parameters_total << " = "
                            << ratio);
            CHECK(std::abs(ratio - 1.0) <= 0.02);
            ++checked;
        } else if (model.parameter_check->expected_ratio) {
            // A documented exception with a ratio: the formula must still give that ratio.
            REQUIRE(model.parameters_total.has_value());
            REQUIRE(formula.has_value());
            const double expected = static_cast<double>(*model.parameters_total) *
                                    *model.parameter_check->expected_ratio;
            INFO("formula " << *formula << " vs total x ratio " << expected);
            CHECK(std::abs(static_cast<double>(*formula) / expected - 1.0) <= 0.02);
            ++checked;
        } else {
            CHECK_FALSE(model.parameter_check->exception.empty());
        }
    }
    CHECK(checked >= 80);
}

TEST_CASE("catalog: the formula reproduces Llama-3.1-8B exactly apart from its norms",
          "[catalog]") {
    const Model* model = shipped().find_model("llama-3.1-8b-instruct");
    REQUIRE(model != nullptr);
    // 8,030,261,248 = matrices + 266,240 norm weights (32 x 2 x 4096 + 4096).
    CHECK(transformer_parameter_count(model->architecture) == 8030261248ull - 266240ull);
}

TEST_CASE("catalog: llama.cpp presets reproduce the quoted bits per weight of Llama-3-8B",
          "[catalog]") {
    const auto& catalog = shipped();
    const ModelShapes shapes = dense_decoder_shapes(catalog.preset_tables.reference_model, "llama");
    int checked = 0;
    for (const auto& preset : catalog.gguf_presets) {
        if (!preset.quoted_bpw_llama3_8b) {
            continue;
        }
        INFO(preset.id);
        const bool imatrix = preset.computed_llama3_8b && preset.computed_llama3_8b->imatrix;
        auto estimate =
            gguf_weight_bytes(shapes, preset, catalog,
                              imatrix ? ImportanceMatrix::present : ImportanceMatrix::absent);
        REQUIRE(estimate.ok());
        CHECK(estimate->parameters == 8030261248ull);
        INFO("computed " << estimate->bits_per_weight << " bpw, quoted "
                         << *preset.quoted_bpw_llama3_8b);
        CHECK(std::abs(estimate->bits_per_weight / *preset.quoted_bpw_llama3_8b - 1.0) <= 0.005);
        if (preset.computed_llama3_8b) {
            // The data's own computed figure is exact: same rules, same shapes.
            CHECK(estimate->bytes == preset.computed_llama3_8b->size_bytes);
        }
        ++checked;
    }
    CHECK(checked >= 20); // 23 presets carry a quoted figure
}

TEST_CASE("catalog: Q4_K_M gives attn_v and ffn_down q6_K on use_more_bits layers only",
          "[catalog]") {
    const auto& catalog = shipped();
    const ModelShapes shapes = dense_decoder_shapes(catalog.preset_tables.reference_model, "llama");
    const GgufPreset* preset = catalog.find_gguf_preset("Q4_K_M");
    REQUIRE(preset != nullptr);
    TensorShape down{"blk.0.ffn_down.weight", TensorCategory::ffn_down, 0, 14336, 4096, 1};
    CHECK(preset_tensor_type(*preset, shapes, down, 0, 32, catalog, ImportanceMatrix::absent) ==
          "q6_K");
    CHECK(preset_tensor_type(*preset, shapes, down, 5, 32, catalog, ImportanceMatrix::absent) ==
          "q4_K");
    CHECK(preset_tensor_type(*preset, shapes, down, 6, 32, catalog, ImportanceMatrix::absent) ==
          "q6_K");
    TensorShape output{"output.weight", TensorCategory::output, -1, 4096, 128256, 1};
    CHECK(preset_tensor_type(*preset, shapes, output, 0, 32, catalog, ImportanceMatrix::absent) ==
          "q6_K");
}

TEST_CASE("catalog: a row length no type divides falls back as llama-quantize does", "[catalog]") {
    const auto& catalog = shipped();
    PresetReferenceModel odd = catalog.preset_tables.reference_model;
    odd.n_ff = 14336 + 32; // ffn_down rows of 14368: not a multiple of 256, a multiple of 32
    const ModelShapes shapes = dense_decoder_shapes(odd, "llama");
    auto estimate = gguf_weight_bytes(shapes, *catalog.find_gguf_preset("Q4_K_M"), catalog);
    REQUIRE(estimate.ok());
    // q4_K -> q5_0 and q6_K -> q8_0 for ffn_down.
    CHECK(estimate->bytes_by_type.count("q5_0") == 1);
    CHECK(estimate->bytes_by_type.count("q8_0") == 1);
}
