#include "proof/swizzle_encode.h"

#include "proof/swizzle_limits.h"
#include "proof/swizzle_prf.h"

#include <limits>
#include <vector>

namespace downstream::proof {

std::uint64_t swizzle_chunk_count(std::uint64_t file_size, std::uint32_t chunk_size) {
    return file_size / chunk_size + 1;
}

Result<SwizzleEncoding> encode_swizzle_file(const SwizzleHeartbeat& heartbeat,
                                            std::string_view file, RandomSource& random) {
    const SwizzleKeys* keys = heartbeat.keys();
    if (!keys) return make_error("a public Swizzle heartbeat cannot encode files");
    const std::uint64_t chunks = swizzle_chunk_count(file.size(), heartbeat.chunk_size());
    if (chunks > std::numeric_limits<std::uint32_t>::max())
        return make_error("file too large for a Swizzle tag");
    const auto n = static_cast<std::uint32_t>(chunks);

    SwizzleFileKeys file_keys;
    file_keys.f_key = random.bytes(kSwizzleKeySize);
    file_keys.alpha_key = random.bytes(kSwizzleKeySize);
    const std::string iv = random.bytes(16);

    const BigNumber& p = heartbeat.p();
    SwizzlePrf f = SwizzlePrf::create(file_keys.f_key, p).value();
    SwizzlePrf alpha_prf = SwizzlePrf::create(file_keys.alpha_key, p).value();
    std::vector<BigNumber> alpha;
    alpha.reserve(heartbeat.sectors());
    for (std::uint32_t j = 0; j < heartbeat.sectors(); ++j)
        alpha.push_back(alpha_prf.evaluate(j).value);

    const std::size_t sector_size = heartbeat.sector_size();
    const std::size_t chunk_size = heartbeat.chunk_size();
    BigNumberContext ctx;
    BigNumber sector;
    SwizzleTag tag;
    tag.sigmas.reserve(n);
    for (std::uint32_t i = 0; i < n; ++i) {
        BigNumber sigma = f.evaluate(i).value;
        const std::size_t chunk_start = static_cast<std::size_t>(i) * chunk_size;
        for (std::uint32_t j = 0; j < heartbeat.sectors(); ++j) {
            const std::size_t start = chunk_start + j * sector_size;
            if (start >= file.size()) break;  // this and later sectors are absent
            sector.assign_bytes(file.substr(start, sector_size));
            // Summed exactly and reduced once: the same residue as reducing at every step.
            sigma.add_product(alpha[j], sector, ctx);
        }
        sigma.reduce(p, ctx);
        tag.sigmas.push_back(std::move(sigma));
    }
    return SwizzleEncoding{std::move(tag), SwizzleState::seal(*keys, n, file_keys, iv)};
}

}  // namespace downstream::proof
