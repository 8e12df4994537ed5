#include "proof/swizzle_gen_challenge.h"

#include "proof/swizzle_limits.h"

#include <cmath>

namespace downstream::proof {

std::uint32_t swizzle_challenge_count(double check_fraction, std::uint32_t n,
                                      SwizzleCountRule rule) {
    const double product = check_fraction * static_cast<double>(n);
    std::uint32_t l = 0;
    if (product >= 4294967295.0) {
        l = 4294967295u;
    } else if (product > 0) {  // false for NaN
        l = static_cast<std::uint32_t>(std::trunc(product));
    }
    if (rule == SwizzleCountRule::AtLeastOne && l == 0) l = 1;
    return l;
}

Result<SwizzleChallenge> gen_swizzle_challenge(const SwizzleHeartbeat& heartbeat,
                                               const SwizzleState& state, double check_fraction,
                                               RandomSource& random, SwizzleCountRule rule) {
    auto opened = state.open(heartbeat.keys());
    if (!opened || !*opened)
        return make_error(
            "Signature check or decryption failed in generating challenge.  State of remote "
            "file cannot be verified.");
    SwizzleChallenge challenge;
    challenge.l = swizzle_challenge_count(check_fraction, (*opened)->n, rule);
    challenge.key = random.bytes(kSwizzleKeySize);
    challenge.bound = heartbeat.p().copy();
    return challenge;
}

}  // namespace downstream::proof
