// OpenSSL 3.0's one-shot SHA256() fetches the algorithm from the provider on every call
// (about 1.6 us per call on this machine, for 64 bytes); the node hashes many tiny inputs
// (Merkle nodes, leaves), so the one-shot form uses the low-level SHA256_* functions
// instead (0.12 us for 64 bytes, same SHA-NI code for long inputs). They are deprecated in
// 3.0 but present in every 3.x release.
#define OPENSSL_SUPPRESS_DEPRECATED

#include "crypto/sha256.h"

#include <openssl/sha.h>

#include <new>
#include <stdexcept>

namespace downstream::crypto {

std::string sha256(std::string_view data) { return sha256({data}); }

Sha256Digest sha256_digest(std::initializer_list<std::string_view> parts) {
    SHA256_CTX ctx;
    SHA256_Init(&ctx);
    for (std::string_view part : parts) SHA256_Update(&ctx, part.data(), part.size());
    Sha256Digest digest;
    SHA256_Final(reinterpret_cast<unsigned char*>(digest.data()), &ctx);
    return digest;
}

std::string sha256(std::initializer_list<std::string_view> parts) {
    const Sha256Digest digest = sha256_digest(parts);
    return std::string(digest.data(), digest.size());
}

std::string double_sha256(std::string_view data) { return sha256(sha256(data)); }

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
    if (!ctx_) throw std::bad_alloc();
    if (EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("EVP_DigestInit_ex(sha256) failed");
}

void Sha256::update(std::string_view data) {
    EVP_DigestUpdate(ctx_.get(), data.data(), data.size());
}

std::string Sha256::finish() {
    std::string digest(kSha256Size, '\0');
    unsigned int length = 0;
    EVP_DigestFinal_ex(ctx_.get(), reinterpret_cast<unsigned char*>(digest.data()), &length);
    EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr);
    return digest;
}

}  // namespace downstream::crypto
