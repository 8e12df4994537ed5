// The Swizzle proof the farmer sends: s combined sectors mu_0..mu_{s−1} and a combined tag sigma.
//
// Serialisation: u32 s ‖ Int mu_0 ‖ … ‖ Int mu_{s−1} ‖ Int sigma.
#pragma once

#include "base/result.h"
#include "proof/big_number.h"

#include <string>
#include <string_view>
#include <vector>

namespace downstream::proof {

struct SwizzleProof {
    std::vector<BigNumber> mu;
    BigNumber sigma;
};

// Parses a proof; trailing bytes are ignored and integers need not be minimal or reduced.
// Besides the reference's errors, refuses more than kSwizzleMaxSectors mu values and any value
// above kSwizzleMaxValueBits bits, so a hostile proof costs at most a few kilobytes of work.
// A mu count that merely differs from the heartbeat's s parses (verification then fails).
Result<SwizzleProof> parse_swizzle_proof(std::string_view bytes);

std::string serialize(const SwizzleProof& proof);

}  // namespace downstream::proof
