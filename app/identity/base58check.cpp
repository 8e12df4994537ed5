#include "identity/base58check.h"

#include "crypto/sha256.h"

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace downstream::identity {
namespace {

constexpr char kAlphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
constexpr std::int8_t kNotDigit = -1;
constexpr std::size_t kChecksumSize = 4;

constexpr std::array<std::int8_t, 256> make_digit_table() {
    std::array<std::int8_t, 256> table{};
    for (auto& entry : table) entry = kNotDigit;
    for (std::int8_t i = 0; i < 58; ++i) table[static_cast<unsigned char>(kAlphabet[i])] = i;
    return table;
}
constexpr auto kDigit = make_digit_table();

// Python's str.isspace(): what str.rstrip() with no argument removes.
bool is_python_whitespace(char32_t c) {
    return (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x20) || c == 0x85 || c == 0xa0 ||
           c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 ||
           c == 0x202f || c == 0x205f || c == 0x3000;
}

// Decodes one UTF-8 sequence at text[i]; nullopt when it is not well-formed (overlong forms,
// surrogates and code points beyond U+10FFFF included).
std::optional<char32_t> next_code_point(std::string_view text, std::size_t& i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    if (lead < 0x80) {
        ++i;
        return lead;
    }
    std::size_t extra;
    char32_t c, min;
    if ((lead & 0xe0) == 0xc0) { extra = 1; c = lead & 0x1f; min = 0x80; }
    else if ((lead & 0xf0) == 0xe0) { extra = 2; c = lead & 0x0f; min = 0x800; }
    else if ((lead & 0xf8) == 0xf0) { extra = 3; c = lead & 0x07; min = 0x10000; }
    else return std::nullopt;
    if (i + extra >= text.size()) return std::nullopt;
    for (std::size_t k = 1; k <= extra; ++k) {
        if ((byte(i + k) & 0xc0) != 0x80) return std::nullopt;
        c = (c << 6) | (byte(i + k) & 0x3f);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) return std::nullopt;
    i += extra + 1;
    return c;
}

// The byte length of `text` without its trailing Python whitespace; nullopt if not UTF-8.
std::optional<std::size_t> length_without_trailing_whitespace(std::string_view text) {
    std::size_t end = 0;
    for (std::size_t i = 0; i < text.size();) {
        const auto c = next_code_point(text, i);
        if (!c) return std::nullopt;
        if (!is_python_whitespace(*c)) end = i;
    }
    return end;
}

std::string describe_byte(unsigned char c) {
    static constexpr char kHex[] = "0123456789abcdef";
    if (c >= 0x20 && c < 0x7f) return std::string("'") + static_cast<char>(c) + "'";
    return std::string("byte 0x") + kHex[c >> 4] + kHex[c & 15];
}

// The bytes a text of base58 digits stands for (every character already checked to be one).
// Works in 32-bit limbs, five digits at a time (58^5 < 2^32), so a long hostile text costs
// microseconds rather than the milliseconds of digit-by-digit byte arithmetic.
std::string base58_digits_to_bytes(std::string_view digits) {
    std::size_t zeros = 0;
    while (zeros < digits.size() && digits[zeros] == kAlphabet[0]) ++zeros;

    std::vector<std::uint32_t> limbs;  // little-endian, base 2^32
    for (std::size_t i = zeros; i < digits.size();) {
        std::uint32_t multiplier = 1;
        std::uint32_t addend = 0;
        for (int k = 0; k < 5 && i < digits.size(); ++k, ++i) {
            multiplier *= 58;
            addend = addend * 58 + static_cast<std::uint32_t>(kDigit[static_cast<unsigned char>(digits[i])]);
        }
        std::uint64_t carry = addend;
        for (auto& limb : limbs) {
            const std::uint64_t v = static_cast<std::uint64_t>(limb) * multiplier + carry;
            limb = static_cast<std::uint32_t>(v);
            carry = v >> 32;
        }
        if (carry != 0) limbs.push_back(static_cast<std::uint32_t>(carry));
    }

    std::string bytes(zeros, '\0');
    bool leading = true;
    for (auto limb = limbs.rbegin(); limb != limbs.rend(); ++limb) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            const auto b = static_cast<char>((*limb >> shift) & 0xff);
            if (leading && b == 0) continue;
            leading = false;
            bytes += b;
        }
    }
    return bytes;
}

// The payload of decoded base58check bytes, if the checksum matches.
Result<std::string> check_payload(std::string bytes) {
    if (bytes.size() < kChecksumSize)
        return make_error("address checksum does not match (too short to hold a checksum)");
    const std::string_view payload(bytes.data(), bytes.size() - kChecksumSize);
    const std::string digest = crypto::double_sha256(payload);
    if (digest.compare(0, kChecksumSize, bytes, payload.size(), kChecksumSize) != 0)
        return make_error("address checksum does not match");
    bytes.resize(payload.size());
    return bytes;
}

// Fails for the first character that is no base58 digit.
Status check_digits(std::string_view text) {
    for (char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (kDigit[c] == kNotDigit)
            return make_error("address contains " + describe_byte(c) +
                              ", which is not a base58 character");
    }
    return {};
}

}  // namespace

std::string base58_encode(std::string_view bytes) {
    std::size_t zeros = 0;
    while (zeros < bytes.size() && bytes[zeros] == '\0') ++zeros;
    // Base-58 digits, least significant first; about 138 digits per 100 bytes.
    std::vector<unsigned char> digits;
    digits.reserve((bytes.size() - zeros) * 138 / 100 + 1);
    for (std::size_t i = zeros; i < bytes.size(); ++i) {
        unsigned carry = static_cast<unsigned char>(bytes[i]);
        for (auto& d : digits) {
            carry += static_cast<unsigned>(d) << 8;
            d = static_cast<unsigned char>(carry % 58);
            carry /= 58;
        }
        while (carry != 0) {
            digits.push_back(static_cast<unsigned char>(carry % 58));
            carry /= 58;
        }
    }
    std::string text(zeros, kAlphabet[0]);
    for (auto d = digits.rbegin(); d != digits.rend(); ++d) text += kAlphabet[*d];
    return text;
}

std::string base58check_encode(std::string_view payload) {
    std::string bytes(payload);
    bytes += crypto::double_sha256(payload).substr(0, kChecksumSize);
    return base58_encode(bytes);
}

Result<Base58Check> base58check_decode(std::string_view text) {
    const auto length = length_without_trailing_whitespace(text);
    if (!length) return make_error("address is not valid UTF-8");
    const std::string_view kept = text.substr(0, *length);
    // The reference encodes to ASCII before it looks at the alphabet, so a non-ASCII
    // character anywhere wins over an earlier foreign ASCII character.
    for (char ch : kept)
        if (static_cast<unsigned char>(ch) >= 0x80)
            return make_error("address contains non-ASCII characters");
    if (auto digits = check_digits(kept); !digits.ok()) return digits.error();
    auto payload = check_payload(base58_digits_to_bytes(kept));
    if (!payload.ok()) return payload.error();
    return Base58Check{std::move(payload).value(), std::string(kept)};
}

Result<std::string> base58check_decode_exact(std::string_view text) {
    if (auto digits = check_digits(text); !digits.ok()) return digits.error();
    return check_payload(base58_digits_to_bytes(text));
}

}  // namespace downstream::identity
