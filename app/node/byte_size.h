// Sizes on the command line: a whole number of bytes, optionally with a binary suffix
// (K/KiB = 1024, M/MiB, G/GiB, T/TiB; case-insensitive; "32K", "1MiB", "1073741824").
#pragma once

#include "base/result.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace downstream::node {

// A positive size in bytes; errors name the text.
Result<std::int64_t> parse_byte_size(std::string_view text);

// "32 KiB", "1 MiB", "1.5 GiB", "700 B": for log lines.
std::string format_byte_size(std::int64_t bytes);

}  // namespace downstream::node
