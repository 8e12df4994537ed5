// The Swizzle heartbeat: the scheme's parameters (s, S, p) and, in its private form, the node's
// two keys that protect every file's state.
//
// Private serialisation (213 bytes for a 128-byte p):
//   u8 flags (00) ‖ u32 32 ‖ k_enc ‖ u32 32 ‖ k_mac ‖ u32 s ‖ u32 S ‖ Int p
// Public serialisation (141 bytes), what farmers receive:
//   u8 flags (01) ‖ u32 s ‖ u32 S ‖ Int p
// Only bit 0 of flags means anything ("public: the key fields are absent").
#pragma once

#include "base/result.h"
#include "proof/big_number.h"
#include "proof/swizzle_random_source.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace downstream::proof {

// The node's secrets: the AES-256 key and the HMAC-SHA256 key of every file's state.
struct SwizzleKeys {
    std::string encryption;  // k_enc, 32 bytes
    std::string mac;         // k_mac, 32 bytes
};

// Bit length of the primes this node generates: 1023 bits gives S = 127, so every sector value
// is below p and a sector's bytes map one-to-one to its residue (docs/DECISIONS.md).
inline constexpr int kSwizzleGeneratedModulusBits = 1023;

// The sectors per chunk of a new heartbeat, as in the reference.
inline constexpr std::uint32_t kSwizzleDefaultSectors = 10;

// A validated heartbeat: 1 <= s <= kSwizzleMaxSectors, 1 <= S <= kSwizzleMaxSectorSize,
// kSwizzleMinModulusBits <= bitlen(p) <= kSwizzleMaxValueBits, keys (when present) 32 bytes
// each. Movable, not copyable.
class SwizzleHeartbeat {
public:
    // Checks the bounds above; the reference's sector size floor(bitlen(p)/8) is not enforced,
    // since S is stored and always read from the object.
    static Result<SwizzleHeartbeat> create(std::optional<SwizzleKeys> keys, std::uint32_t sectors,
                                           std::uint32_t sector_size, BigNumber p);
    // Either serialisation; trailing bytes are ignored. Errors use the reference's messages
    // where it has one, then the bounds above.
    static Result<SwizzleHeartbeat> parse(std::string_view bytes);
    // A fresh private heartbeat: k_enc then k_mac drawn from `random`, a new
    // kSwizzleGeneratedModulusBits-bit prime from OpenSSL, S = floor(bitlen(p)/8).
    static SwizzleHeartbeat generate(RandomSource& random,
                                     std::uint32_t sectors = kSwizzleDefaultSectors);

    SwizzleHeartbeat(SwizzleHeartbeat&&) noexcept = default;
    SwizzleHeartbeat& operator=(SwizzleHeartbeat&&) noexcept = default;

    // The private serialisation when keys are present, else the public one.
    std::string serialize() const;
    // The same parameters without the keys.
    SwizzleHeartbeat public_heartbeat() const;

    bool is_public() const { return !keys_.has_value(); }
    // nullptr for a public heartbeat.
    const SwizzleKeys* keys() const { return keys_ ? &*keys_ : nullptr; }
    std::uint32_t sectors() const { return sectors_; }
    std::uint32_t sector_size() const { return sector_size_; }
    // s · S, the bytes of one chunk.
    std::uint32_t chunk_size() const { return sectors_ * sector_size_; }
    const BigNumber& p() const { return p_; }

private:
    SwizzleHeartbeat(std::optional<SwizzleKeys> keys, std::uint32_t sectors,
                     std::uint32_t sector_size, BigNumber p)
        : keys_(std::move(keys)), sectors_(sectors), sector_size_(sector_size), p_(std::move(p)) {}

    std::optional<SwizzleKeys> keys_;
    std::uint32_t sectors_;
    std::uint32_t sector_size_;
    BigNumber p_;
};

}  // namespace downstream::proof
