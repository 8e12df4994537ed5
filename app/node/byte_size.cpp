#include "node/byte_size.h"

#include <cctype>
#include <cstdio>
#include <limits>

namespace downstream::node {

Result<std::int64_t> parse_byte_size(std::string_view text) {
    const std::string original(text);
    std::size_t i = 0;
    std::int64_t value = 0;
    constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
        const int digit = text[i] - '0';
        if (value > (kMax - digit) / 10) return make_error("size '" + original + "' is too large");
        value = value * 10 + digit;
        ++i;
    }
    if (i == 0) return make_error("'" + original + "' is not a size (e.g. 32768, 32K, 1M)");
    std::string suffix;
    for (; i < text.size(); ++i) suffix += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
    int shift = 0;
    if (suffix.empty() || suffix == "b") shift = 0;
    else if (suffix == "k" || suffix == "kib" || suffix == "kb") shift = 10;
    else if (suffix == "m" || suffix == "mib" || suffix == "mb") shift = 20;
    else if (suffix == "g" || suffix == "gib" || suffix == "gb") shift = 30;
    else if (suffix == "t" || suffix == "tib" || suffix == "tb") shift = 40;
    else return make_error("'" + original + "' is not a size (e.g. 32768, 32K, 1M)");
    if (value > (kMax >> shift)) return make_error("size '" + original + "' is too large");
    value <<= shift;
    if (value <= 0) return make_error("size '" + original + "' must be at least 1 byte");
    return value;
}

std::string format_byte_size(std::int64_t bytes) {
    static const char* const kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double value = static_cast<double>(bytes);
    int unit = 0;
    while (value >= 1024 && unit < 4) {
        value /= 1024;
        ++unit;
    }
    char text[32];
    if (unit == 0 || value == static_cast<double>(static_cast<std::int64_t>(value)))
        std::snprintf(text, sizeof text, "%.0f %s", value, kUnits[unit]);
    else
        std::snprintf(text, sizeof text, "%.1f %s", value, kUnits[unit]);
    return text;
}

}  // namespace downstream::node
