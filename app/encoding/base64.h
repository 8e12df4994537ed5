// Base64 (RFC 4648 standard alphabet, '=' padding) and the two lenient decoders the farmers'
// libraries use. Which decoder applies is part of the wire protocol, not a matter of taste.
#pragma once

#include "base/result.h"

#include <string>
#include <string_view>

namespace downstream::encoding {

// Standard base64 with padding, identical to Python's base64.b64encode.
std::string base64_encode(std::string_view bytes);

// Python's base64.b64decode given a str (binascii, non-strict): characters outside the
// alphabet are skipped; a '=' ends the data once it completes a quad; a leftover partial quad
// is an error ("Incorrect padding"); non-ASCII input is an error. Used for signatures.
Result<std::string> base64_decode_skipping(std::string_view text);

// Python's base64.b64decode given bytes, as the heartbeat library's hb_decode calls it on
// text it first encoded to UTF-8: the same as base64_decode_skipping, except that bytes
// outside ASCII are skipped like any other character outside the alphabet. Used for the
// Merkle heartbeat's objects (tags, challenges, proofs).
Result<std::string> base64_decode_skipping_bytes(std::string_view text);
// The same into `out`: its content is replaced (also on failure) and its capacity reused, so
// a decoder of many small strings allocates once.
Status base64_decode_skipping_bytes(std::string_view text, std::string& out);

// Crypto++'s Base64Decoder as the Swizzle extension uses it: decoding stops at the first '='
// or the first character outside the alphabet; a final group of 2 or 3 characters gives 1 or
// 2 bytes, a single leftover character is dropped. Never fails.
std::string base64_decode_prefix(std::string_view text);

}  // namespace downstream::encoding
