// The Swizzle tag: one authenticator sigma_i per chunk, made by the node and kept by the farmer.
//
// Serialisation: u32 n ‖ Int sigma_0 ‖ … ‖ Int sigma_{n−1}.
#pragma once

#include "base/result.h"
#include "proof/big_number.h"

#include <string>
#include <string_view>
#include <vector>

namespace downstream::proof {

struct SwizzleTag {
    std::vector<BigNumber> sigmas;
};

// Parses a tag; trailing bytes are ignored. Besides the reference's errors, a sigma above
// kSwizzleMaxValueBits bits is refused. Never allocates more than the data can hold.
Result<SwizzleTag> parse_swizzle_tag(std::string_view bytes);

std::string serialize(const SwizzleTag& tag);

}  // namespace downstream::proof
