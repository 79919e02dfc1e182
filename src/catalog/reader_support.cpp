#include "reader_support.hpp"

#include <edgeplan/catalog/catalog.hpp>

#include <cctype>

namespace edgeplan::catalog_detail {

const json* member(const json& parent, const char* key) {
    auto it = parent.find(key);
    return it == parent.end() || it->is_null() ? nullptr : &*it;
}

std::string at(const std::string& pointer, const char* key) {
    return pointer + "/" + detail::pointer_token(key);
}

std::string at(const std::string& pointer, std::size_t index) {
    return pointer + "/" + std::to_string(index);
}

void positive(JsonReader& r, const json& parent, const char* key, const std::string& p,
              std::optional<int>& out) {
    r.optional_int(parent, key, p, out, 1, INT_MAX);
}

int required_int(JsonReader& r, const json& parent, const char* key, const std::string& p,
                 int min) {
    std::int64_t value = 0;
    r.integer(parent, key, p, value, min, INT_MAX, true);
    return static_cast<int>(value);
}

std::string read_id(JsonReader& r, const json& entry, const std::string& p) {
    std::string id;
    if (!r.string(entry, "id", p, id, true)) {
        return id;
    }
    bool valid = !id.empty() && std::isalnum(static_cast<unsigned char>(id.front()));
    for (char c : id) {
        valid = valid &&
                (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_');
    }
    if (!valid) {
        r.problem(at(p, "id"), "an id is a letter or digit followed by letters, digits, '.', "
                               "'-' or '_'");
    }
    return id;
}

void read_license(JsonReader& r, const json& node, const std::string& p, License& out) {
    if (!r.object(node, p, {"name", "spdx", "url"})) {
        return;
    }
    r.optional_string(node, "name", p, out.name);
    r.optional_string(node, "spdx", p, out.spdx);
    r.optional_string(node, "url", p, out.url);
}

} // namespace edgeplan::catalog_detail

namespace edgeplan {

std::string CatalogProblem::location() const {
    return pointer.empty() ? file : file + ": " + pointer;
}

const std::vector<std::string>& model_tasks() {
    // data/schema/model.schema.json $defs/task.
    static const std::vector<std::string> tasks = {
        "chat",           "code",           "reasoning",     "vision",  "embedding",
        "speech-to-text", "text-to-speech", "summarization", "tool-use"};
    return tasks;
}

} // namespace edgeplan
