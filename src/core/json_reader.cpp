#include <edgeplan/core/json_reader.hpp>

#include <cmath>

namespace edgeplan::detail {

using nlohmann::json;

std::string pointer_token(const std::string& key) {
    std::string out;
    for (char c : key) {
        if (c == '~') {
            out += "~0";
        } else if (c == '/') {
            out += "~1";
        } else {
            out += c;
        }
    }
    return out;
}

namespace {

std::string type_name(const json& node) {
    switch (node.type()) {
    case json::value_t::null: return "null";
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::string: return "a string";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return "an integer";
    case json::value_t::number_float: return "a number";
    default: return "an unsupported value";
    }
}

std::string member_pointer(const std::string& pointer, const char* key) {
    return pointer + "/" + pointer_token(key);
}

bool is_integer(const json& node) {
    if (node.is_number_integer() || node.is_number_unsigned()) {
        return true;
    }
    // 4.0 is accepted as an integer; 4.5 is not.
    return node.is_number_float() && std::isfinite(node.get<double>()) &&
           std::floor(node.get<double>()) == node.get<double>();
}

} // namespace

bool JsonReader::object(const json& node, const std::string& pointer,
                        std::initializer_list<const char*> allowed) {
    if (!node.is_object()) {
        problem(pointer, "expected an object, found " + type_name(node));
        return false;
    }
    for (const auto& item : node.items()) {
        bool known = false;
        for (const char* name : allowed) {
            known = known || item.key() == name;
        }
        if (!known) {
            problem(member_pointer(pointer, item.key().c_str()), "unknown key");
        }
    }
    return true;
}

bool JsonReader::array(const json& node, const std::string& pointer) {
    if (!node.is_array()) {
        problem(pointer, "expected an array, found " + type_name(node));
        return false;
    }
    return true;
}

bool JsonReader::string(const json& parent, const char* key, const std::string& pointer,
                        std::string& out, bool required) {
    auto it = parent.find(key);
    if (it == parent.end()) {
        if (required) {
            problem(member_pointer(pointer, key), "required key is missing");
        }
        return false;
    }
    if (!it->is_string()) {
        problem(member_pointer(pointer, key), "expected a string, found " + type_name(*it));
        return false;
    }
    out = it->get<std::string>();
    return true;
}

bool JsonReader::integer(const json& parent, const char* key, const std::string& pointer,
                         std::int64_t& out, std::int64_t min, std::int64_t max, bool required) {
    auto it = parent.find(key);
    if (it == parent.end()) {
        if (required) {
            problem(member_pointer(pointer, key), "required key is missing");
        }
        return false;
    }
    if (!is_integer(*it) || (it->is_number_unsigned() &&
                             it->get<std::uint64_t>() >
                                 static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))) {
        problem(member_pointer(pointer, key), "expected an integer, found " + type_name(*it));
        return false;
    }
    const auto value = it->is_number_float() ? static_cast<std::int64_t>(it->get<double>())
                                             : it->get<std::int64_t>();
    if (value < min || value > max) {
        problem(member_pointer(pointer, key), "value " + std::to_string(value) +
                                                  " is out of range [" + std::to_string(min) +
                                                  ", " + std::to_string(max) + "]");
        return false;
    }
    out = value;
    return true;
}

bool JsonReader::number(const json& parent, const char* key, const std::string& pointer,
                        double& out, double min, double max, bool required) {
    auto it = parent.find(key);
    if (it == parent.end()) {
        if (required) {
            problem(member_pointer(pointer, key), "required key is missing");
        }
        return false;
    }
    if (!it->is_number()) {
        problem(member_pointer(pointer, key), "expected a number, found " + type_name(*it));
        return false;
    }
    const double value = it->get<double>();
    if (!std::isfinite(value) || value < min || value > max) {
        problem(member_pointer(pointer, key), "value " + it->dump() + " is out of range");
        return false;
    }
    out = value;
    return true;
}

bool JsonReader::boolean(const json& parent, const char* key, const std::string& pointer,
                         bool& out, bool required) {
    auto it = parent.find(key);
    if (it == parent.end()) {
        if (required) {
            problem(member_pointer(pointer, key), "required key is missing");
        }
        return false;
    }
    if (!it->is_boolean()) {
        problem(member_pointer(pointer, key), "expected a boolean, found " + type_name(*it));
        return false;
    }
    out = it->get<bool>();
    return true;
}

void JsonReader::optional_bool(const json& parent, const char* key, const std::string& pointer,
                               std::optional<bool>& out) {
    auto it = parent.find(key);
    if (it == parent.end() || it->is_null()) {
        out.reset();
        return;
    }
    bool value = false;
    if (boolean(parent, key, pointer, value, true)) {
        out = value;
    }
}

void JsonReader::optional_string(const json& parent, const char* key, const std::string& pointer,
                                 std::optional<std::string>& out) {
    auto it = parent.find(key);
    if (it == parent.end() || it->is_null()) {
        out.reset();
        return;
    }
    std::string value;
    if (string(parent, key, pointer, value, true)) {
        out = value;
    }
}

void JsonReader::optional_int(const json& parent, const char* key, const std::string& pointer,
                              std::optional<int>& out, int min, int max) {
    auto it = parent.find(key);
    if (it == parent.end() || it->is_null()) {
        out.reset();
        return;
    }
    std::int64_t value = 0;
    if (integer(parent, key, pointer, value, min, max, true)) {
        out = static_cast<int>(value);
    }
}

void JsonReader::optional_u64(const json& parent, const char* key, const std::string& pointer,
                              std::optional<std::uint64_t>& out) {
    auto it = parent.find(key);
    if (it == parent.end() || it->is_null()) {
        out.reset();
        return;
    }
    if (it->is_number_unsigned()) {
        out = it->get<std::uint64_t>();
        return;
    }
    if (it->is_number_integer() && it->get<std::int64_t>() < 0) {
        problem(member_pointer(pointer, key), "must not be negative (use null for unknown)");
        return;
    }
    std::int64_t value = 0;
    if (integer(parent, key, pointer, value, 0, std::numeric_limits<std::int64_t>::max(), true)) {
        out = static_cast<std::uint64_t>(value);
    }
}

void JsonReader::optional_double(const json& parent, const char* key, const std::string& pointer,
                                 std::optional<double>& out, double min, double max) {
    auto it = parent.find(key);
    if (it == parent.end() || it->is_null()) {
        out.reset();
        return;
    }
    if (!it->is_number()) {
        problem(member_pointer(pointer, key), "expected a number, found " + type_name(*it));
        return;
    }
    const double value = it->get<double>();
    if (!std::isfinite(value) || value < min || value > max) {
        problem(member_pointer(pointer, key), "value " + it->dump() + " is out of range");
        return;
    }
    out = value;
}

JsonReader::ValueSite JsonReader::sourced_value(const json& parent, const char* key,
                                                const std::string& pointer, Source& source_out) {
    auto it = parent.find(key);
    if (it == parent.end() || it->is_null()) {
        source_out = Source::unknown;
        return {};
    }
    if (!it->is_object()) {
        // A plain value: its own place in the document is parent/key.
        source_out = plain_source_;
        return {&parent, key, pointer};
    }
    const std::string here = member_pointer(pointer, key);
    if (!object(*it, here, {"value", "source"})) {
        return {};
    }
    source_out = plain_source_;
    this->source(*it, "source", here, source_out);
    auto value = it->find("value");
    if (value == it->end()) {
        problem(here + "/value", "required key is missing");
        return {};
    }
    if (value->is_null()) {
        return {};
    }
    if (source_out == Source::unknown) {
        problem(here + "/source", "a known value cannot have source \"unknown\"");
    }
    return {&*it, "value", here};
}

// Each typed overload reads the value where sourced_value found it, so error pointers name
// the place the user wrote: /memory/total_bytes for a plain value, .../value in full form.
void JsonReader::sourced(const json& parent, const char* key, const std::string& pointer,
                         Sourced<std::string>& out) {
    Source source = Source::unknown;
    const ValueSite site = sourced_value(parent, key, pointer, source);
    out = {};
    if (site.holder) {
        std::string text;
        if (string(*site.holder, site.key, site.pointer, text, true)) {
            out.set(text, source);
        }
    }
}

void JsonReader::sourced(const json& parent, const char* key, const std::string& pointer,
                         Sourced<int>& out, int min, int max) {
    Source source = Source::unknown;
    const ValueSite site = sourced_value(parent, key, pointer, source);
    out = {};
    if (site.holder) {
        std::int64_t number = 0;
        if (integer(*site.holder, site.key, site.pointer, number, min, max, true)) {
            out.set(static_cast<int>(number), source);
        }
    }
}

void JsonReader::sourced(const json& parent, const char* key, const std::string& pointer,
                         Sourced<std::uint64_t>& out) {
    Source source = Source::unknown;
    const ValueSite site = sourced_value(parent, key, pointer, source);
    out = {};
    if (site.holder) {
        std::optional<std::uint64_t> number;
        optional_u64(*site.holder, site.key, site.pointer, number);
        if (number) {
            out.set(*number, source);
        }
    }
}

void JsonReader::sourced(const json& parent, const char* key, const std::string& pointer,
                         Sourced<double>& out, double min, double max) {
    Source source = Source::unknown;
    const ValueSite site = sourced_value(parent, key, pointer, source);
    out = {};
    if (site.holder) {
        std::optional<double> number;
        optional_double(*site.holder, site.key, site.pointer, number, min, max);
        if (number) {
            out.set(*number, source);
        }
    }
}

void JsonReader::sourced(const json& parent, const char* key, const std::string& pointer,
                         Sourced<bool>& out) {
    Source source = Source::unknown;
    const ValueSite site = sourced_value(parent, key, pointer, source);
    out = {};
    if (site.holder) {
        const json& value = (*site.holder)[site.key];
        if (!value.is_boolean()) {
            problem(member_pointer(site.pointer, site.key), "expected a boolean, found " + type_name(value));
            return;
        }
        out.set(value.get<bool>(), source);
    }
}

void JsonReader::source(const json& parent, const char* key, const std::string& pointer,
                        Source& out) {
    std::string name;
    if (!string(parent, key, pointer, name, false)) {
        return;
    }
    if (auto parsed = parse_source(name)) {
        out = *parsed;
    } else {
        problem(member_pointer(pointer, key), "unknown source \"" + name + "\"");
    }
}

void JsonReader::string_list(const json& parent, const char* key, const std::string& pointer,
                             std::vector<std::string>& out) {
    out.clear();
    auto it = parent.find(key);
    if (it == parent.end() || it->is_null()) {
        return;
    }
    const std::string here = member_pointer(pointer, key);
    if (!array(*it, here)) {
        return;
    }
    for (std::size_t i = 0; i < it->size(); ++i) {
        const json& item = (*it)[i];
        if (!item.is_string()) {
            problem(here + "/" + std::to_string(i), "expected a string, found " + type_name(item));
            continue;
        }
        out.push_back(item.get<std::string>());
    }
}

} // namespace edgeplan::detail
