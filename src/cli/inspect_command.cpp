// `edgeplan inspect FILE.gguf`: the only place a GGUF file is opened. The reader sees the file
// through a ByteSource, so a 50 GB model costs a few header reads, not a read of the file.
#include "inspect_command.hpp"

#include "catalog_command.hpp"
#include "file_io.hpp"

#include <edgeplan/gguf/gguf_inspect.hpp>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <limits>
#include <fstream>
#include <memory>

namespace edgeplan::cli {

namespace {

/// A file read with seek + read on demand.
class FileByteSource final : public ByteSource {
  public:
    FileByteSource(std::ifstream stream, std::uint64_t size)
        : stream_(std::move(stream)), size_(size) {}
    [[nodiscard]] std::uint64_t size() const override {
        return size_;
    }
    bool read(std::uint64_t offset, std::byte* out, std::size_t length) override {
        stream_.clear();
        stream_.seekg(static_cast<std::streamoff>(offset));
        stream_.read(reinterpret_cast<char*>(out), static_cast<std::streamsize>(length));
        return static_cast<std::size_t>(stream_.gcount()) == length;
    }

  private:
    std::ifstream stream_;
    std::uint64_t size_ = 0;
};

Result<std::unique_ptr<FileByteSource>> open_file(const std::string& path) {
    // Any size: only the header is read, however large the file.
    if (auto checked = check_user_file(path, std::numeric_limits<std::uintmax_t>::max()); !checked) {
        return checked.error();
    }
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    std::ifstream stream(path, std::ios::binary);
    if (!stream) {
        return make_error(ExitCode::bad_input, path,
                          std::string("cannot open: ") + std::strerror(errno));
    }
    return std::make_unique<FileByteSource>(std::move(stream), size);
}

struct InspectOptions {
    std::string file;
    std::string format = "md";
};

} // namespace

Result<GgufModelFile> read_gguf_model_file(const std::string& path, const Catalog& catalog) {
    auto source = open_file(path);
    if (!source) {
        return source.error();
    }
    auto file = read_gguf(**source, path, catalog);
    if (!file) {
        return file.error();
    }
    auto model = model_from_gguf(*file, path, catalog);
    if (!model) {
        return model.error();
    }
    return GgufModelFile{std::move(file).value(), std::move(model).value()};
}

void set_inspect_command(CLI::App& app, CommandOutcome& outcome) {
    auto options = std::make_shared<InspectOptions>();
    auto* inspect = app.add_subcommand(
        "inspect", "Summarise a GGUF model file (reads only its header, safe on any input)");
    inspect->fallthrough(); // --catalog may follow the subcommand
    inspect->add_option("file", options->file, "The .gguf file")->required();
    inspect->add_option("--format", options->format, "Output format: md (default) or json")
        ->check(CLI::IsMember({"md", "json"}));

    inspect->callback([options, &outcome, inspect] {
        auto catalog = load_catalog_for(*inspect, outcome);
        if (!catalog) {
            return;
        }
        auto read = read_gguf_model_file(options->file, *catalog);
        if (!read) {
            outcome.fail(read.error());
            return;
        }
        outcome.stdout_text =
            options->format == "json"
                ? render_gguf_inspect_json(options->file, read->file, read->model)
                : render_gguf_inspect_markdown(options->file, read->file, read->model);
    });
}

} // namespace edgeplan::cli
