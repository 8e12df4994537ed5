#include "proof/swizzle_prf.h"

#include "crypto/sha256.h"
#include "proof/swizzle_limits.h"

#include <cstring>

namespace downstream::proof {
namespace {

constexpr std::string_view kZeroIv("\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16);

}  // namespace

Result<SwizzlePrf> SwizzlePrf::create(std::string_view key, const BigNumber& limit) {
    if (!is_swizzle_key_size(key.size()))
        return make_error("AES/CFB: " + std::to_string(key.size()) + " is not a valid key length");
    if (limit.is_zero()) return make_error("Swizzle PRF: the limit must be positive");
    std::string limit_bytes = limit.to_bytes();
    const auto top = static_cast<unsigned char>(limit_bytes[0]);
    int top_bits = 0;
    while ((top >> top_bits) != 0) ++top_bits;
    const auto mask = static_cast<unsigned char>((1u << top_bits) - 1);
    auto aes = crypto::AesEncryptor::create(crypto::AesMode::Cfb128, key, kZeroIv);
    if (!aes) return aes.error();
    return SwizzlePrf(std::move(aes).value(), std::move(limit_bytes), mask);
}

SwizzlePrfOutput SwizzlePrf::evaluate(std::uint32_t input) {
    const char le[4] = {static_cast<char>(input & 0xff), static_cast<char>((input >> 8) & 0xff),
                        static_cast<char>((input >> 16) & 0xff),
                        static_cast<char>((input >> 24) & 0xff)};
    const std::size_t width = limit_bytes_.size();
    std::string block = crypto::sha256(std::string_view(le, 4));
    block.resize(width, '\0');  // truncates, or pads the digest with zero bytes

    // Every evaluation starts a fresh CFB stream (zero IV, position 0); a 16-byte IV cannot
    // be refused.
    (void)aes_.restart(kZeroIv);
    std::string attempt(width, '\0');
    int attempts = 0;
    while (attempts < kSwizzlePrfMaxAttempts) {
        ++attempts;
        aes_.update(block, attempt.data());
        attempt[0] = static_cast<char>(static_cast<unsigned char>(attempt[0]) & mask_);
        // Both are w bytes big-endian, so byte order is numeric order.
        if (std::memcmp(attempt.data(), limit_bytes_.data(), width) < 0) break;
    }
    return SwizzlePrfOutput{BigNumber::from_bytes(attempt), attempts};
}

}  // namespace downstream::proof
