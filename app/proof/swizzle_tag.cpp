#include "proof/swizzle_tag.h"

#include "proof/swizzle_codec.h"
#include "proof/swizzle_limits.h"

namespace downstream::proof {

Result<SwizzleTag> parse_swizzle_tag(std::string_view bytes) {
    SwizzleReader in(bytes);
    auto count = in.u32("Unable to get sigma count.");
    if (!count) return count.error();
    SwizzleTag tag;
    // Each Int takes at least its 4-byte length, so a hostile count runs out of data after
    // remaining/4 reads; nothing is reserved up front.
    for (std::uint32_t i = 0; i < *count; ++i) {
        auto sigma = in.integer("Unable to get sigma size.");
        if (!sigma) return sigma.error();
        if (sigma->bit_length() > kSwizzleMaxValueBits)
            return make_error("tag value " + std::to_string(i) + " is too large");
        tag.sigmas.push_back(std::move(sigma).value());
    }
    return tag;
}

std::string serialize(const SwizzleTag& tag) {
    SwizzleWriter out;
    out.put_u32(static_cast<std::uint32_t>(tag.sigmas.size()));
    for (const BigNumber& sigma : tag.sigmas) out.put_int(sigma);
    return out.take();
}

}  // namespace downstream::proof
