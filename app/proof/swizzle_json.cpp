#include "proof/swizzle_json.h"

#include "encoding/base64.h"
#include "json/json_parse.h"

namespace downstream::proof {

std::string swizzle_json(std::string_view serialized) {
    // The base64 alphabet needs no JSON escaping.
    return '"' + encoding::base64_encode(serialized) + '"';
}

Result<std::string> swizzle_bytes_from_json(const json::Value& value) {
    if (!value.IsString())
        return make_error(std::string("a Swizzle object must be a base64 string, not ") +
                          json::describe_type(value));
    return encoding::base64_decode_prefix(
        std::string_view(value.GetString(), value.GetStringLength()));
}

}  // namespace downstream::proof
