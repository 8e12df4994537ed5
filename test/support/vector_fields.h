// Typed access to the members of golden-vector entries. A missing member or one of the wrong
// type fails the calling test loudly, naming the member, so a vector file that changes shape
// cannot make a test pass vacuously.
#pragma once

#include "json/json.h"

#include <cstdint>
#include <memory>
#include <string>

namespace downstream::testing {

// The member `name` of the object `entry`.
const json::Value& field(const json::Value& entry, const char* name);

// The member `name`, which must be an array, checked to hold at least `min_size` elements.
const json::Value& array_field(const json::Value& entry, const char* name,
                               std::size_t min_size = 1);

std::string string_field(const json::Value& entry, const char* name);
// A string member holding lower-case hex, decoded.
std::string hex_field(const json::Value& entry, const char* name);
// A string member holding standard base64, decoded.
std::string b64_field(const json::Value& entry, const char* name);
std::uint64_t uint_field(const json::Value& entry, const char* name);
double double_field(const json::Value& entry, const char* name);
bool bool_field(const json::Value& entry, const char* name);

// `value` as compact JSON text, in its own key order.
std::string compact_json(const json::Value& value);

// A deep copy of `value` in a document of its own (to modify vector data in a test).
std::unique_ptr<json::Document> copy_json(const json::Value& value);

}  // namespace downstream::testing
