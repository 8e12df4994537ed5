// Fuzzes token text (identity/token.h), hex (encoding/hex.h) and percent-decoding
// (encoding/percent_encoding.h): what a `<token>` in a URL goes through.
//
// Invariants: a token parses exactly when the text is 32 hex digits, whatever their case,
// and its canonical text is the lower-case input; its farmer id is the first 20 hex digits of
// its storage hash; hex decodes exactly the even-length hex texts and round-trips; percent-
// decoding never grows text and undoes the escaping of any bytes.
#include "encoding/hex.h"
#include "encoding/percent_encoding.h"
#include "fuzz/fuzz_check.h"
#include "identity/token.h"

#include <cctype>
#include <string>

using namespace downstream;
using namespace downstream::identity;

namespace {

bool all_hex(std::string_view text) {
    for (char c : text)
        if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
    return true;
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string percent_encode_all(std::string_view bytes) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (char c : bytes) {
        const auto b = static_cast<unsigned char>(c);
        out += '%';
        out += kHex[b >> 4];
        out += kHex[b & 15];
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);

    const auto token = Token::parse(text);
    const bool well_formed = size == kTokenTextLength && all_hex(text);
    FUZZ_CHECK_MSG(token.ok() == well_formed, fuzz::shown(text));
    FUZZ_CHECK(encoding::is_hex(text, kTokenTextLength) == well_formed);
    if (token.ok()) {
        FUZZ_CHECK(token->bytes().size() == kTokenSize);
        FUZZ_CHECK(token->text() == lower(text));
        FUZZ_CHECK(token->farmer_id() == encoding::hex_encode(token->storage_hash()).substr(0, kFarmerIdLength));
        FUZZ_CHECK(farmer_id_from_storage_hash(token->storage_hash()) == token->farmer_id());
        const auto again = Token::parse(token->text());
        FUZZ_CHECK(again.ok() && again->bytes() == token->bytes());
    }

    const auto hex = encoding::hex_decode(text);
    FUZZ_CHECK(hex.ok() == (size % 2 == 0 && all_hex(text)));
    if (hex.ok()) FUZZ_CHECK(encoding::hex_encode(*hex) == lower(text));
    const auto bytes_back = encoding::hex_decode(encoding::hex_encode(text));
    FUZZ_CHECK(bytes_back.ok() && *bytes_back == text);

    const auto decoded = encoding::percent_decode(text);
    if (decoded.ok()) {
        FUZZ_CHECK(decoded->size() <= size);
        if (text.find('%') == std::string_view::npos) FUZZ_CHECK(*decoded == text);
    } else {
        FUZZ_CHECK(text.find('%') != std::string_view::npos);
    }
    const auto unescaped = encoding::percent_decode(percent_encode_all(text));
    FUZZ_CHECK(unescaped.ok() && *unescaped == text);
    return 0;
}
