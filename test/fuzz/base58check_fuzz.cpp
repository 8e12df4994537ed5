// Fuzzes base58check text (identity/base58check.h) and P2PKH addresses
// (identity/bitcoin_address.h): the SJCX address in `/new/<address>` and in signed messages.
//
// Invariants: decoding returns errors, never throws; what decodes re-encodes to exactly the
// text decoded (base58 has one spelling per byte string), which is the input without its
// trailing white space; the exact reading accepts a subset of the lenient one, with the same
// payload; any bytes survive encoding and decoding; an address's HASH160 rebuilds the address.
//
// Inputs stay near what a URL segment can carry (the router caps text parameters at 512
// bytes); base58 arithmetic is quadratic in the length, so longer ones only slow the search.
// fuzz-args: -max_len=600
#include "fuzz/fuzz_check.h"
#include "identity/base58check.h"
#include "identity/bitcoin_address.h"

#include <string>

using namespace downstream;
using namespace downstream::identity;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);

    const auto lenient = base58check_decode(text);
    if (lenient.ok()) {
        FUZZ_CHECK(text.compare(0, lenient->canonical.size(), lenient->canonical) == 0);
        FUZZ_CHECK_MSG(base58check_encode(lenient->payload) == lenient->canonical, fuzz::shown(text));
    } else {
        FUZZ_CHECK(!lenient.error().message.empty());
    }

    const auto exact = base58check_decode_exact(text);
    if (exact.ok()) {
        FUZZ_CHECK(lenient.ok() && lenient->payload == *exact && lenient->canonical == text);
    }

    const auto hash = p2pkh_hash160(text);
    if (hash.ok()) {
        FUZZ_CHECK(hash->size() == kHash160Size);
        FUZZ_CHECK(p2pkh_address(*hash) == text);
    }

    // Any bytes as a payload (the first 64: encoding is quadratic and payloads are short),
    // and as a HASH160 when they have the size of one.
    const std::string_view payload = text.substr(0, 64);
    const std::string encoded = base58check_encode(payload);
    const auto decoded = base58check_decode(encoded);
    FUZZ_CHECK(decoded.ok() && decoded->payload == payload && decoded->canonical == encoded);
    const auto decoded_exact = base58check_decode_exact(encoded);
    FUZZ_CHECK(decoded_exact.ok() && *decoded_exact == payload);
    if (size == kHash160Size) {
        const auto back = p2pkh_hash160(p2pkh_address(text));
        FUZZ_CHECK(back.ok() && *back == text);
    }
    return 0;
}
