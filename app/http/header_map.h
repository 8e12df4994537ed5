// HTTP header fields of a request, looked up without regard to case.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace downstream::http {

// An ordered list of header fields. Names are stored lower-case; lookups ignore case, so
// "X-Forwarded-For", "x-forwarded-for" and the FastCGI spelling turned into
// "x-forwarded-for" all find the same field.
class HeaderMap {
public:
    // Appends a field (a repeated name keeps every value, in order).
    void add(std::string_view name, std::string value);

    // The first value of `name`, or nothing.
    std::optional<std::string_view> get(std::string_view name) const;

    // Every (lower-case name, value) pair in arrival order.
    const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

    std::size_t size() const { return fields_.size(); }

private:
    std::vector<std::pair<std::string, std::string>> fields_;
};

// `text` in lower case (ASCII only; other bytes unchanged).
std::string to_lower_ascii(std::string_view text);

}  // namespace downstream::http
