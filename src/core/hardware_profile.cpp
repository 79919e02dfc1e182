#include <edgeplan/core/hardware_profile.hpp>

namespace edgeplan {

// The extensions llama.cpp, ggml and ONNX Runtime select kernels by (ggml-cpu's feature
// checks: ggml/src/ggml-cpu/cpu-feats-x86.cpp and arch/arm). Names follow Linux
// /proc/cpuinfo spelling where one exists.
const std::vector<std::string>& isa_feature_names() {
    static const std::vector<std::string> names = {
        // x86
        "sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512_vnni",
        "avx512_bf16", "avx512_fp16", "avx_vnni", "amx_tile", "amx_int8", "amx_bf16",
        // ARM
        "neon", "dotprod", "i8mm", "bf16", "sve", "sve2", "sme"};
    return names;
}

std::vector<std::string> isa_feature_names_for(const std::string& architecture) {
    const auto& all = isa_feature_names();
    const auto first_arm = all.begin() + 14;
    if (architecture == "x86_64" || architecture == "i686" || architecture == "x86") {
        return {all.begin(), first_arm};
    }
    if (architecture == "aarch64" || architecture == "arm64" || architecture.rfind("arm", 0) == 0) {
        return {first_arm, all.end()};
    }
    return all;
}

} // namespace edgeplan
