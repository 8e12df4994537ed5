#include "encoding/hex.h"

namespace downstream::encoding {
namespace {

int digit_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::string hex_encode(std::string_view bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string text(bytes.size() * 2, '\0');
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        const auto b = static_cast<unsigned char>(bytes[i]);
        text[2 * i] = kDigits[b >> 4];
        text[2 * i + 1] = kDigits[b & 0x0f];
    }
    return text;
}

Result<std::string> hex_decode(std::string_view text) {
    if (text.size() % 2 != 0) return make_error("hex text has an odd length");
    std::string bytes(text.size() / 2, '\0');
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        const int hi = digit_value(text[2 * i]);
        const int lo = digit_value(text[2 * i + 1]);
        if (hi < 0 || lo < 0) return make_error("hex text has a non-hex character");
        bytes[i] = static_cast<char>((hi << 4) | lo);
    }
    return bytes;
}

bool is_hex(std::string_view text, std::size_t length) {
    if (text.size() != length) return false;
    for (char c : text)
        if (digit_value(c) < 0) return false;
    return true;
}

}  // namespace downstream::encoding
