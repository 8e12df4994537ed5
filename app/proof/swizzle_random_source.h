// Where the Swizzle scheme gets its randomness: keys, IVs and challenge keys.
//
// An interface so tests can replay the draws recorded in the golden vectors and rebuild every
// object byte for byte; the node uses SecureRandomSource.
#pragma once

#include <cstddef>
#include <string>

namespace downstream::proof {

class RandomSource {
public:
    virtual ~RandomSource() = default;
    // `count` random bytes. Implementations shared between threads must be thread-safe.
    virtual std::string bytes(std::size_t count) = 0;
};

// The operating system's CSPRNG (crypto::secure_random_bytes); stateless and thread-safe.
class SecureRandomSource final : public RandomSource {
public:
    std::string bytes(std::size_t count) override;
};

}  // namespace downstream::proof
