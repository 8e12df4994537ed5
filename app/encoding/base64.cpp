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

namespace {

// binascii.a2b_base64 in its default, non-strict mode.
Result<std::string> a2b_base64(std::string_view text) {
    SextetSink sink(text.size() / 4 * 3 + 3);
    int pads = 0;
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

}  // namespace

Result<std::string> base64_decode_skipping(std::string_view text) {
    for (char ch : text) {
        // Python refuses a str with non-ASCII characters before decoding anything.
        if (static_cast<unsigned char>(ch) >= 0x80)
            return make_error("base64 text contains non-ASCII characters");
    }
    return a2b_base64(text);
}

Result<std::string> base64_decode_skipping_bytes(std::string_view text) {
    // Bytes >= 0x80 are outside the alphabet, so a2b_base64 skips them.
    return a2b_base64(text);
}

std::string base64_decode_prefix(std::string_view text) {
    SextetSink sink(text.size() / 4 * 3 + 3);
    for (char ch : text) {
        const unsigned char v = kDecode[static_cast<unsigned char>(ch)];
        if (v == kInvalid) break;  // '=' is outside the alphabet too
        sink.push(v);
    }
    // A dangling single character carries fewer than 8 bits and yields nothing.
    return sink.take();
}

}  // namespace downstream::encoding
