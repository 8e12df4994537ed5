#include "encoding/base64.h"

#include <array>
#include <cstdint>

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

// The sextet of each character already shifted to its place in a quad's 24 bits; characters
// outside the alphabet (padding included) set a bit above them, so one test after OR-ing a
// quad's four entries tells whether all four were alphabet characters.
struct QuadTables {
    std::array<std::uint32_t, 256> shifted[4];
};
constexpr std::uint32_t kNotInAlphabet = 0x01000000;

constexpr QuadTables make_quad_tables() {
    QuadTables tables{};
    for (int place = 0; place < 4; ++place) {
        for (int c = 0; c < 256; ++c) {
            const unsigned char v = kDecode[static_cast<std::size_t>(c)];
            tables.shifted[place][static_cast<std::size_t>(c)] =
                v == kInvalid ? kNotInAlphabet : std::uint32_t{v} << (18 - 6 * place);
        }
    }
    return tables;
}

constexpr auto kQuad = make_quad_tables();

// Accumulates 6-bit values into bytes at `out` (sized beforehand for the most output the
// text can give), from position `size`.
class SextetSink {
public:
    SextetSink(char* out, std::size_t size) : out_(out), size_(size) {}
    void push(unsigned v) {
        switch (quad_pos_) {
        case 0: left_ = v; quad_pos_ = 1; break;
        case 1: put((left_ << 2) | (v >> 4)); left_ = v & 0x0f; quad_pos_ = 2; break;
        case 2: put((left_ << 4) | (v >> 2)); left_ = v & 0x03; quad_pos_ = 3; break;
        default: put((left_ << 6) | v); left_ = 0; quad_pos_ = 0; break;
        }
    }
    int quad_pos() const { return quad_pos_; }
    std::size_t size() const { return size_; }

private:
    void put(unsigned byte) { out_[size_++] = static_cast<char>(byte & 0xff); }
    char* out_;
    std::size_t size_;
    unsigned left_ = 0;
    int quad_pos_ = 0;
};

// The most bytes the text of `length` characters can decode to.
constexpr std::size_t max_decoded_size(std::size_t length) { return length / 4 * 3 + 3; }

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

// binascii.a2b_base64 in its default, non-strict mode: decodes into `out`, which has room for
// max_decoded_size(text.size()) bytes, and returns how many it wrote.
Result<std::size_t> a2b_base64(std::string_view text, char* out) {
    // Fast path: the leading run of whole quads of alphabet characters (all of well-formed
    // text but its last quad), with the pointers in locals so the stores cannot make the
    // compiler reload them.
    const auto* src = reinterpret_cast<const unsigned char*>(text.data());
    char* dst = out;
    std::size_t i = 0;
    for (; i + 4 <= text.size(); i += 4) {
        const std::uint32_t v = kQuad.shifted[0][src[i]] | kQuad.shifted[1][src[i + 1]] |
                                kQuad.shifted[2][src[i + 2]] | kQuad.shifted[3][src[i + 3]];
        if (v & kNotInAlphabet) break;
        dst[0] = static_cast<char>(v >> 16);
        dst[1] = static_cast<char>((v >> 8) & 0xff);
        dst[2] = static_cast<char>(v & 0xff);
        dst += 3;
    }
    // The rest character by character, with binascii's rules for padding and foreign
    // characters. The fast path ended on a quad boundary, with no padding seen.
    SextetSink sink(out, static_cast<std::size_t>(dst - out));
    int pads = 0;
    bool padded = false;  // padding completed the last quad: the data ends there
    for (; i < text.size() && !padded; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '=') {
            // binascii: padding completes a quad once at least two data characters are in it.
            padded = sink.quad_pos() >= 2 && sink.quad_pos() + ++pads >= 4;
            continue;
        }
        const unsigned char v = kDecode[c];
        if (v == kInvalid) continue;
        pads = 0;
        sink.push(v);
    }
    if (padded) return sink.size();
    if (sink.quad_pos() == 1)
        return make_error("invalid base64: one data character more than a multiple of 4");
    if (sink.quad_pos() != 0) return make_error("invalid base64: incorrect padding");
    return sink.size();
}

// a2b_base64 into a string, replacing its content and reusing its capacity.
Status a2b_base64(std::string_view text, std::string& out) {
    // Short texts (every Merkle node and blob) decode on the stack and are copied once, so
    // the string is neither zero-filled nor resized twice.
    constexpr std::size_t kStackText = 256;
    if (text.size() <= kStackText) {
        char buffer[max_decoded_size(kStackText)];
        auto size = a2b_base64(text, buffer);
        if (!size.ok()) {
            out.clear();
            return size.error();
        }
        out.assign(buffer, *size);
        return {};
    }
    out.resize(max_decoded_size(text.size()));
    auto size = a2b_base64(text, out.data());
    out.resize(size.ok() ? *size : 0);
    if (!size.ok()) return size.error();
    return {};
}

}  // namespace

Result<std::string> base64_decode_skipping(std::string_view text) {
    for (char ch : text) {
        // Python refuses a str with non-ASCII characters before decoding anything.
        if (static_cast<unsigned char>(ch) >= 0x80)
            return make_error("base64 text contains non-ASCII characters");
    }
    std::string out;
    if (auto status = a2b_base64(text, out); !status.ok()) return status.error();
    return out;
}

Result<std::string> base64_decode_skipping_bytes(std::string_view text) {
    std::string out;
    if (auto status = base64_decode_skipping_bytes(text, out); !status.ok()) return status.error();
    return out;
}

Status base64_decode_skipping_bytes(std::string_view text, std::string& out) {
    // Bytes >= 0x80 are outside the alphabet, so a2b_base64 skips them.
    return a2b_base64(text, out);
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
