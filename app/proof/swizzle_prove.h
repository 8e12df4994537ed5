// Proving a Swizzle challenge: what the farmer computes (SWIZZLE.md §7). The node itself never
// proves; the tests and the load generator do.
#pragma once

#include "base/result.h"
#include "proof/swizzle_challenge.h"
#include "proof/swizzle_heartbeat.h"
#include "proof/swizzle_proof.h"
#include "proof/swizzle_tag.h"

#include <string_view>

namespace downstream::proof {

// The proof the reference farmer sends for `challenge` over `file` with its `tag`, from the
// public parameters (s, S, p) of `heartbeat`: check-all when l >= the tag's count N, otherwise
// l indices from PRF(k_c, N); mu_j = Σ_k v_k · m[idx_k][j] mod p and
// sigma = Σ_k v_k · sigma_{idx_k} mod p, every value reduced. Sector reads past the end of the
// file count as 0; the chunk offset idx_k · (s·S) wraps at 2^32 as in the reference. Fails for
// a challenge the PRF refuses, or an index outside the tag (the 2^-81 PRF failure).
Result<SwizzleProof> prove_swizzle(const SwizzleHeartbeat& heartbeat, std::string_view file,
                                   const SwizzleChallenge& challenge, const SwizzleTag& tag);

}  // namespace downstream::proof
