// The JSON form of every Swizzle object: a JSON *string* holding the base64 of its binary
// serialisation (the reference's todict()/fromdict()), never a JSON object.
#pragma once

#include "base/result.h"
#include "json/json.h"

#include <string>
#include <string_view>

namespace downstream::proof {

// Compact JSON text: a quoted standard base64 string with '=' padding.
std::string swizzle_json(std::string_view serialized);

// The bytes a JSON value stands for, decoded as the reference's Crypto++ decoder does: up to
// the first '=' or character outside the alphabet, the rest ignored (so this never fails on
// text; the object parser then decides). Any value other than a string is an Error, as the
// reference raises TypeError.
Result<std::string> swizzle_bytes_from_json(const json::Value& value);

}  // namespace downstream::proof
