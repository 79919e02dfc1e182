// Embedding encoders on llama.cpp (docs/estimation.md, "Embedding encoders on llama.cpp").
// No KV cache: llama_model::create_memory returns none for BERT, NOMIC_BERT and the rest of
// the BERT family (ggml-org/llama.cpp src/llama-model.cpp at a5410f04). The compute buffer
// reuses the decoder model's phases (buffers.cpp) with the encoder's shape: the micro-batch
// attends to itself (n_kv = n_tokens) and no logits are produced (one pooled vector per input).
#include <edgeplan/estimate/encoder.hpp>

#include <algorithm>
#include <cmath>

namespace edgeplan {

namespace {

Status check(const EncoderEmbeddingInputs& in) {
    if (in.model == nullptr) {
        return make_error(ExitCode::internal, "encoder", "no model");
    }
    const ModelArchitecture& a = in.model->architecture;
    if (a.kind != std::optional<std::string>("encoder") || !in.model->parameters_total ||
        !a.layers || !a.hidden_size || !a.attention_heads || !a.ffn_size) {
        return make_error(ExitCode::internal, in.model->id,
                          "not an encoder with parameters, layers, width, heads and FFN size");
    }
    if (in.ubatch_tokens < 1 || !(in.bits_per_weight > 0)) {
        return make_error(ExitCode::internal, in.model->id, "micro-batch and bits must be > 0");
    }
    return Done{};
}

} // namespace

Result<EncoderEmbeddingMemory> encoder_embedding_memory(const EncoderEmbeddingInputs& in) {
    if (Status ok = check(in); !ok) {
        return ok.error();
    }
    const ModelArchitecture& a = in.model->architecture;
    EncoderEmbeddingMemory m;
    m.weights = static_cast<std::uint64_t>(
        std::llround(static_cast<double>(*in.model->parameters_total) * in.bits_per_weight / 8));
    ComputeGraphShape g;
    g.n_tokens = in.ubatch_tokens;
    g.n_kv = in.ubatch_tokens; // attention over the micro-batch itself, no cache
    g.n_outputs = 0;           // pooled embeddings, not logits
    g.flash_attention = in.flash_attention;
    m.compute = llama_cpp_compute_buffer_bytes(a, g);
    m.host = llama_cpp_host_overhead_bytes(a);
    return m;
}

Result<PrefillEstimate> encoder_embedding_speed(const EncoderEmbeddingInputs& in,
                                                const DeviceShare& device, int prompt_tokens) {
    if (Status ok = check(in); !ok) {
        return ok.error();
    }
    const ModelArchitecture& a = in.model->architecture;
    const double params = static_cast<double>(*in.model->parameters_total);
    // The token embedding is looked up, not multiplied: one row per token.
    const double embedding = static_cast<double>(a.vocab_size.value_or(0)) * *a.hidden_size;
    DeviceShare d = device;
    d.active_parameters = std::max(0.0, params - embedding);
    d.weight_bytes = d.active_parameters * in.bits_per_weight / 8;
    d.layers = *a.layers;
    // Non-causal: twice the causal attention work the prefill model charges per position.
    d.attention_flops_per_context_token = 8.0 * *a.layers * *a.hidden_size;
    d.kv_bytes_per_context_token = 0;
    PrefillInputs p;
    p.devices = {d};
    p.prompt_tokens = std::max(1, prompt_tokens);
    p.ubatch_tokens = std::max(in.ubatch_tokens, prompt_tokens);
    p.batch_tokens = p.ubatch_tokens;
    return estimate_prefill(p);
}

} // namespace edgeplan
