// The inspect summary as Markdown: one table of what the file is and what it holds, the
// tensor type histogram, and notes. Text from the file is escaped for a table cell.
#include "cursor.hpp"

#include <edgeplan/gguf/gguf_inspect.hpp>

#include <cstdio>

namespace edgeplan {

namespace {

std::string fixed(double value, int digits) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", digits, value);
    return buffer;
}

std::string mib(std::uint64_t bytes) {
    return std::to_string(bytes) + " B (" + fixed(static_cast<double>(bytes) / 1048576.0, 2) +
           " MiB)";
}

std::string millions(std::uint64_t count) {
    return std::to_string(count) + " (" + fixed(static_cast<double>(count) / 1e6, 2) + " M)";
}

/// Untrusted text in a table cell: no pipes, newlines or control bytes.
std::string cell(const std::string& text) {
    std::string quoted = gguf_detail::printable_quoted(text);
    quoted = quoted.substr(1, quoted.size() - 2);
    std::string out;
    for (const char c : quoted) {
        out += c == '|' ? std::string("\\|") : std::string(1, c);
    }
    return out;
}

/// "1 group", "4 groups".
std::string count_of(int n, const std::string& noun) {
    return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

std::string or_unknown(const std::optional<int>& value) {
    return value ? std::to_string(*value) : "unknown";
}

void row(std::string& out, const std::string& field, const std::string& value) {
    out += "| " + field + " | " + value + " |\n";
}

void architecture_rows(std::string& out, const ModelArchitecture& a) {
    row(out, "layers", or_unknown(a.layers));
    row(out, "attention heads / KV heads",
        or_unknown(a.attention_heads) + " / " + (a.mla ? "MLA" : or_unknown(a.kv_heads)));
    if (!a.mla) {
        row(out, "head dim", or_unknown(a.head_dim));
    }
    row(out, "hidden size", or_unknown(a.hidden_size));
    row(out, "FFN size", or_unknown(a.ffn_size) + (a.ffn_gated ? " (gated)" : " (plain MLP)"));
    row(out, "vocabulary", a.vocab_size ? std::to_string(*a.vocab_size) + " tokens" : "unknown");
    if (a.tied_embeddings) {
        row(out, "embeddings",
            *a.tied_embeddings ? "tied (LM head = token_embd)" : "separate LM head");
    }
    if (a.sliding_window) {
        row(out, "sliding window",
            std::to_string(a.sliding_window->window_tokens) + " tokens, layer pattern " +
                a.sliding_window->pattern + " (L sliding, G global)");
    }
    if (a.moe) {
        const auto& m = *a.moe;
        std::string text = std::to_string(m.experts) + " routed, " +
                           std::to_string(m.experts_per_token) + " per token, " +
                           std::to_string(m.shared_experts) + " shared; expert FFN " +
                           std::to_string(m.expert_ffn_size);
        if (m.shared_expert_ffn_size) {
            text += ", shared FFN " + std::to_string(*m.shared_expert_ffn_size);
        }
        text += "; " + count_of(m.dense_layers, "leading dense layer");
        if (m.moe_layer_period > 1) {
            text += ", MoE every " + std::to_string(m.moe_layer_period) + " layers";
        }
        row(out, "experts", text);
    }
    if (a.mla) {
        const auto& m = *a.mla;
        row(out, "latent attention (MLA)",
            "kv_lora_rank " + std::to_string(m.kv_lora_rank) + ", q_lora_rank " +
                (m.q_lora_rank ? std::to_string(*m.q_lora_rank) : "none") + ", RoPE dim " +
                std::to_string(m.qk_rope_head_dim) + ", no-RoPE dim " +
                std::to_string(m.qk_nope_head_dim) + ", V head dim " +
                std::to_string(m.v_head_dim));
    }
    if (a.recurrent) {
        const auto& r = *a.recurrent;
        std::string text = r.kind + ": " + std::to_string(r.recurrent_layers) + " recurrent, " +
                           count_of(r.attention_layers, "attention layer");
        if (r.pattern) {
            text += " (" + *r.pattern + ")";
        }
        text += "; state " + or_unknown(r.state_size) + ", conv kernel " +
                or_unknown(r.conv_kernel) + ", inner " + or_unknown(r.inner_size);
        if (r.heads) {
            text += ", " + count_of(*r.heads, "head");
        }
        if (r.groups) {
            text += ", " + count_of(*r.groups, "group");
        }
        row(out, "recurrent layers", text);
    }
}

} // namespace

std::string render_gguf_inspect_markdown(const std::string& name, const GgufFile& file,
                                         const GgufModel& model) {
    const ModelArchitecture& a = model.model.architecture;
    std::string out = "# GGUF: " + cell(name) + "\n\n| field | value |\n|---|---|\n";
    row(out, "file",
        mib(file.file_bytes) + ", GGUF v" + std::to_string(file.version) + ", " +
            std::to_string(file.tensors.size()) + " tensors, " +
            std::to_string(file.metadata.size()) + " metadata keys");
    row(out, "architecture", a.gguf_architecture ? cell(*a.gguf_architecture) : "unknown");
    row(out, "name", cell(model.model.name));
    row(out, "parameters", millions(model.parameters));
    std::string file_type = "unknown";
    if (model.file_type) {
        file_type = model.file_type_name.value_or("not a known preset") + " (general.file_type " +
                    std::to_string(*model.file_type) + ")";
    }
    row(out, "file type", file_type);
    const double bpw = model.parameters == 0 ? 0.0
                                             : 8.0 * static_cast<double>(model.weight_bytes) /
                                                   static_cast<double>(model.parameters);
    row(out, "weights", mib(model.weight_bytes) + ", " + fixed(bpw, 2) + " bits per weight");
    row(out, "context",
        a.max_context_tokens ? std::to_string(*a.max_context_tokens) + " tokens" : "unknown");
    architecture_rows(out, a);
    row(out, "KV cache per token (f16)",
        model.kv_bytes_per_token_f16 ? std::to_string(*model.kv_bytes_per_token_f16) + " B"
                                     : "unknown");

    out += "\n## Tensor types\n\n| type | tensors | parameters | bytes | share of bytes |\n"
           "|---|---|---|---|---|\n";
    for (const auto& t : gguf_type_totals(file)) {
        const double share = model.weight_bytes == 0 ? 0.0
                                                     : 100.0 * static_cast<double>(t.bytes) /
                                                           static_cast<double>(model.weight_bytes);
        out += "| " + t.type + " | " + std::to_string(t.tensors) + " | " +
               std::to_string(t.parameters) + " | " + std::to_string(t.bytes) + " | " +
               fixed(share, 1) + " % |\n";
    }
    out += "| total | " + std::to_string(file.tensors.size()) + " | " +
           std::to_string(model.parameters) + " | " + std::to_string(model.weight_bytes) +
           " | 100.0 % |\n";
    if (!model.notes.empty()) {
        out += "\n## Notes\n\n";
        for (const auto& note : model.notes) {
            out += "- " + note + "\n"; // edgeplan's own sentences, not file text
        }
    }
    return out;
}

} // namespace edgeplan
