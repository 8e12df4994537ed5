#include "proof/swizzle_challenge.h"

#include "proof/swizzle_codec.h"
#include "proof/swizzle_limits.h"

namespace downstream::proof {

Result<SwizzleChallenge> parse_swizzle_challenge(std::string_view bytes) {
    SwizzleReader in(bytes);
    SwizzleChallenge challenge;
    auto l = in.u32("Unable to read l.");
    if (!l) return l.error();
    challenge.l = *l;
    auto key_size = in.u32("Unable to read key size.");
    if (!key_size) return key_size.error();
    if (*key_size > 32) return make_error("Invalid key size.");
    auto key = in.bytes(*key_size, "Key corrupted.");
    if (!key) return key.error();
    challenge.key = std::string(*key);
    auto bound = in.integer("Unable to read B size.");
    if (!bound) return bound.error();
    challenge.bound = std::move(bound).value();

    if (!is_swizzle_key_size(challenge.key.size()))
        return make_error("challenge key of " + std::to_string(challenge.key.size()) +
                          " bytes is not an AES key length");
    if (challenge.bound.bit_length() < 2) return make_error("challenge bound B must be at least 2");
    if (challenge.bound.bit_length() > kSwizzleMaxValueBits)
        return make_error("challenge bound B is too large");
    return challenge;
}

std::string serialize(const SwizzleChallenge& challenge) {
    SwizzleWriter out;
    out.put_u32(challenge.l);
    out.put_sized_bytes(challenge.key);
    out.put_int(challenge.bound);
    return out.take();
}

}  // namespace downstream::proof
