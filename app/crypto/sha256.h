// SHA-256 digests (OpenSSL). Bytes travel as std::string / std::string_view throughout the node.
#pragma once

#include <openssl/evp.h>

#include <array>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

namespace downstream::crypto {

inline constexpr std::size_t kSha256Size = 32;

// The 32-byte SHA-256 digest of `data`.
std::string sha256(std::string_view data);

// The SHA-256 digest of the concatenation of `parts`, without concatenating them.
std::string sha256(std::initializer_list<std::string_view> parts);

// A digest held by value, for hot loops that should not allocate.
using Sha256Digest = std::array<char, kSha256Size>;
// The same digest as sha256(parts), by value.
Sha256Digest sha256_digest(std::initializer_list<std::string_view> parts);

// SHA-256(SHA-256(data)), as Bitcoin uses it.
std::string double_sha256(std::string_view data);

// An incremental SHA-256 for data that arrives in pieces. Not copyable.
class Sha256 {
public:
    Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;
    Sha256(Sha256&&) noexcept = default;
    Sha256& operator=(Sha256&&) noexcept = default;

    void update(std::string_view data);
    // The digest of everything given so far; the object is then reset for reuse.
    std::string finish();

private:
    struct Free { void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); } };
    std::unique_ptr<EVP_MD_CTX, Free> ctx_;
};

}  // namespace downstream::crypto
