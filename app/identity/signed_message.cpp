#include "identity/signed_message.h"

#include "crypto/sha256.h"
#include "encoding/base64.h"
#include "identity/bitcoin_address.h"
#include "identity/secp256k1_context.h"

#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include <array>
#include <cstring>

namespace downstream::identity {
namespace {

// A 256-bit unsigned integer as 32 big-endian bytes: all the arithmetic the checks below need
// is comparison and one subtraction.
using U256 = std::array<unsigned char, 32>;

// The order n of secp256k1's group and the prime p of its field.
constexpr U256 kOrder = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                         0xff, 0xff, 0xff, 0xff, 0xfe, 0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48,
                         0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41};
constexpr U256 kFieldPrime = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                              0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                              0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0xff, 0xfc, 0x2f};

constexpr std::size_t kCompactSignatureSize = 65;  // header ‖ r ‖ s
constexpr unsigned char kHeaderBase = 27;
constexpr unsigned char kHeaderCompressed = 4;

// The integer bytes[from:to] stands for, with Python's slice semantics (a short byte string
// gives a short slice, which is a smaller number): that is how the reference reads r and s.
U256 read_slice(std::string_view bytes, std::size_t from, std::size_t to) {
    U256 value{};
    if (from >= bytes.size()) return value;
    const std::string_view slice = bytes.substr(from, to - from);
    std::memcpy(value.data() + value.size() - slice.size(), slice.data(), slice.size());
    return value;
}

int compare(const U256& a, const U256& b) { return std::memcmp(a.data(), b.data(), a.size()); }

bool is_zero(const U256& a) {
    for (unsigned char byte : a)
        if (byte != 0) return false;
    return true;
}

// a - b for a >= b.
U256 subtract(const U256& a, const U256& b) {
    U256 out{};
    int borrow = 0;
    for (std::size_t i = a.size(); i-- > 0;) {
        int d = static_cast<int>(a[i]) - static_cast<int>(b[i]) - borrow;
        borrow = d < 0 ? 1 : 0;
        out[i] = static_cast<unsigned char>(d + (borrow << 8));
    }
    return out;
}

const secp256k1_context* context() { return Secp256k1Context::shared().get(); }

// True when some curve point has the x coordinate x mod p. pycoin reduces r modulo p when it
// builds the point R (and asserts that R is on the curve), so r in [p, 2^256) counts as r - p.
bool is_curve_x(const U256& r) {
    const U256 x = compare(r, kFieldPrime) >= 0 ? subtract(r, kFieldPrime) : r;
    std::array<unsigned char, 33> compressed{};
    compressed[0] = 0x02;
    std::memcpy(compressed.data() + 1, x.data(), x.size());
    secp256k1_pubkey point;
    return secp256k1_ec_pubkey_parse(context(), &point, compressed.data(), compressed.size()) == 1;
}

std::string serialize(const secp256k1_pubkey& key, KeyForm form) {
    unsigned char out[65];
    std::size_t length = sizeof out;
    secp256k1_ec_pubkey_serialize(
        context(), out, &length, &key,
        form == KeyForm::Compressed ? SECP256K1_EC_COMPRESSED : SECP256K1_EC_UNCOMPRESSED);
    return std::string(reinterpret_cast<const char*>(out), length);
}

Result<secp256k1_pubkey> public_key_of(std::string_view secret) {
    const auto* key = reinterpret_cast<const unsigned char*>(secret.data());
    if (secret.size() != kSecretKeySize || secp256k1_ec_seckey_verify(context(), key) != 1)
        return make_error("a secret key is 32 bytes encoding a number in [1, n-1]");
    secp256k1_pubkey public_key;
    if (secp256k1_ec_pubkey_create(context(), &public_key, key) != 1)
        return make_error("cannot derive the public key of the secret");
    return public_key;
}

SignatureCheck outcome(SignatureStatus status, std::string reason) {
    return SignatureCheck{status, std::move(reason)};
}

}  // namespace

std::string bitcoin_varint(std::uint64_t value) {
    std::string out;
    int bytes = 0;
    if (value < 0xfd) {
        return std::string(1, static_cast<char>(value));
    } else if (value <= 0xffff) {
        out += '\xfd';
        bytes = 2;
    } else if (value <= 0xffffffffULL) {
        out += '\xfe';
        bytes = 4;
    } else {
        out += '\xff';
        bytes = 8;
    }
    for (int i = 0; i < bytes; ++i) out += static_cast<char>((value >> (8 * i)) & 0xff);
    return out;
}

std::string signed_message_preimage(std::string_view message) {
    std::string preimage = "\x18" "Bitcoin Signed Message:\n";
    preimage += bitcoin_varint(message.size());
    preimage += message;
    return preimage;
}

std::string signed_message_hash(std::string_view message) {
    return crypto::double_sha256(signed_message_preimage(message));
}

SignatureCheck verify_signed_message(std::string_view address, std::string_view message,
                                     std::string_view signature) {
    // The order of the checks is the reference's: it matters for which of "returns False" and
    // "raises" an input with several faults gets.
    if (signature.size() != kSignatureTextLength)
        return outcome(SignatureStatus::BadSignatureText,
                       "signature must be 88 base64 characters, not " +
                           std::to_string(signature.size()));
    const auto decoded = encoding::base64_decode_skipping(signature);
    if (!decoded.ok())
        return outcome(SignatureStatus::BadSignatureText,
                       "signature is not valid base64 (" + decoded.error().message + ")");
    const std::string& bytes = decoded.value();

    // Bytes after the 65th are ignored; byte 0, the header, is never looked at.
    const U256 r = read_slice(bytes, 1, 33);
    const U256 s = read_slice(bytes, 33, 65);
    if (is_zero(r)) return outcome(SignatureStatus::BadSignatureValue, "signature has r = 0");
    if (compare(r, kOrder) == 0)
        return outcome(SignatureStatus::BadSignatureValue, "signature has r equal to the group order");
    if (!is_curve_x(r))
        return outcome(SignatureStatus::BadSignatureValue,
                       "signature's r is not the x coordinate of a point on secp256k1");

    const auto expected_hash160 = p2pkh_hash160(address);
    if (!expected_hash160.ok())
        return outcome(SignatureStatus::BadAddress, expected_hash160.error().message);

    if (bytes.size() < kCompactSignatureSize)
        return outcome(SignatureStatus::BadSignatureText,
                       "signature decodes to " + std::to_string(bytes.size()) +
                           " bytes, a signature has 65");
    // pycoin recovers candidate keys for these too, but its own check of (r, s) then rejects
    // every candidate, so such a signature never verifies.
    if (compare(r, kOrder) > 0)
        return outcome(SignatureStatus::Mismatch, "signature's r is not below the group order");
    if (is_zero(s) || compare(s, kOrder) >= 0)
        return outcome(SignatureStatus::Mismatch,
                       "signature's s is zero or not below the group order");

    std::array<unsigned char, 64> compact{};
    std::memcpy(compact.data(), r.data(), r.size());
    std::memcpy(compact.data() + r.size(), s.data(), s.size());
    const std::string hash = signed_message_hash(message);
    // Recovery ids 0 and 1 are the two points with x = r (even and odd y), the two candidates
    // pycoin tries; ids 2 and 3 (x = r + n) it never considers. Both are always candidates,
    // whatever the header says; trying the header's one first only saves a recovery.
    const auto header = static_cast<unsigned char>(bytes[0]);
    const int first = header >= kHeaderBase && header < kHeaderBase + 8 ? (header - kHeaderBase) & 1 : 0;
    for (int recid : {first, 1 - first}) {
        secp256k1_ecdsa_recoverable_signature parsed;
        secp256k1_pubkey key;
        if (secp256k1_ecdsa_recoverable_signature_parse_compact(context(), &parsed, compact.data(),
                                                                recid) != 1 ||
            secp256k1_ecdsa_recover(context(), &key, &parsed,
                                    reinterpret_cast<const unsigned char*>(hash.data())) != 1)
            continue;
        for (KeyForm form : {KeyForm::Compressed, KeyForm::Uncompressed})
            if (hash160(serialize(key, form)) == expected_hash160.value())
                return outcome(SignatureStatus::Verified, "");
    }
    return outcome(SignatureStatus::Mismatch,
                   "signature does not match the address and the message");
}

Result<std::string> public_key_for_secret(std::string_view secret, KeyForm form) {
    auto key = public_key_of(secret);
    if (!key.ok()) return key.error();
    return serialize(key.value(), form);
}

Result<std::string> address_for_secret(std::string_view secret, KeyForm form) {
    auto key = public_key_for_secret(secret, form);
    if (!key.ok()) return key.error();
    return p2pkh_address_for_public_key(key.value());
}

Result<std::string> sign_message(std::string_view secret, std::string_view message, KeyForm form) {
    if (auto key = public_key_of(secret); !key.ok()) return key.error();
    const std::string hash = signed_message_hash(message);
    secp256k1_ecdsa_recoverable_signature signature;
    // A null nonce function is secp256k1_nonce_function_default, i.e. RFC 6979.
    if (secp256k1_ecdsa_sign_recoverable(context(), &signature,
                                         reinterpret_cast<const unsigned char*>(hash.data()),
                                         reinterpret_cast<const unsigned char*>(secret.data()),
                                         nullptr, nullptr) != 1)
        return make_error("signing failed");
    std::array<unsigned char, 64> compact{};
    int recid = 0;
    secp256k1_ecdsa_recoverable_signature_serialize_compact(context(), compact.data(), &recid,
                                                            &signature);
    std::string bytes(1, static_cast<char>(kHeaderBase + recid +
                                           (form == KeyForm::Compressed ? kHeaderCompressed : 0)));
    bytes.append(reinterpret_cast<const char*>(compact.data()), compact.size());
    return encoding::base64_encode(bytes);
}

}  // namespace downstream::identity
