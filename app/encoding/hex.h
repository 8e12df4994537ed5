// Lower-case hexadecimal text for byte strings.
#pragma once

#include "base/result.h"

#include <string>
#include <string_view>

namespace downstream::encoding {

// Lower-case hex of `bytes` (two characters per byte).
std::string hex_encode(std::string_view bytes);

// The bytes of an even-length hex text; upper and lower case are both accepted.
Result<std::string> hex_decode(std::string_view text);

// True when `text` is exactly `length` lower- or upper-case hex digits.
bool is_hex(std::string_view text, std::size_t length);

}  // namespace downstream::encoding
