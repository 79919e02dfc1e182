// `fit --model-spec FILE`: one model entry read by the catalogue's own model reader, so a
// user's model is held to the same rules (types, ranges, unknown keys) as the data/.
#include "reader_support.hpp"

#include <edgeplan/catalog/model_spec.hpp>

namespace edgeplan {

namespace {

constexpr const char* wrapped_prefix = "/models/0";

} // namespace

Result<Model> read_model_spec(const std::string& text, const std::string& name) {
    catalog_detail::json document;
    try {
        document = catalog_detail::json::parse(text);
    } catch (const catalog_detail::json::parse_error& error) {
        std::string what = error.what();
        if (auto pos = what.find("] "); pos != std::string::npos) {
            what = what.substr(pos + 2);
        }
        return make_error(ExitCode::bad_input, name, "not valid JSON: " + what);
    }
    const bool bare = !(document.is_object() && document.contains("models"));
    if (bare) {
        document = catalog_detail::json{{"models", catalog_detail::json::array({document})}};
    }
    detail::JsonReader reader(Source::profile);
    Catalog catalog;
    catalog_detail::Locations locations;
    catalog_detail::FileContext context{reader, name, catalog, locations};
    catalog_detail::read_models_file(context, document);
    if (!reader.problems().empty()) {
        auto [pointer, message] = reader.problems().front();
        if (bare && pointer.rfind(wrapped_prefix, 0) == 0) {
            pointer = pointer.substr(std::string(wrapped_prefix).size());
            pointer = pointer.empty() ? "/" : pointer;
        }
        const auto more = reader.problems().size() - 1;
        if (more > 0) {
            message += " (and " + std::to_string(more) + " more problem" + (more > 1 ? "s" : "") + ")";
        }
        return make_error(ExitCode::bad_input, name + ": " + pointer, message);
    }
    if (catalog.models.size() != 1) {
        return make_error(ExitCode::bad_input, name + ": /models",
                          "expected exactly one model entry, found " +
                              std::to_string(catalog.models.size()));
    }
    Model model = std::move(catalog.models.front());
    model.file = name;
    return model;
}

} // namespace edgeplan
