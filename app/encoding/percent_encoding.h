// Percent-decoding of URL path segments (RFC 3986 section 2.1).
#pragma once

#include "base/result.h"

#include <string>
#include <string_view>

namespace downstream::encoding {

// The bytes that `text` denotes with every "%XY" (hex, either case) replaced by its byte.
// '+' stays '+' (it means a space only in form bodies, not in paths). A '%' not followed by
// two hex digits is an error naming its offset. The result may hold any byte, NUL included:
// callers validate it as the type they expect.
Result<std::string> percent_decode(std::string_view text);

}  // namespace downstream::encoding
