// The Swizzle challenge: how many chunks to check (l), the key of the index and coefficient
// PRFs (k_c) and the coefficient bound (B, = p when the node makes it).
//
// Serialisation: u32 l ‖ u32 key length ‖ k_c ‖ Int B.
#pragma once

#include "base/result.h"
#include "proof/big_number.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace downstream::proof {

struct SwizzleChallenge {
    std::uint32_t l = 0;
    std::string key;
    BigNumber bound;
};

// Parses a challenge; trailing bytes are ignored. Besides the reference's errors ("Invalid key
// size." above 32), refuses what the reference only fails on later or never: a key that is
// not 16, 24 or 32 bytes, B = 0 (hangs the reference farmer) or 1 (every coefficient would be
// 0, so an all-zero proof would pass), and B above kSwizzleMaxValueBits bits.
Result<SwizzleChallenge> parse_swizzle_challenge(std::string_view bytes);

std::string serialize(const SwizzleChallenge& challenge);

}  // namespace downstream::proof
