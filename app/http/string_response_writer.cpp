#include "http/string_response_writer.h"

#include "http/header_map.h"

namespace downstream::http {

std::optional<std::string> StringResponseWriter::header(std::string_view name) const {
    const std::string wanted = to_lower_ascii(name);
    for (const auto& [field, value] : headers_) {
        if (to_lower_ascii(field) == wanted) return value;
    }
    return std::nullopt;
}

}  // namespace downstream::http
