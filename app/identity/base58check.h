// Base58 and base58check text (Bitcoin's alphabet), read exactly as the farmers' libraries read it.
//
// Two readings exist because the reference node used two libraries: `base58` 1.0.3 decides
// whether an SJCX address is acceptable at all (base58check_decode), and pycoin 0.52 reads the
// address a signed message names (base58check_decode_exact, used by bitcoin_address.h). They
// differ only in whitespace: `base58` strips trailing whitespace first, pycoin strips nothing.
#pragma once

#include "base/result.h"

#include <string>
#include <string_view>

namespace downstream::identity {

// Base58 text of `bytes`: each leading zero byte becomes a '1', the rest is the big-endian
// number in base 58. The empty string encodes as the empty text.
std::string base58_encode(std::string_view bytes);

// base58check text of `payload`: base58 of payload ‖ the first 4 bytes of its double SHA-256.
std::string base58check_encode(std::string_view payload);

// A base58check text that decoded, and the form of it that was decoded.
struct Base58Check {
    std::string payload;    // the decoded bytes without the 4-byte checksum (may be empty)
    std::string canonical;  // the text with its trailing whitespace removed
};

// Decodes `text` as `base58.b58decode_check` (1.0.3) does, and fails where it raises:
//  * trailing whitespace (anything Python's str.isspace() accepts, in UTF-8) is removed first;
//  * text that is not valid UTF-8 or keeps a non-ASCII character fails;
//  * any other character outside the alphabet (0 O I l +, leading whitespace, ...) fails;
//  * each leading '1' is a zero byte;
//  * only the checksum is checked: any version byte and any payload length, even empty.
// The error message names the reason in words fit for a farmer.
Result<Base58Check> base58check_decode(std::string_view text);

// Decodes `text` as pycoin's a2b_hashed_base58 does: as base58check_decode but with nothing
// stripped, so any whitespace or non-alphabet byte fails. Returns the payload.
Result<std::string> base58check_decode_exact(std::string_view text);

}  // namespace downstream::identity
