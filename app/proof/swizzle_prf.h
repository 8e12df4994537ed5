// The Swizzle keyed PRF: PRF(K, L)(i) maps a 32-bit input to an integer in [0, L).
//
// SWIZZLE.md §3: the block is SHA-256 of the 4-byte little-endian input, cut or zero-padded to
// w = bytelen(L) bytes; one AES-CFB-128 encryptor (key K, zero IV) encrypts that block again
// and again, its stream continuing across attempts; each attempt's w bytes, with the top byte
// masked to bitlen(L) bits in all, is accepted when below L. After 81 rejections the last
// value is returned even though it is >= L (probability at most 2^-81). Not the Merkle
// scheme's keyed PRF.
#pragma once

#include "base/result.h"
#include "proof/big_number.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace downstream::proof {

inline constexpr int kSwizzlePrfMaxAttempts = 81;

// One PRF output and how many encryptions it took (1..81).
struct SwizzlePrfOutput {
    BigNumber value;
    int attempts = 0;
};

// PRF(K, L) for a fixed key and limit; evaluate() is const and thread-safe.
class SwizzlePrf {
public:
    // Fails for a key that is not 16, 24 or 32 bytes or a zero limit (which would make the
    // reference loop forever).
    static Result<SwizzlePrf> create(std::string_view key, const BigNumber& limit);

    SwizzlePrfOutput evaluate(std::uint32_t input) const;

private:
    SwizzlePrf(std::string key, std::string limit_bytes, unsigned char mask)
        : key_(std::move(key)), limit_bytes_(std::move(limit_bytes)), mask_(mask) {}

    std::string key_;
    std::string limit_bytes_;  // L big-endian in exactly w bytes
    unsigned char mask_;       // applied to the top byte of each attempt
};

}  // namespace downstream::proof
