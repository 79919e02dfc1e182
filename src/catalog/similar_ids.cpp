// "Did you mean" for unknown ids: Levenshtein distance, ties broken by the longer common
// prefix and then alphabetically, so hints are stable.
#include <edgeplan/catalog/catalog.hpp>

#include <algorithm>
#include <cctype>
#include <tuple>

namespace edgeplan {

namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) {
        row[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] =
                std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

std::size_t common_prefix(const std::string& a, const std::string& b) {
    std::size_t n = 0;
    while (n < a.size() && n < b.size() && a[n] == b[n]) {
        ++n;
    }
    return n;
}

} // namespace

std::vector<std::string> similar_ids(std::string_view wanted,
                                     const std::vector<std::string>& candidates,
                                     std::size_t limit) {
    const std::string key = lower(wanted);
    // Close enough: a few typos, or the wanted text is part of the id ("m4-pro").
    const std::size_t max_distance = std::max<std::size_t>(2, key.size() / 3);
    std::vector<std::tuple<std::size_t, std::size_t, std::string>> scored;
    for (const auto& candidate : candidates) {
        const std::string id = lower(candidate);
        std::size_t distance = edit_distance(key, id);
        if (!key.empty() && id.find(key) != std::string::npos) {
            distance = std::min<std::size_t>(distance, 1);
        }
        if (distance <= max_distance) {
            scored.emplace_back(distance, key.size() - std::min(key.size(), common_prefix(key, id)),
                                candidate);
        }
    }
    std::sort(scored.begin(), scored.end());
    std::vector<std::string> out;
    for (const auto& item : scored) {
        if (out.size() == limit) {
            break;
        }
        if (std::find(out.begin(), out.end(), std::get<2>(item)) == out.end()) {
            out.push_back(std::get<2>(item));
        }
    }
    return out;
}

} // namespace edgeplan
