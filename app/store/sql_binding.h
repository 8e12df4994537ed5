// Store-internal: moving optional values and lists between C++ and prepared statements.
#pragma once

#include <Poco/Nullable.h>

#include <optional>
#include <string>

namespace downstream::store {

template <class T>
Poco::Nullable<T> to_nullable(const std::optional<T>& value) {
    return value ? Poco::Nullable<T>(*value) : Poco::Nullable<T>();
}

template <class T>
std::optional<T> to_optional(const Poco::Nullable<T>& value) {
    return value.isNull() ? std::nullopt : std::optional<T>(value.value());
}

// "?, ?, ?" with `count` placeholders (count >= 1), for IN lists and multi-row inserts whose
// values are all bound: the SQL text never contains data.
inline std::string placeholder_list(std::size_t count) {
    std::string text = "?";
    for (std::size_t i = 1; i < count; ++i) text += ", ?";
    return text;
}

}  // namespace downstream::store
