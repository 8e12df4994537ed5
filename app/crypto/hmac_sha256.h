// HMAC-SHA256 (OpenSSL's one-shot HMAC(), as fast as EVP_MAC on OpenSSL 3.0).
#pragma once

#include <string>
#include <string_view>

namespace downstream::crypto {

inline constexpr std::size_t kHmacSha256Size = 32;

// The 32-byte HMAC-SHA256 of `data` under `key` (any key length).
std::string hmac_sha256(std::string_view key, std::string_view data);

// Compares two byte strings in time that depends only on their lengths.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace downstream::crypto
