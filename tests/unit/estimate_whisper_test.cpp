// Whisper on whisper.cpp: weights against the published ggml file sizes, caches and compute
// buffers against whisper.cpp's own log lines, and speed against whisper.cpp's bench tables.
// Every published figure is cited beside it; the errors are pinned so a change to the model
// cannot make them worse silently (docs/estimation.md "Whisper on whisper.cpp").
#include "cli/target_profile.hpp"

#include <edgeplan/catalog/catalog.hpp>
#include <edgeplan/estimate/whisper.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <iostream>
#include <string>

using namespace edgeplan;

namespace {

const Catalog& catalog() {
    static const Catalog loaded = *load_catalog(CatalogSource::embedded());
    return loaded;
}

WhisperDims dims(const std::string& id) {
    const Model* m = catalog().find_model(id);
    REQUIRE(m != nullptr);
    auto d = whisper_dims(*m);
    REQUIRE(d);
    return *d;
}

double relative_error(double predicted, double measured) {
    return (predicted - measured) / measured;
}

HardwareProfile target(const std::string& id) {
    cli::TargetOverrides overrides;
    std::string hint;
    auto profile = cli::target_profile(catalog(), id, overrides, hint);
    REQUIRE(profile);
    return *profile;
}

} // namespace

TEST_CASE("whisper parameter counts match the published totals", "[whisper]") {
    // Params (M) of the checkpoints as Hugging Face counts them (eustlb/distil-large-v3-fr
    // README table: 37.8, 72.6, 242, 764, 1540); turbo 809M from the openai/whisper README
    // (whose 39M/74M/244M/769M/1550M are rounded up).
    const std::pair<const char*, double> published[] = {
        {"whisper-tiny", 37.8e6},  {"whisper-base", 72.6e6},      {"whisper-small", 242e6},
        {"whisper-medium", 764e6}, {"whisper-large-v3", 1540e6}, {"whisper-large-v3-turbo", 809e6}};
    for (const auto& [id, total] : published) {
        const double counted = whisper_parameters(dims(id)).total();
        INFO(id << " counted " << counted);
        CHECK(std::abs(relative_error(counted, total)) < 0.01);
    }
}

TEST_CASE("whisper weight bytes match the ggml files on Hugging Face", "[whisper]") {
    // ggerganov/whisper.cpp file sizes (Hugging Face listing; turbo sizes from the LFS
    // pointers of commit 98aa99a0). Files add the vocabulary and mel filters (< 1 MB).
    struct Row {
        const char* id;
        double bits;
        double file_bytes;
    };
    const Row rows[] = {{"whisper-tiny", 16, 77.7e6},           {"whisper-tiny", 6, 32.2e6},
                        {"whisper-tiny", 8.5, 43.5e6},          {"whisper-base", 16, 148e6},
                        {"whisper-base", 6, 59.7e6},            {"whisper-base", 8.5, 81.8e6},
                        {"whisper-small", 16, 488e6},           {"whisper-small", 6, 190e6},
                        {"whisper-small", 8.5, 264e6},          {"whisper-medium", 16, 1.53e9},
                        {"whisper-medium", 5.5, 539e6},         {"whisper-medium", 8.5, 823e6},
                        {"whisper-large-v3", 16, 3.1e9},        {"whisper-large-v3", 5.5, 1.08e9},
                        {"whisper-large-v3-turbo", 16, 1624555275.0},
                        {"whisper-large-v3-turbo", 5.5, 574041195.0},
                        {"whisper-large-v3-turbo", 8.5, 874e6}};
    double worst = 0;
    for (const auto& r : rows) {
        const double bytes =
            static_cast<double>(whisper_weight_bytes(whisper_parameters(dims(r.id)), r.bits));
        const double e = relative_error(bytes, r.file_bytes);
        worst = std::max(worst, std::abs(e));
        INFO(r.id << " at " << r.bits << " bits: " << bytes << " vs " << r.file_bytes);
        CHECK(std::abs(e) < 0.03);
    }
    std::cout << "whisper weights vs ggml files: worst error " << worst * 100 << " %\n";
    // whisper.cpp logs "model size = 573.40 MB" for large-v3-turbo q5_0 (tensors only).
    const double turbo_q5 = static_cast<double>(
        whisper_weight_bytes(whisper_parameters(dims("whisper-large-v3-turbo")), 5.5));
    CHECK(std::abs(relative_error(turbo_q5, 573.40e6)) < 0.005);
}

TEST_CASE("whisper caches are sized as whisper_kv_cache_init sizes them", "[whisper]") {
    // Log lines of whisper_init_state (MB = 1e6 B):
    // base, 5 beams: kv self 18.87, kv cross 18.87, kv pad 3.15;
    // large-v3-turbo q5_0 (Vulkan): kv self 10.49, kv cross 31.46, kv pad 7.86;
    // large-v3 (Metal): kv self 83.89, kv cross 251.66, kv pad 7.86.
    WhisperMemoryInputs base{dims("whisper-base"), 5, 1, true};
    const WhisperMemory b = whisper_memory(base);
    CHECK(std::abs(b.kv_self / 1e6 - 18.87) < 0.01);
    CHECK(std::abs(b.kv_cross / 1e6 - 18.87) < 0.01);
    CHECK(std::abs(b.kv_pad / 1e6 - 3.15) < 0.01);
    WhisperMemoryInputs turbo{dims("whisper-large-v3-turbo"), 1, 1, true};
    const WhisperMemory t = whisper_memory(turbo);
    CHECK(std::abs(t.kv_self / 1e6 - 10.49) < 0.01);
    CHECK(std::abs(t.kv_cross / 1e6 - 31.46) < 0.01);
    CHECK(std::abs(t.kv_pad / 1e6 - 7.86) < 0.01);
    WhisperMemoryInputs large{dims("whisper-large-v3"), 1, 1, true};
    const WhisperMemory l = whisper_memory(large);
    CHECK(std::abs(l.kv_self / 1e6 - 83.89) < 0.01);
    CHECK(std::abs(l.kv_cross / 1e6 - 251.66) < 0.01);
    // Two processors are two states: everything doubles.
    WhisperMemoryInputs two = turbo;
    two.processors = 2;
    CHECK(whisper_memory(two).kv_total() == 2 * t.kv_total());
}

TEST_CASE("whisper compute buffers stay within the published error", "[whisper]") {
    // whisper_init_state log lines (MB): tiny conv 13.32, cross 4.01, decode 96.02;
    // base conv 16.39, cross 4.78, decode 96.48; large-v3-turbo q5_0 (flash attention)
    // conv 37.69, encode 55.35, cross 9.27, decode 100.04; large-v3 (Metal, flash attention)
    // encode 67.31, decode 100.04.
    const WhisperMemory tiny = whisper_memory({dims("whisper-tiny"), 1, 1, true});
    const WhisperMemory base = whisper_memory({dims("whisper-base"), 1, 1, true});
    const WhisperMemory turbo = whisper_memory({dims("whisper-large-v3-turbo"), 1, 1, true});
    const WhisperMemory large = whisper_memory({dims("whisper-large-v3"), 1, 1, true});
    CHECK(std::abs(relative_error(tiny.compute_conv / 1e6, 13.32)) < 0.02);
    CHECK(std::abs(relative_error(base.compute_conv / 1e6, 16.39)) < 0.02);
    CHECK(std::abs(relative_error(turbo.compute_conv / 1e6, 37.69)) < 0.05);
    CHECK(std::abs(relative_error(turbo.compute_encode / 1e6, 55.35)) < 0.12);
    CHECK(std::abs(relative_error(large.compute_encode / 1e6, 67.31)) < 0.10);
    CHECK(std::abs(relative_error(tiny.compute_cross / 1e6, 4.01)) < 0.15);
    CHECK(std::abs(relative_error(base.compute_cross / 1e6, 4.78)) < 0.05);
    CHECK(std::abs(relative_error(turbo.compute_cross / 1e6, 9.27)) < 0.25);
    CHECK(std::abs(relative_error(tiny.compute_decode / 1e6, 96.02)) < 0.01);
    CHECK(std::abs(relative_error(base.compute_decode / 1e6, 96.48)) < 0.01);
    CHECK(std::abs(relative_error(turbo.compute_decode / 1e6, 100.04)) < 0.02);
}

TEST_CASE("whisper speed against whisper.cpp bench tables", "[whisper]") {
    // whisper-bench "Enc." (ms per 30 s window) and "Dec." (ms per token), flash attention on:
    // M2 Ultra (76-core GPU), v1.8.0 release notes (commit a77d11d): tiny 6.28 / 0.96,
    // base 10.77 / 1.30. M4 Max (40-core GPU), v1.7.5 release notes (commit ad4e350): tiny
    // 15.22 / 0.89, base 25.33 / 1.36, small 58.43 / 2.78, medium 169.73 / 6.03.
    struct Row {
        const char* target;
        const char* model;
        double encode_ms;
        double decode_ms;
    };
    const Row rows[] = {{"apple-m2-ultra-76gpu", "whisper-tiny", 6.28, 0.96},
                        {"apple-m2-ultra-76gpu", "whisper-base", 10.77, 1.30},
                        {"apple-m4-max-40gpu", "whisper-tiny", 15.22, 0.89},
                        {"apple-m4-max-40gpu", "whisper-base", 25.33, 1.36},
                        {"apple-m4-max-40gpu", "whisper-small", 58.43, 2.78},
                        {"apple-m4-max-40gpu", "whisper-medium", 169.73, 6.03}};
    double worst_encode = 0;
    double worst_decode = 0;
    for (const auto& r : rows) {
        const HardwareProfile profile = target(r.target);
        std::string why;
        auto device = whisper_device(profile, true, why);
        REQUIRE(device);
        WhisperSpeedInputs in;
        in.dims = dims(r.model);
        in.device = *device;
        in.matrix_bits_per_weight = 16;
        in.decoder_context = 128; // whisper-bench decodes at contexts 0..255
        auto s = estimate_whisper_speed(in);
        REQUIRE(s);
        const double e_enc = relative_error(s->encode_s * 1000, r.encode_ms);
        const double e_dec = relative_error(s->decode_s_per_token * 1000, r.decode_ms);
        std::cout << "whisper bench " << r.target << " " << r.model << ": encode "
                  << s->encode_s * 1000 << " ms vs " << r.encode_ms << " (" << e_enc * 100
                  << " %), decode " << s->decode_s_per_token * 1000 << " ms vs " << r.decode_ms
                  << " (" << e_dec * 100 << " %)\n";
        worst_encode = std::max(worst_encode, std::abs(e_enc));
        worst_decode = std::max(worst_decode, std::abs(e_dec));
    }
    std::cout << "whisper bench worst error: encode " << worst_encode * 100 << " %, decode "
              << worst_decode * 100 << " %\n";
    // Measured (docs/estimation.md): the encoder is under-predicted (-21 % to -63 %, worst on
    // the smallest models, where the non-matrix work of 1500 positions dominates), decode
    // within +-18 %. Pinned so a change cannot make them worse silently.
    CHECK(worst_encode < 0.65);
    CHECK(worst_decode < 0.20);
}
