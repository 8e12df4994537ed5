#include "proof/swizzle_prove.h"

#include "proof/swizzle_selection.h"

#include <cstdint>
#include <limits>

namespace downstream::proof {

Result<SwizzleProof> prove_swizzle(const SwizzleHeartbeat& heartbeat, std::string_view file,
                                   const SwizzleChallenge& challenge, const SwizzleTag& tag) {
    if (tag.sigmas.size() > std::numeric_limits<std::uint32_t>::max())
        return make_error("tag has too many entries");
    auto terms = select_swizzle_terms(challenge, static_cast<std::uint32_t>(tag.sigmas.size()));
    if (!terms) return terms.error();

    const BigNumber& p = heartbeat.p();
    const std::uint32_t sectors = heartbeat.sectors();
    const std::uint64_t sector_size = heartbeat.sector_size();
    BigNumberContext ctx;
    BigNumber sector;
    SwizzleProof proof;
    proof.mu.resize(sectors);
    for (const SwizzleSelectedTerm& term : *terms) {
        if (term.index >= tag.sigmas.size())
            return make_error("challenge selects chunk " + std::to_string(term.index) +
                              " outside the tag");
        // The reference computes this product in 32-bit unsigned arithmetic.
        const std::uint32_t chunk_offset = term.index * heartbeat.chunk_size();
        for (std::uint32_t j = 0; j < sectors; ++j) {
            const std::uint64_t start = chunk_offset + j * sector_size;
            if (start >= file.size()) continue;
            sector.assign_bytes(file.substr(start, sector_size));
            proof.mu[j].add_product(term.coefficient, sector, ctx);
        }
        proof.sigma.add_product(term.coefficient, tag.sigmas[term.index], ctx);
    }
    // Summed exactly and reduced once: the same residues as reducing at every step.
    for (BigNumber& mu : proof.mu) mu.reduce(p, ctx);
    proof.sigma.reduce(p, ctx);
    return proof;
}

}  // namespace downstream::proof
