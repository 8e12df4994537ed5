// Verifying a Swizzle proof (node side, SWIZZLE.md §8).
#pragma once

#include "base/result.h"
#include "proof/swizzle_challenge.h"
#include "proof/swizzle_heartbeat.h"
#include "proof/swizzle_proof.h"
#include "proof/swizzle_state.h"

namespace downstream::proof {

// The reference's verify: true when
//   sigma == (Σ_k v_k · f(idx_k) + Σ_j alpha_j · mu_j) mod p
// with n, k_f and k_alpha from the opened state. sigma is compared unreduced (sigma + p fails);
// mu values are used as given (mu_j + p passes). False when the state's check fails (wrong MAC,
// MAC length not 32, a public heartbeat) or the proof's mu count is not s; an Error when the
// state is structurally short or the challenge is one the PRF refuses.
Result<bool> verify_swizzle(const SwizzleHeartbeat& heartbeat, const SwizzleProof& proof,
                            const SwizzleChallenge& challenge, const SwizzleState& state);

// The same check against a state already opened. Work is bounded by min(l, n) + s PRF
// evaluations and as many products of at most kSwizzleMaxValueBits-bit numbers.
Result<bool> verify_swizzle_opened(const SwizzleHeartbeat& heartbeat, const SwizzleProof& proof,
                                   const SwizzleChallenge& challenge,
                                   const SwizzleOpenedState& state);

}  // namespace downstream::proof
