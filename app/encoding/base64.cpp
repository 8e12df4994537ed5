#include "encoding/base64.h"

#include <array>

namespace downstream::encoding {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr unsigned char kInvalid = 0xff;

constexpr std::array<unsigned char, 256> make_decode_table() {
    std::array<unsigned char, 256> table{};
    for (auto& entry : table) entry = kInvalid;
    for (unsigned char i = 0; i < 64; ++i) table[static_cast<unsigned char>(kAlphabet[i])] = i;
    return table;
}

constexpr auto kDecode = make_decode_table();

// Accumulates 6-bit values into bytes.
class SextetSink {
public:
    explicit SextetSink(std::size_t capacity) { out_.reserve(capacity); }
    void push(unsigned v) {
        switch (quad_pos_) {
        case 0: left_ = v; quad_pos_ = 1; break;
        case 1: out_ += static_cast<char>((left_ << 2) | (v >> 4)); left_ = v & 0x0f; quad_pos_ = 2; break;
        case 2: out_ += static_cast<char>((left_ << 4) | (v >> 2)); left_ = v & 0x03; quad_pos_ = 3; break;
        default: out_ += static_cast<char>((left_ << 6) | v); left_ = 0; quad_pos_ = 0; break;
        }
    }
    int quad_pos() const { return quad_pos_; }
    std::string take() { return std::move(out_); }

private:
    std::string out_;
    unsigned left_ = 0;
    int quad_pos_ = 0;
};

}  // namespace

std::string base64_encode(std::string_view bytes) {
    std::string text;
    text.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    const auto at = [&](std::size_t k) { return static_cast<unsigned char>(bytes[k]); };
    for (; i + 3 <= bytes.size(); i += 3) {
        const unsigned v = (at(i) << 16) | (at(i + 1) << 8) | at(i + 2);
        text += kAlphabet[v >> 18];
        text += kAlphabet[(v >> 12) & 63];
        text += kAlphabet[(v >> 6) & 63];
        text += kAlphabet[v & 63];
    }
    if (bytes.size() - i == 1) {
        const unsigned v = at(i) << 16;
        text += kAlphabet[v >> 18];
        text += kAlphabet[(v >> 12) & 63];
        text += "==";
    } else if (bytes.size() - i == 2) {
        const unsigned v = (at(i) << 16) | (at(i + 1) << 8);
        text += kAlphabet[v >> 18];
        text += kAlphabet[(v >> 12) & 63];
        text += kAlphabet[(v >> 6) & 63];
        text += '=';
    }
    return text;
}

Result<std::string> base64_decode_skipping(std::string_view text) {
    SextetSink sink(text.size() / 4 * 3 + 3);
    int pads = 0;
    for (char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        // Python refuses a str with non-ASCII characters before decoding anything.
        if (c >= 0x80) return make_error("base64 text contains non-ASCII characters");
    }
    for (char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '=') {
            // binascii: padding completes a quad once at least two data characters are in it.
            if (sink.quad_pos() >= 2 && sink.quad_pos() + ++pads >= 4) return sink.take();
            continue;
        }
        const unsigned char v = kDecode[c];
        if (v == kInvalid) continue;
        pads = 0;
        sink.push(v);
    }
    if (sink.quad_pos() == 1)
        return make_error("invalid base64: one data character more than a multiple of 4");
    if (sink.quad_pos() != 0) return make_error("invalid base64: incorrect padding");
    return sink.take();
}

std::string base64_decode_prefix(std::string_view text) {
    // Only the prefix of alphabet characters counts ('=' is outside the alphabet too).
    std::size_t valid = 0;
    while (valid < text.size() && kDecode[static_cast<unsigned char>(text[valid])] != kInvalid)
        ++valid;
    // A final group of 2 or 3 characters gives 1 or 2 bytes; a single leftover character
    // carries fewer than 8 bits and yields nothing.
    const std::size_t tail = valid % 4;
    std::string out(valid / 4 * 3 + (tail >= 2 ? tail - 1 : 0), '\0');
    const auto at = [&](std::size_t k) -> unsigned {
        return kDecode[static_cast<unsigned char>(text[k])];
    };
    std::size_t i = 0, o = 0;
    for (; i + 4 <= valid; i += 4, o += 3) {
        const unsigned v = (at(i) << 18) | (at(i + 1) << 12) | (at(i + 2) << 6) | at(i + 3);
        out[o] = static_cast<char>(v >> 16);
        out[o + 1] = static_cast<char>((v >> 8) & 0xff);
        out[o + 2] = static_cast<char>(v & 0xff);
    }
    if (tail >= 2) {
        const unsigned v = (at(i) << 18) | (at(i + 1) << 12) | (tail == 3 ? at(i + 2) << 6 : 0);
        out[o] = static_cast<char>(v >> 16);
        if (tail == 3) out[o + 1] = static_cast<char>((v >> 8) & 0xff);
    }
    return out;
}

}  // namespace downstream::encoding
