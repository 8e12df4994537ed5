// Reading test/vectors/swizzle_deterministic.json and swizzle.json: typed access to their
// members that fails the calling test loudly when a member is missing or of the wrong type.
#pragma once

#include "json/json.h"
#include "proof/big_number.h"
#include "proof/swizzle_heartbeat.h"

#include <cstdint>
#include <string>

namespace downstream::testing {

// obj[name], which must exist.
const json::Value& member(const json::Value& obj, const char* name);
// obj[name] as an array / string / unsigned integer / number / bool.
const json::Value& array_member(const json::Value& obj, const char* name);
std::string string_member(const json::Value& obj, const char* name);
std::uint64_t uint_member(const json::Value& obj, const char* name);
double number_member(const json::Value& obj, const char* name);
bool bool_member(const json::Value& obj, const char* name);

// The bytes of the hex text obj[name].
std::string hex_member(const json::Value& obj, const char* name);
// The bytes of the (strict, padded) base64 text obj[name].
std::string base64_member(const json::Value& obj, const char* name);

// The heartbeat rebuilt from a `private_fields` object (keys, s, S, p), not from its base64.
proof::SwizzleHeartbeat heartbeat_from_fields(const json::Value& fields);

// The file a vector `files[]` entry describes: its seeded random stream, checked against the
// entry's sha256 and, when present, file_hex.
std::string vector_file(const json::Value& file_entry);

}  // namespace downstream::testing
