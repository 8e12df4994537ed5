#include "proof/swizzle_verify.h"

#include "proof/swizzle_prf.h"
#include "proof/swizzle_selection.h"

namespace downstream::proof {

Result<bool> verify_swizzle(const SwizzleHeartbeat& heartbeat, const SwizzleProof& proof,
                            const SwizzleChallenge& challenge, const SwizzleState& state) {
    auto opened = state.open(heartbeat.keys());
    if (!opened) return opened.error();
    if (!*opened) return false;
    return verify_swizzle_opened(heartbeat, proof, challenge, **opened);
}

Result<bool> verify_swizzle_opened(const SwizzleHeartbeat& heartbeat, const SwizzleProof& proof,
                                   const SwizzleChallenge& challenge,
                                   const SwizzleOpenedState& state) {
    if (proof.mu.size() != heartbeat.sectors()) return false;
    const BigNumber& p = heartbeat.p();
    // The right-hand side is reduced below p, so an unreduced sigma can never match; deciding
    // it here spares the PRF work for garbage.
    if (!(proof.sigma < p)) return false;

    auto f = SwizzlePrf::create(state.keys.f_key, p);
    if (!f) return f.error();
    auto alpha = SwizzlePrf::create(state.keys.alpha_key, p);
    if (!alpha) return alpha.error();
    auto terms = select_swizzle_terms(challenge, state.n);
    if (!terms) return terms.error();

    BigNumberContext ctx;
    BigNumber rhs;
    for (const SwizzleSelectedTerm& term : *terms)
        rhs.add_product(term.coefficient, f->evaluate(term.index).value, ctx);
    for (std::uint32_t j = 0; j < heartbeat.sectors(); ++j)
        rhs.add_product(alpha->evaluate(j).value, proof.mu[j], ctx);
    // Summed exactly and reduced once: the same residue as reducing at every step.
    rhs.reduce(p, ctx);
    return proof.sigma == rhs;
}

}  // namespace downstream::proof
