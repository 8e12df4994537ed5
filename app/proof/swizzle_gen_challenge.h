// Issuing Swizzle challenges (node side).
#pragma once

#include "base/result.h"
#include "proof/swizzle_challenge.h"
#include "proof/swizzle_heartbeat.h"
#include "proof/swizzle_random_source.h"
#include "proof/swizzle_state.h"

#include <cstdint>

namespace downstream::proof {

// How many chunks a challenge checks.
enum class SwizzleCountRule {
    // trunc(check_fraction × n) in double precision, as the reference computes it. Can be 0,
    // and a challenge with l = 0 is passed by an all-zero proof for any file.
    Reference,
    // The same, but at least 1: what the node issues (docs/DECISIONS.md).
    AtLeastOne,
};

// l for a file of n chunks. Fractions above 1 give l >= n ("check all"); NaN or negative
// fractions give 0 (before the AtLeastOne rule).
std::uint32_t swizzle_challenge_count(double check_fraction, std::uint32_t n,
                                      SwizzleCountRule rule);

// Opens `state` and issues a challenge: l by `rule` from the authenticated n, a fresh 32-byte
// key from `random`, B = p. The state is not modified. Fails, as the reference raises, when the
// state does not open (wrong MAC, malformed, or a public heartbeat).
Result<SwizzleChallenge> gen_swizzle_challenge(const SwizzleHeartbeat& heartbeat,
                                               const SwizzleState& state, double check_fraction,
                                               RandomSource& random,
                                               SwizzleCountRule rule = SwizzleCountRule::AtLeastOne);

}  // namespace downstream::proof
