#pragma once

// The catalogue as plain data: models, llama.cpp ggml types and quantize presets, other
// weight formats, KV-cache types, inference engines and hardware targets. Read and checked
// by the catalog module (edgeplan/catalog/catalog.hpp); every field mirrors data/**/*.json
// and its JSON Schema in data/schema/. Unknown is std::nullopt, never 0.

#include <edgeplan/core/hardware_profile.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace edgeplan {

// ---------------------------------------------------------------------------------------
// Models

/// Sliding-window attention: `pattern` repeats over the layers from layer 0; 'L' is a
/// sliding (local/chunked) layer holding `window_tokens` of KV, 'G' a global layer.
struct SlidingWindow {
    int window_tokens = 0;
    std::string pattern; ///< e.g. "LLLLLG" (Gemma 3), "LG" (gpt-oss), "L" (all layers)
    /// Number of sliding layers among the first `layers` layers.
    [[nodiscard]] int sliding_layers(int layers) const;
};

/// Multi-head latent attention (DeepSeek V2/V3): the KV cache holds one compressed latent
/// of kv_lora_rank plus the decoupled RoPE key per token and layer.
struct MultiHeadLatentAttention {
    int kv_lora_rank = 0;
    std::optional<int> q_lora_rank; ///< nullopt: queries are not low-rank (V2-Lite)
    int qk_rope_head_dim = 0;
    int qk_nope_head_dim = 0;
    int v_head_dim = 0;
};

/// Routed experts of a mixture-of-experts model.
struct MixtureOfExperts {
    int experts = 0;           ///< routed experts per MoE layer
    int experts_per_token = 0; ///< routed experts active per token
    int shared_experts = 0;
    int expert_ffn_size = 0; ///< intermediate size of one routed expert
    std::optional<int>
        shared_expert_ffn_size; ///< whole shared-expert FFN; nullopt: none/per-expert
    int dense_layers = 0;       ///< leading layers with a dense FFN of ffn_size instead of experts
    int moe_layer_period = 1;   ///< every Nth layer after the dense ones is MoE
};

/// State-space / linear-attention layers of a hybrid model (Mamba2, Gated DeltaNet...).
struct RecurrentLayers {
    std::string kind; ///< "mamba", "mamba2", "gated-deltanet", "rwkv", "shortconv"
    int recurrent_layers = 0;
    int attention_layers = 0;
    std::optional<std::string> pattern; ///< "MMAM..." from layer 0; nullopt: unpublished
    std::optional<int> state_size;
    std::optional<int> conv_kernel;
    std::optional<int> inner_size;
    std::optional<int> heads;
    std::optional<int> groups;
};

/// The encoder of an encoder-decoder model (Whisper); the decoder is the main body.
struct EncoderStack {
    int layers = 0;
    int hidden_size = 0;
    int attention_heads = 0;
    std::optional<int> ffn_size;
    std::optional<int> max_source_positions;
    /// Mel-spectrogram bins the audio stem reads (Whisper: 80, large-v3: 128); nullopt: unknown.
    std::optional<int> mel_bins;
};

/// Head shape of the full-attention (global) layers of a model whose sliding and global
/// layers differ (Gemma 4: global_head_dim 512, num_global_key_value_heads).
struct GlobalAttention {
    int head_dim = 0;            ///< per head, K and V alike
    std::optional<int> kv_heads; ///< nullopt: the model's kv_heads
    /// Keys double as values (attention_k_eq_v): no attn_v matrix on these layers; the
    /// cache still stores V (llama.cpp gemma4.cpp uses Kcur as Vcur).
    bool k_eq_v = false;
};

/// The fields memory and speed depend on, from the model's config.json.
struct ModelArchitecture {
    std::optional<std::string> kind; ///< "decoder", "moe", "hybrid", "encoder", "encoder-decoder"
    std::optional<std::string> gguf_architecture; ///< llama.cpp's name: "llama", "qwen3moe"...
    std::optional<int> layers;
    std::optional<int> hidden_size;
    std::optional<int> attention_heads;
    std::optional<int> kv_heads;
    std::optional<int> head_dim;
    std::optional<int> ffn_size;
    /// Gated FFN (SwiGLU/GeGLU: gate, up, down = 3 matrices) or plain MLP (2 matrices).
    /// Absent in the data means gated, as in every current decoder family.
    bool ffn_gated = true;
    std::optional<int> vocab_size;
    std::optional<bool> tied_embeddings;
    std::optional<int> max_context_tokens;
    std::optional<SlidingWindow> sliding_window;
    std::optional<MultiHeadLatentAttention> mla;
    std::optional<MixtureOfExperts> moe;
    std::optional<RecurrentLayers> recurrent;
    std::optional<EncoderStack> encoder;
    /// Embedding models: how the token states become one vector, from the model card /
    /// sentence-transformers 1_Pooling/config.json: "mean", "cls", "last" or "rank" (llama.cpp's
    /// --pooling values). nullopt for models that are not embedders.
    std::optional<std::string> pooling;
    /// Per-Layer Embeddings (Gemma 3n/4, config hidden_size_per_layer_input): the width of
    /// each layer's slice of the per_layer_token_embd table {dim x layers, vocab}; nullopt:
    /// the model has none.
    std::optional<int> per_layer_embedding_dim;
    /// AltUp prediction streams (Gemma 3n altup_num_inputs); nullopt: no AltUp.
    std::optional<int> altup_inputs;
    /// Rank of the LAuReL low-rank residual (Gemma 3n laurel_rank); nullopt: no LAuReL.
    std::optional<int> laurel_rank;
    /// The last N layers reuse an earlier layer's KV and hold no cache of their own (Gemma
    /// 3n/4 num_kv_shared_layers); nullopt or 0: every attention layer holds its KV.
    std::optional<int> kv_shared_layers;
    /// FFN width of those KV-sharing layers when it differs from ffn_size (Gemma 4 E2B
    /// use_double_wide_mlp: 2 x ffn_size); nullopt: ffn_size.
    std::optional<int> kv_shared_ffn_size;
    /// Head shape of the global (full-attention) layers when it differs from head_dim /
    /// kv_heads; nullopt: every layer has the same head shape.
    std::optional<GlobalAttention> global_attention;
    std::optional<std::string> source;
};

/// A published quality figure (benchmark score) for one task.
struct QualityScore {
    std::string task;
    std::string benchmark;
    double score = 0;
    std::string scale; ///< "percent", "rating", "elo", "score"
    std::string source;
};

/// A speed a vendor published for an artifact on one chip (NPU runtimes publish these per
/// device; the NPU route uses them instead of a bandwidth estimate).
struct PublishedPerformance {
    std::string device;  ///< the device measured, "Snapdragon X Elite CRD"
    std::string chipset; ///< matched against the profile's CPU/SoC model, "Snapdragon X Elite"
    int context_tokens = 0;           ///< context the figure was taken at
    double decode_tokens_per_s = 0;   ///< response rate after the first token
    std::optional<double> ttft_ms_min; ///< time to first token, shortest prompt
    std::optional<double> ttft_ms_max; ///< time to first token, prompt filling the context
    std::string source;                ///< URL (with commit) of the published figure
    std::optional<std::string> date;   ///< "YYYY-MM" or "YYYY-MM-DD" of the publication
};

/// A downloadable form of a model: a Hugging Face repository or an Ollama tag.
struct Artifact {
    std::string format; ///< "gguf", "mlx", "awq", "gptq", "onnx", "ollama", "safetensors"...
    std::optional<std::string> repository;
    std::optional<std::string> tag;         ///< Ollama model[:tag]
    std::vector<std::string> quantizations; ///< GGUF preset or weight-format ids (or aliases)
    /// File in the repository per quantization (as listed), where the file name was seen;
    /// quantizations without one are still in the repository under an unverified name.
    std::map<std::string, std::string> files;
    // NPU artifacts (compiled for one vendor runtime); empty/nullopt for the others.
    std::optional<std::string> runtime;     ///< engine id it was compiled for, "qualcomm-genie"
    std::optional<std::string> accelerator; ///< "npu-hexagon", "npu-intel", "npu-amd"...
    std::vector<std::string> platforms;     ///< OSes where that runtime runs it on the NPU
    /// Context the graph was compiled for (NPU graphs are fixed-shape); nullopt: set at load.
    std::optional<int> context_tokens;
    /// Prompt tokens the prompt-processor graph takes per pass (Genie exports: 128).
    std::optional<int> prompt_chunk_tokens;
    std::optional<std::uint64_t> size_bytes; ///< published download size
    std::vector<PublishedPerformance> performance;
    std::optional<std::string> notes;
};

struct License {
    std::optional<std::string> name;
    std::optional<std::string> spdx;
    std::optional<std::string> url;
};

/// Why the parameter formula does not reproduce parameters_total (vision towers, per-layer
/// embeddings...), and the expected formula / total ratio when one applies.
struct ParameterCheckException {
    std::string exception;
    std::optional<double> expected_ratio;
};

/// The tensors of a GGUF file the user holds (defined in estimate/weights.hpp: core only
/// carries it, so a file-backed model travels through the catalogue and the planner).
struct GgufFileWeights;

struct Model {
    std::string id;
    std::string name;
    std::string family;
    std::string publisher;
    std::optional<std::string> release_date; ///< "YYYY-MM" or "YYYY-MM-DD"
    std::optional<License> license;
    bool open_weights = false;
    std::vector<std::string> input_modalities;
    std::vector<std::string> output_modalities;
    std::vector<std::string> tasks;
    std::optional<std::uint64_t> parameters_total;  ///< weights, count (not bytes)
    std::optional<std::uint64_t> parameters_active; ///< per token (MoE); nullopt: dense/unknown
    std::optional<std::string> parameters_source;
    ModelArchitecture architecture;
    std::optional<ParameterCheckException> parameter_check;
    std::vector<QualityScore> quality;
    std::vector<Artifact> artifacts;
    std::vector<std::string> sources;
    std::optional<std::string> notes;
    std::string file;        ///< catalogue file it came from, e.g. "data/models/llama.json"
    nlohmann::json document; ///< the entry as written in the catalogue (for `catalog show`)
    /// Set for a model read from a GGUF file (--model-file): its real tensors replace the
    /// preset estimate wherever the file's own quantization is planned. Null for catalogue
    /// entries and specs.
    std::shared_ptr<const GgufFileWeights> gguf_file;
};

// ---------------------------------------------------------------------------------------
// Quantization: llama.cpp tensor types and quantize presets

/// One ggml tensor type: a block of `block_size` elements takes `bytes_per_block` bytes.
struct GgmlType {
    std::string id;       ///< ggml's lower-case name: "q4_K", "f16", "iq2_xxs"
    int ggml_type_id = 0; ///< enum ggml_type value stored in GGUF tensor-info records
    int block_size = 1;
    int bytes_per_block = 1;
    double bits_per_weight = 0; ///< 8 * bytes_per_block / block_size
    std::string kind;           ///< "float", "integer", "block_quantized"
    std::string usage;          ///< "weights", "intermediate_only", "non_weight"
    std::string source;
    nlohmann::json document; ///< the entry as written in the catalogue (for `catalog show`)
};

/// Tensor categories of llama-quantize's type choice (gguf_presets.json tensor_vocabulary).
enum class TensorCategory {
    token_embd, ///< input embedding (only when the model has a separate output.weight)
    /// Gemma 3n/4 per_layer_token_embd: llama-quantize types it like token_embd
    /// (tensor_name_match_token_embd), llama.cpp reads it by GET_ROWS on the host.
    per_layer_token_embd,
    output, ///< LM head, or token_embd when embeddings are tied
    attn_q,
    attn_k,
    attn_v, ///< attn_v, fused attn_qkv and MLA attn_kv_b
    attn_output,
    ffn_gate,
    ffn_up,
    ffn_down,
    norm,  ///< 1-D tensors and *_norm.weight: never quantized
    other, ///< any other quantizable tensor
    /// 2-D tensors llama-quantize never quantizes (Gemma 3n altup_*, laurel_*,
    /// per_layer_model_proj: tensor_allows_quantization): they keep the converter's 16 bits.
    unquantized,
    any, ///< rule wildcard only
};

/// Layer selectors on (i, n) with integer division (gguf_presets.json layer_selectors).
enum class LayerSelector {
    all,
    use_more_bits,
    first_n_div_8,
    first_n_div_16,
    first_2,
    first_4,
    middle
};

/// The conditions of one preset rule; every condition present must hold.
struct PresetRuleConditions {
    std::optional<int> n_gqa_min;
    std::optional<int> n_expert_min;
    std::optional<int> n_expert_eq;
    std::optional<std::string> arch;
    std::optional<std::string> arch_not;
    std::optional<std::string> llm_type;
    std::optional<bool> imatrix;
    std::optional<bool> tensor_is_3d;
    std::optional<bool> ncols_divisible_by_base_block;
};

/// "Tensors of this category, in these layers, under these conditions, get this type."
struct PresetRule {
    TensorCategory tensor = TensorCategory::any;
    LayerSelector layers = LayerSelector::all;
    PresetRuleConditions when;
    std::string type; ///< a GgmlType id
};

/// What llama-quantize computed for the reference model (Llama-3-8B shapes).
struct PresetReferenceFigures {
    bool imatrix = false;
    double bits_per_weight = 0;
    std::uint64_t size_bytes = 0;
};

/// A llama-quantize preset (Q4_K_M...) as data: base type plus ordered per-tensor rules.
struct GgufPreset {
    std::string id; ///< "Q4_K_M"
    std::vector<std::string> aliases;
    int llama_ftype = 0;   ///< GGUF general.file_type
    std::string base_type; ///< GgmlType id used when no rule matches
    std::optional<double> nominal_bpw;
    bool requires_imatrix = false;
    std::vector<PresetRule> rules;
    std::optional<double> quoted_bpw_llama3_8b; ///< from llama.cpp's quantize README
    std::optional<double> quoted_size_gib_llama3_8b;
    std::optional<PresetReferenceFigures> computed_llama3_8b;
    std::string source;
    nlohmann::json document; ///< the entry as written in the catalogue (for `catalog show`)
};

/// The model whose tensor shapes the quoted preset figures were measured on.
struct PresetReferenceModel {
    std::string id;
    int n_layer = 0;
    int n_embd = 0;
    int n_head = 0;
    int n_head_kv = 0;
    int head_dim = 0;
    int n_ff = 0;
    int n_vocab = 0;
    bool tied_embeddings = false;
    std::string llm_type;
};

/// Rules shared by every preset: the row-length fallback and the reference model.
struct GgufPresetTables {
    std::map<std::string, std::string> row_fallback; ///< ggml type -> type when ne0 % block != 0
    std::string row_fallback_final = "f16";
    PresetReferenceModel reference_model;
};

// ---------------------------------------------------------------------------------------
// Quantization: other weight formats and KV-cache types

/// A weight format other than a llama-quantize preset (MLX, AWQ, GPTQ, FP8, ONNX...).
struct WeightFormat {
    std::string id;                   ///< "mlx-affine-4bit-g64"
    std::vector<std::string> aliases; ///< short names used in models and engines: "mlx-4bit"
    std::string family;               ///< "mlx", "awq", "gptq", "onnx", "float"...
    std::string name;
    std::string weight_format; ///< "int_affine", "fp8_e4m3", "float"...
    std::optional<int> weight_bits;
    std::optional<int> group_size;         ///< nullopt: per-tensor/per-channel or variable
    std::optional<double> bits_per_weight; ///< incl. group metadata; nullopt: per-model variable
    std::optional<double> bits_per_weight_min;
    std::optional<double> bits_per_weight_max;
    std::optional<bool> embeddings_quantized;
    std::optional<bool> lm_head_quantized;
    std::vector<std::string> kept_16bit;
    std::vector<std::string> engines; ///< Engine ids
    std::string source;
    nlohmann::json document; ///< the entry as written in the catalogue (for `catalog show`)
};

/// A KV-cache storage type as one engine spells it (llama.cpp -ctk q8_0, vLLM fp8...).
struct KvCacheType {
    std::string id;           ///< "llama-cpp-q8-0"
    std::string engine_value; ///< literal option value: "q8_0"
    std::vector<std::string> engines;
    std::string storage; ///< "float", "block_quantized", "fp8_per_tensor"...
    std::optional<int> block_size_elements;
    std::optional<int> bytes_per_block;
    std::optional<double> k_bits_per_element;
    std::optional<double> v_bits_per_element;
    std::optional<double> k_overhead_bytes_per_head_vector;
    std::optional<double> v_overhead_bytes_per_head_vector;
    std::optional<double> bytes_per_element; ///< average of K and V, metadata included
    bool requires_flash_attention_for_k = false;
    bool requires_flash_attention_for_v = false;
    std::string source;
    nlohmann::json document; ///< the entry as written in the catalogue (for `catalog show`)
};

// ---------------------------------------------------------------------------------------
// Engines and targets

/// How an engine is served: interface, default port, command, wire APIs.
struct EngineServing {
    std::string interface; ///< "openai-compatible-http", "native-http", "library", "cli"...
    std::optional<int> default_port;
    std::optional<std::string> command;
    std::vector<std::string> apis;
};

/// An inference engine (llama.cpp, vLLM, MLX-LM...) and what it verifiably supports.
struct Engine {
    std::string id;
    std::string name;
    std::string version_checked; ///< release/commit the facts were checked against
    License license;
    bool open_source = false;
    bool cloud_only = false; ///< needs the network: never selectable offline
    std::string telemetry;   ///< "none", "opt-out", "opt-in", "unknown"
    std::optional<std::string> telemetry_switch;
    std::optional<std::string> repository;
    std::vector<std::string> platforms;
    std::vector<std::string> accelerators;
    std::vector<std::string> model_formats;
    std::vector<std::string> quantizations;  ///< GGUF preset / weight-format ids or aliases
    std::vector<std::string> kv_cache_types; ///< values as the engine spells them
    std::map<std::string, std::optional<bool>> features; ///< nullopt: unknown
    EngineServing serving;
    /// Tool or config file -> flags verified to exist in version_checked (only these are emitted).
    std::map<std::string, std::vector<std::string>> flags;
    std::string maturity; ///< "stable", "beta", "experimental"
    std::vector<std::string> sources;
    std::optional<std::string> notes;
    nlohmann::json document; ///< the entry as written in the catalogue (for `catalog show`)
};

/// A hardware preset: a complete profile (origin method "preset") plus the memory sizes the
/// hardware is sold with.
struct Target {
    std::string id;
    std::string name;
    std::string target_class; ///< "laptop", "desktop", "phone", "sbc", "dev-kit"...
    std::vector<std::uint64_t> memory_options_bytes; ///< ascending
    HardwareProfile profile;
    nlohmann::json profile_document; ///< the profile as written, for command-line overrides
    nlohmann::json document;         ///< the entry as written in the catalogue (for `catalog show`)
    std::optional<std::string> notes;
};

// ---------------------------------------------------------------------------------------
// The catalogue

/// What a quantization id used by a model or an engine names.
struct QuantizationRef {
    const GgufPreset* preset = nullptr;   ///< set when it names a llama-quantize preset
    const WeightFormat* format = nullptr; ///< set when it names another weight format
    [[nodiscard]] bool found() const {
        return preset != nullptr || format != nullptr;
    }
};

/// Everything loaded from data/, in file order. Lookups return nullptr for unknown ids.
struct Catalog {
    std::vector<Model> models;
    std::vector<GgmlType> ggml_types;
    std::vector<GgufPreset> gguf_presets;
    GgufPresetTables preset_tables;
    std::vector<WeightFormat> weight_formats;
    std::vector<KvCacheType> kv_cache_types;
    std::vector<Engine> engines;
    std::vector<Target> targets;

    [[nodiscard]] const Model* find_model(std::string_view id) const;
    [[nodiscard]] const GgmlType* find_ggml_type(std::string_view id) const;
    /// By id or alias ("Q4_K" names Q4_K_M).
    [[nodiscard]] const GgufPreset* find_gguf_preset(std::string_view id) const;
    /// By id or alias ("mlx-4bit" names mlx-affine-4bit-g64).
    [[nodiscard]] const WeightFormat* find_weight_format(std::string_view id) const;
    [[nodiscard]] const KvCacheType* find_kv_cache_type(std::string_view id) const;
    [[nodiscard]] const Engine* find_engine(std::string_view id) const;
    [[nodiscard]] const Target* find_target(std::string_view id) const;
    /// A quantization id as models and engines use it: a preset first, then a weight format.
    [[nodiscard]] QuantizationRef find_quantization(std::string_view id) const;
};

} // namespace edgeplan
