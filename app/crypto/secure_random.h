// Bytes from the operating system's CSPRNG (getrandom(2)), for tokens, seeds and keys.
#pragma once

#include <string>

namespace downstream::crypto {

// `count` unpredictable bytes. Throws std::runtime_error only if the kernel refuses, which
// on Linux >= 3.17 does not happen once the pool is initialised.
std::string secure_random_bytes(std::size_t count);

}  // namespace downstream::crypto
