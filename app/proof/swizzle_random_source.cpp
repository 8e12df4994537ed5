#include "proof/swizzle_random_source.h"

#include "crypto/secure_random.h"

namespace downstream::proof {

std::string SecureRandomSource::bytes(std::size_t count) {
    return crypto::secure_random_bytes(count);
}

}  // namespace downstream::proof
