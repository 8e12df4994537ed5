// Client text shown back inside an error message (JSON, so it must be valid UTF-8) or a log
// line (no line breaks allowed): a display form, never a round trip.
#pragma once

#include <string>
#include <string_view>

namespace downstream::encoding {

// `text` as printable ASCII: every byte outside 0x20..0x7e becomes '?', and text longer than
// `limit` bytes is cut there and ends in "...". The result is always valid UTF-8 and one line.
std::string printable_text(std::string_view text, std::size_t limit = std::string_view::npos);

}  // namespace downstream::encoding
