// HMAC built on the low-level SHA256_* functions: OpenSSL 3.0's one-shot HMAC() fetches its
// algorithms on every call (4.4 us for a 90-byte message on this machine, against 0.2 us
// here), and the node computes an HMAC for every state it checks and every seed it derives.
// The construction is RFC 2104 with SHA-256's 64-byte block; the tests hold RFC 4231's
// answers. The SHA256_* functions are deprecated in 3.0 but present in every 3.x release.
#define OPENSSL_SUPPRESS_DEPRECATED

#include "crypto/hmac_sha256.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <array>

namespace downstream::crypto {
namespace {

constexpr std::size_t kBlockSize = 64;

}  // namespace

// The hash states after absorbing the key xor ipad and the key xor opad blocks.
struct HmacSha256::PreparedKey {
    ~PreparedKey() {
        OPENSSL_cleanse(&inner, sizeof inner);
        OPENSSL_cleanse(&outer, sizeof outer);
    }
    SHA256_CTX inner;
    SHA256_CTX outer;
};

HmacSha256::HmacSha256(std::string_view key) {
    std::array<unsigned char, kBlockSize> block{};
    if (key.size() > kBlockSize) {
        SHA256_CTX ctx;
        SHA256_Init(&ctx);
        SHA256_Update(&ctx, key.data(), key.size());
        SHA256_Final(block.data(), &ctx);
    } else {
        for (std::size_t i = 0; i < key.size(); ++i) block[i] = static_cast<unsigned char>(key[i]);
    }
    auto prepared = std::make_shared<PreparedKey>();
    std::array<unsigned char, kBlockSize> pad{};
    for (std::size_t i = 0; i < kBlockSize; ++i) pad[i] = block[i] ^ 0x36;
    SHA256_Init(&prepared->inner);
    SHA256_Update(&prepared->inner, pad.data(), pad.size());
    for (std::size_t i = 0; i < kBlockSize; ++i) pad[i] = block[i] ^ 0x5c;
    SHA256_Init(&prepared->outer);
    SHA256_Update(&prepared->outer, pad.data(), pad.size());
    OPENSSL_cleanse(block.data(), block.size());
    OPENSSL_cleanse(pad.data(), pad.size());
    key_ = std::move(prepared);
}

std::string HmacSha256::mac(std::string_view data) const {
    std::array<unsigned char, SHA256_DIGEST_LENGTH> inner_digest{};
    SHA256_CTX ctx = key_->inner;
    SHA256_Update(&ctx, data.data(), data.size());
    SHA256_Final(inner_digest.data(), &ctx);
    ctx = key_->outer;
    SHA256_Update(&ctx, inner_digest.data(), inner_digest.size());
    std::string mac(kHmacSha256Size, '\0');
    SHA256_Final(reinterpret_cast<unsigned char*>(mac.data()), &ctx);
    OPENSSL_cleanse(&ctx, sizeof ctx);
    return mac;
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
    return HmacSha256(key).mac(data);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace downstream::crypto
