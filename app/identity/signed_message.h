// Bitcoin signed messages: verifying what a farmer signed, and signing for the test farmer.
//
// Verification reproduces the reference node's verifier (siggy 0.1.0 on pycoin 0.52) outcome
// for outcome; test/vectors/signatures.json records those outcomes. In short: the signature is
// 88 base64 characters decoded leniently; byte 0 (the header with the recovery id) is ignored;
// r = bytes 1..32 and s = bytes 33..64, big-endian; both public keys with x = r are recovered,
// and each is hashed in compressed and in uncompressed form, so a signature made with either
// key form verifies against either address; a high s verifies.
#pragma once

#include "base/result.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace downstream::identity {

inline constexpr std::size_t kSignatureTextLength = 88;
inline constexpr std::size_t kSecretKeySize = 32;

// Bitcoin's variable-length integer: one byte below 0xfd, else 0xfd/0xfe/0xff followed by the
// value in 2/4/8 little-endian bytes.
std::string bitcoin_varint(std::uint64_t value);

// The bytes whose hash a message signature signs:
// "\x18Bitcoin Signed Message:\n" ‖ varint(message byte length) ‖ message bytes.
std::string signed_message_preimage(std::string_view message);

// The 32 bytes a message signature signs: double SHA-256 of the preimage.
std::string signed_message_hash(std::string_view message);

// How a signature check ended. The comment of each value gives the reference's outcome.
enum class SignatureStatus {
    Verified,           // returns True: a recovered key's address is the given address
    Mismatch,           // returns False: well-formed, but no recovered key has this address
                        //   (also s = 0, s >= n, or n < r, which cannot verify)
    BadSignatureText,   // returns False: not 88 characters, or base64 that does not decode
    BadSignatureValue,  // raises: r = 0, r = n, or r is no curve point's x (this includes
                        //   text that decodes to so few bytes that r comes out so)
    BadAddress,         // raises: base58check fails, not 21 bytes, or version byte not 0
};

// The outcome of verify_signed_message, with a reason in words fit to show a farmer.
struct SignatureCheck {
    SignatureStatus status = SignatureStatus::Mismatch;
    std::string reason;  // empty when verified

    bool verified() const { return status == SignatureStatus::Verified; }
    // True for input that is malformed rather than merely signed by someone else.
    bool malformed() const {
        return status != SignatureStatus::Verified && status != SignatureStatus::Mismatch;
    }
};

// Checks that `signature` (the base64 text) signs `message` (its bytes, UTF-8 for text) with
// the key of `address`. Never throws for any input; safe to call from several threads at once.
// Costs one key recovery (about 70 µs here) when the header byte names the right candidate, two
// otherwise.
SignatureCheck verify_signed_message(std::string_view address, std::string_view message,
                                     std::string_view signature);

// Which serialized form of a public key an address hashes.
enum class KeyForm { Compressed, Uncompressed };

// The serialized public key (33 or 65 bytes) of a 32-byte secret. Fails for a secret that is
// not 32 bytes or not in [1, n-1].
Result<std::string> public_key_for_secret(std::string_view secret, KeyForm form);

// The P2PKH address of a 32-byte secret's public key in the given form.
Result<std::string> address_for_secret(std::string_view secret, KeyForm form);

// Signs `message` with a 32-byte secret into the 88-character base64 form: header byte
// 27 + recovery id (+ 4 for a compressed key), r, s. The nonce is RFC 6979's, so the result is
// deterministic; s is always the low one (libsecp256k1 normalizes it).
Result<std::string> sign_message(std::string_view secret, std::string_view message, KeyForm form);

}  // namespace downstream::identity
