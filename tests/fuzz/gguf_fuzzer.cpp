// libFuzzer target: any byte string through the GGUF reader, and every header it accepts
// through the model derivation and both inspect renderers. A crash, a sanitizer report, a
// leak or an exception is a bug; an error Result is the expected answer to garbage.
#include <edgeplan/catalog/catalog.hpp>
#include <edgeplan/gguf/gguf_file.hpp>
#include <edgeplan/gguf/gguf_inspect.hpp>
#include <edgeplan/gguf/gguf_model.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

namespace {

const edgeplan::Catalog& catalog() {
    static const edgeplan::Catalog loaded = [] {
        auto result = edgeplan::load_catalog(edgeplan::CatalogSource::embedded());
        if (!result) {
            std::abort(); // the embedded catalogue is checked by the unit tests
        }
        return std::move(result).value();
    }();
    return loaded;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    edgeplan::MemoryByteSource source(
        std::span<const std::byte>(reinterpret_cast<const std::byte*>(data), size));
    auto file = edgeplan::read_gguf(source, "fuzz.gguf", catalog());
    if (!file) {
        // Errors must be one line: a newline from the input would break stderr parsing.
        if (file.error().message.find('\n') != std::string::npos) {
            std::abort();
        }
        return 0;
    }
    auto model = edgeplan::model_from_gguf(*file, "fuzz.gguf", catalog());
    if (!model) {
        if (model.error().message.find('\n') != std::string::npos) {
            std::abort();
        }
        return 0;
    }
    const std::string markdown = edgeplan::render_gguf_inspect_markdown("fuzz.gguf", *file, *model);
    const std::string json = edgeplan::render_gguf_inspect_json("fuzz.gguf", *file, *model);
    if (markdown.empty() || json.empty()) {
        std::abort();
    }
    return 0;
}
