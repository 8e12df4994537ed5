// Fuzzes the three base64 decoders (encoding/base64.h) on arbitrary text.
//
// Each decoder's fast paths (whole quads from tables, short texts on the stack, a reused
// output buffer) are held to a plain character-by-character model of the rule its header
// states; encoding then decoding gives the bytes back.
#include "encoding/base64.h"
#include "fuzz/fuzz_check.h"

#include <optional>
#include <string>
#include <string_view>

using namespace downstream;
using namespace downstream::encoding;

namespace {

int sextet(unsigned char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

// Collects sextets into bytes.
struct Bits {
    std::string out;
    unsigned acc = 0;
    int count = 0;  // sextets in the current quad
    void push(int v) {
        acc = (acc << 6) | static_cast<unsigned>(v);
        if (++count == 4) flush_quad();
    }
    void flush_quad() {
        out += static_cast<char>((acc >> 16) & 0xff);
        out += static_cast<char>((acc >> 8) & 0xff);
        out += static_cast<char>(acc & 0xff);
        acc = 0;
        count = 0;
    }
    // A partial quad of 2 or 3 sextets as the 1 or 2 whole bytes it holds.
    void flush_partial() {
        if (count == 2) out += static_cast<char>((acc >> 4) & 0xff);
        if (count == 3) {
            out += static_cast<char>((acc >> 10) & 0xff);
            out += static_cast<char>((acc >> 2) & 0xff);
        }
        acc = 0;
        count = 0;
    }
};

// binascii.a2b_base64, non-strict: foreign characters skipped; '=' ends the data once it
// completes a quad holding at least two data characters; a partial quad left is an error.
std::optional<std::string> model_binascii(std::string_view text) {
    Bits bits;
    int pads = 0;
    for (unsigned char c : text) {
        if (c == '=') {
            if (bits.count >= 2 && bits.count + ++pads >= 4) {
                bits.flush_partial();
                return bits.out;
            }
            continue;
        }
        const int v = sextet(c);
        if (v < 0) continue;
        pads = 0;
        bits.push(v);
    }
    if (bits.count != 0) return std::nullopt;
    return bits.out;
}

// Crypto++'s decoder as Swizzle uses it: the prefix of alphabet characters only.
std::string model_prefix(std::string_view text) {
    Bits bits;
    for (unsigned char c : text) {
        const int v = sextet(c);
        if (v < 0) break;
        bits.push(v);
    }
    bits.flush_partial();
    return bits.out;
}

bool has_non_ascii(std::string_view text) {
    for (char c : text)
        if (static_cast<unsigned char>(c) >= 0x80) return true;
    return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const std::optional<std::string> model = model_binascii(text);

    // Signatures: refuses non-ASCII text, otherwise binascii.
    const Result<std::string> strict = base64_decode_skipping(text);
    if (has_non_ascii(text)) {
        FUZZ_CHECK(!strict.ok());
    } else {
        FUZZ_CHECK(strict.ok() == model.has_value());
        if (strict.ok()) FUZZ_CHECK_MSG(*strict == *model, fuzz::shown(*strict));
    }
    if (!strict.ok()) FUZZ_CHECK(!strict.error().message.empty());

    // Merkle objects: binascii with non-ASCII bytes skipped like any foreign character.
    const Result<std::string> lenient = base64_decode_skipping_bytes(text);
    FUZZ_CHECK(lenient.ok() == model.has_value());
    if (lenient.ok()) {
        FUZZ_CHECK_MSG(*lenient == *model, fuzz::shown(*lenient));
        FUZZ_CHECK(lenient->size() <= text.size() / 4 * 3 + 3);
    }
    // The overload into a reused buffer: same answer whatever the buffer held before.
    std::string reused(size % 300, 'x');
    const Status into = base64_decode_skipping_bytes(text, reused);
    FUZZ_CHECK(into.ok() == lenient.ok());
    if (into.ok()) FUZZ_CHECK(reused == *lenient);

    // Swizzle: never fails.
    FUZZ_CHECK_MSG(base64_decode_prefix(text) == model_prefix(text), fuzz::shown(text));

    // Any bytes survive encoding and each decoder.
    const std::string encoded = base64_encode(text);
    FUZZ_CHECK(encoded.size() == (size + 2) / 3 * 4);
    const Result<std::string> back = base64_decode_skipping(encoded);
    FUZZ_CHECK(back.ok() && *back == text);
    const Result<std::string> back_bytes = base64_decode_skipping_bytes(encoded);
    FUZZ_CHECK(back_bytes.ok() && *back_bytes == text);
    FUZZ_CHECK(base64_decode_prefix(encoded) == text);
    return 0;
}
