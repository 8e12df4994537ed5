// The Swizzle per-file state: n and the file's two PRF keys, encrypted and MACed under the
// node's keys. The node keeps it; nobody else can read or forge it.
//
// Layout (144 bytes; SWIZZLE.md §5.4), all lengths u32:
//   140 ‖ [ 100 ‖ signed ‖ 32 ‖ HMAC-SHA256(k_mac, signed) ]
//   signed = n ‖ 16 ‖ IV ‖ 72 ‖ AES-256-CFB128(k_enc, IV, 32 ‖ k_f ‖ 32 ‖ k_alpha)
#pragma once

#include "base/result.h"
#include "proof/swizzle_heartbeat.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace downstream::proof {

// The secrets of one encoded file: the keys of f = PRF(k_f, p) and alpha = PRF(k_alpha, p).
struct SwizzleFileKeys {
    std::string f_key;
    std::string alpha_key;
};

// A state whose MAC checked out: n from the signed data and the decrypted file keys (each 16,
// 24 or 32 bytes).
struct SwizzleOpenedState {
    std::uint32_t n = 0;
    SwizzleFileKeys keys;
};

// A parsed (not yet authenticated) state.
class SwizzleState {
public:
    // Reads the outer length (at most kSwizzleMaxStateRawBytes), that many bytes, and n from
    // them, without checking the MAC; trailing bytes are ignored.
    static Result<SwizzleState> parse(std::string_view bytes);

    // Encrypts and MACs a state with a caller-chosen IV (16 bytes; the encoder draws it fresh).
    static SwizzleState seal(const SwizzleKeys& keys, std::uint32_t n,
                             const SwizzleFileKeys& file_keys, std::string_view iv);

    // The serialisation: u32 raw length ‖ raw.
    std::string serialize() const;
    // n as written, unauthenticated (public information).
    std::uint32_t n() const { return n_; }

    // Checks and decrypts the state as the reference does. nullopt when the check fails: a
    // MAC length other than 32 or a wrong MAC, and always for a public heartbeat (`keys` null).
    // An Error when the raw data is too short for the lengths it claims, or when
    // authenticated contents cannot be decoded.
    Result<std::optional<SwizzleOpenedState>> open(const SwizzleKeys* keys) const;

private:
    SwizzleState(std::string raw, std::uint32_t n) : raw_(std::move(raw)), n_(n) {}
    std::string raw_;
    std::uint32_t n_;
};

}  // namespace downstream::proof
