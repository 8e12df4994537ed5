#include "http/header_map.h"

namespace downstream::http {

std::string to_lower_ascii(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

void HeaderMap::add(std::string_view name, std::string value) {
    fields_.emplace_back(to_lower_ascii(name), std::move(value));
}

std::optional<std::string_view> HeaderMap::get(std::string_view name) const {
    const std::string wanted = to_lower_ascii(name);
    for (const auto& [field, value] : fields_) {
        if (field == wanted) return std::string_view(value);
    }
    return std::nullopt;
}

}  // namespace downstream::http
