#include "proof/swizzle_proof.h"

#include "proof/swizzle_codec.h"
#include "proof/swizzle_limits.h"

namespace downstream::proof {

Result<SwizzleProof> parse_swizzle_proof(std::string_view bytes) {
    SwizzleReader in(bytes);
    auto count = in.u32("Unable to retrieve proof mu count.");
    if (!count) return count.error();
    SwizzleProof proof;
    for (std::uint32_t j = 0; j < *count; ++j) {
        // Checked per value rather than up front, so input that simply ends early reports the
        // reference's message.
        if (j == kSwizzleMaxSectors)
            return make_error("proof has more than " + std::to_string(kSwizzleMaxSectors) +
                              " mu values");
        auto mu = in.integer("Unable to retrieve integer size.");
        if (!mu) return mu.error();
        if (mu->bit_length() > kSwizzleMaxValueBits)
            return make_error("proof value mu_" + std::to_string(j) + " is too large");
        proof.mu.push_back(std::move(mu).value());
    }
    auto sigma = in.integer("Unable to read sigma size.");
    if (!sigma) return sigma.error();
    if (sigma->bit_length() > kSwizzleMaxValueBits) return make_error("proof sigma is too large");
    proof.sigma = std::move(sigma).value();
    return proof;
}

std::string serialize(const SwizzleProof& proof) {
    SwizzleWriter out;
    out.put_u32(static_cast<std::uint32_t>(proof.mu.size()));
    for (const BigNumber& mu : proof.mu) out.put_int(mu);
    out.put_int(proof.sigma);
    return out.take();
}

}  // namespace downstream::proof
