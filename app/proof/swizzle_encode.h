// Encoding a file for Swizzle: its tag (for the farmer) and its sealed state (for the node).
#pragma once

#include "base/result.h"
#include "proof/swizzle_heartbeat.h"
#include "proof/swizzle_random_source.h"
#include "proof/swizzle_state.h"
#include "proof/swizzle_tag.h"

#include <cstdint>
#include <string_view>

namespace downstream::proof {

struct SwizzleEncoding {
    SwizzleTag tag;
    SwizzleState state;
};

// The number of chunks (tag entries) of a file: floor(size / chunk) + 1, so an empty file and
// an exact multiple of the chunk size get one data-less final chunk, as in the reference.
std::uint64_t swizzle_chunk_count(std::uint64_t file_size, std::uint32_t chunk_size);

// Encodes `file` as SWIZZLE.md §5: draws k_f (32 bytes), k_alpha (32) and the state IV (16)
// from `random`, in that order, then sigma_i = (f(i) + Σ_j alpha_j · m[i][j]) mod p over the
// sectors actually present (a partial last sector is the integer of its bytes). Fails for a
// public heartbeat (no keys to seal the state) or a file of 2^32 chunks or more.
Result<SwizzleEncoding> encode_swizzle_file(const SwizzleHeartbeat& heartbeat,
                                            std::string_view file, RandomSource& random);

}  // namespace downstream::proof
