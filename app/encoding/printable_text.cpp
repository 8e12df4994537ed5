#include "encoding/printable_text.h"

#include <algorithm>

namespace downstream::encoding {

std::string printable_text(std::string_view text, std::size_t limit) {
    std::string out;
    const std::size_t shown = std::min(text.size(), limit);
    out.reserve(shown + 3);
    for (std::size_t i = 0; i < shown; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        out.push_back(c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '?');
    }
    if (shown < text.size()) out += "...";
    return out;
}

}  // namespace downstream::encoding
