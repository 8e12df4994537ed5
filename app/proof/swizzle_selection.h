// Which chunks a Swizzle challenge checks and with which coefficients: the part of proving and
// verifying that the farmer and the node must compute identically.
#pragma once

#include "base/result.h"
#include "proof/big_number.h"
#include "proof/swizzle_challenge.h"

#include <cstdint>
#include <vector>

namespace downstream::proof {

// Term k of the combination: chunk idx_k, taken with coefficient v_k.
struct SwizzleSelectedTerm {
    std::uint32_t index = 0;
    int index_attempts = 0;  // PRF attempts for the index; 0 when every chunk is checked
    BigNumber coefficient;
    int coefficient_attempts = 0;
};

// The terms for `challenge` against a file of `chunk_count` chunks. When l >= chunk_count
// ("check all") chunk k is term k for every chunk; otherwise l indices come from
// PRF(k_c, chunk_count), with replacement. Coefficients are PRF(k_c, B)(k) either way. Fails
// only for a key or bound the PRF refuses. The caller bounds the work: at most
// min(l, chunk_count) terms.
Result<std::vector<SwizzleSelectedTerm>> select_swizzle_terms(const SwizzleChallenge& challenge,
                                                              std::uint32_t chunk_count);

}  // namespace downstream::proof
