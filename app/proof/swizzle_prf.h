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
#include "crypto/aes_encryptor.h"
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

// PRF(K, L) for a fixed key and limit. Each evaluation behaves as if it started a fresh
// encryptor; the object only keeps the key schedule between evaluations, so it is not
// thread-safe (make one per thread or per call). Movable, not copyable.
class SwizzlePrf {
public:
    // Fails for a key that is not 16, 24 or 32 bytes or a zero limit (which would make the
    // reference loop forever).
    static Result<SwizzlePrf> create(std::string_view key, const BigNumber& limit);

    SwizzlePrfOutput evaluate(std::uint32_t input);

private:
    SwizzlePrf(crypto::AesEncryptor aes, std::string limit_bytes, unsigned char mask)
        : aes_(std::move(aes)), limit_bytes_(std::move(limit_bytes)), mask_(mask) {}

    crypto::AesEncryptor aes_;  // key K, restarted at the zero IV for every evaluation
    std::string limit_bytes_;   // L big-endian in exactly w bytes
    unsigned char mask_;        // applied to the top byte of each attempt
};

}  // namespace downstream::proof
