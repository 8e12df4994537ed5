#include "proof/swizzle_selection.h"

#include "proof/swizzle_prf.h"

#include <optional>

namespace downstream::proof {

Result<std::vector<SwizzleSelectedTerm>> select_swizzle_terms(const SwizzleChallenge& challenge,
                                                              std::uint32_t chunk_count) {
    const bool check_all = challenge.l >= chunk_count;
    const std::uint32_t count = check_all ? chunk_count : challenge.l;
    auto coefficients = SwizzlePrf::create(challenge.key, challenge.bound);
    if (!coefficients) return coefficients.error();
    // Only built when needed: with chunk_count = 0 the index PRF's limit would be 0.
    std::optional<SwizzlePrf> indices;
    if (!check_all) {
        auto prf = SwizzlePrf::create(challenge.key, BigNumber::from_word(chunk_count));
        if (!prf) return prf.error();
        indices.emplace(std::move(prf).value());
    }
    std::vector<SwizzleSelectedTerm> terms;
    terms.reserve(count);
    for (std::uint32_t k = 0; k < count; ++k) {
        SwizzleSelectedTerm term;
        if (check_all) {
            term.index = k;
        } else {
            const SwizzlePrfOutput index = indices->evaluate(k);
            // Below 2^bitlen(chunk_count) <= 2^32 even in the 81-rejection case.
            term.index = static_cast<std::uint32_t>(index.value.to_word());
            term.index_attempts = index.attempts;
        }
        SwizzlePrfOutput v = coefficients->evaluate(k);
        term.coefficient = std::move(v.value);
        term.coefficient_attempts = v.attempts;
        terms.push_back(std::move(term));
    }
    return terms;
}

}  // namespace downstream::proof
