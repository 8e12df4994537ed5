// RIPEMD-160 digests (OpenSSL 3.0's default provider), as Bitcoin's HASH160 needs them.
#pragma once

#include <string>
#include <string_view>

namespace downstream::crypto {

inline constexpr std::size_t kRipemd160Size = 20;

// The 20-byte RIPEMD-160 digest of `data`. Safe to call from several threads at once.
// Throws std::runtime_error only if OpenSSL offers no RIPEMD-160 at all (a broken install).
std::string ripemd160(std::string_view data);

}  // namespace downstream::crypto
