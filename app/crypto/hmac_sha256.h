// HMAC-SHA256 (RFC 2104), one-shot or under a key prepared once.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace downstream::crypto {

inline constexpr std::size_t kHmacSha256Size = 32;

// The 32-byte HMAC-SHA256 of `data` under `key` (any key length).
std::string hmac_sha256(std::string_view key, std::string_view data);

// HMAC-SHA256 under one fixed key whose padded forms are hashed once, at construction:
// each mac() then costs only the message's own compression rounds (about 0.2 us for 100
// bytes), where hmac_sha256() pays for the key every time. Cheap to copy (the prepared key
// is shared and immutable); mac() is safe to call from several threads at once.
class HmacSha256 {
public:
    explicit HmacSha256(std::string_view key);

    // The 32-byte HMAC-SHA256 of `data` under the key; equals hmac_sha256(key, data).
    std::string mac(std::string_view data) const;

private:
    struct PreparedKey;
    std::shared_ptr<const PreparedKey> key_;
};

// Compares two byte strings in time that depends only on their lengths.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace downstream::crypto
