#include "crypto/sha256.h"

#include <new>
#include <stdexcept>

namespace downstream::crypto {
namespace {

// OpenSSL 3's one-shot SHA256() and EVP_sha256() look the algorithm up in the provider store
// on every call, which costs several times more than hashing a short input (the Swizzle PRF
// hashes 4 bytes per evaluation). The fetched algorithm is immutable and thread-safe to share;
// it is fetched once and kept for the life of the process.
const EVP_MD* sha256_algorithm() {
    static const EVP_MD* const md = [] {
        EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
        if (!fetched) throw std::runtime_error("EVP_MD_fetch(SHA256) failed");
        return fetched;
    }();
    return md;
}

}  // namespace

std::string sha256(std::string_view data) {
    std::string digest(kSha256Size, '\0');
    if (EVP_Digest(data.data(), data.size(), reinterpret_cast<unsigned char*>(digest.data()),
                   nullptr, sha256_algorithm(), nullptr) != 1)
        throw std::bad_alloc();
    return digest;
}

std::string double_sha256(std::string_view data) { return sha256(sha256(data)); }

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
    if (!ctx_) throw std::bad_alloc();
    if (EVP_DigestInit_ex(ctx_.get(), sha256_algorithm(), nullptr) != 1)
        throw std::runtime_error("EVP_DigestInit_ex(sha256) failed");
}

void Sha256::update(std::string_view data) {
    EVP_DigestUpdate(ctx_.get(), data.data(), data.size());
}

std::string Sha256::finish() {
    std::string digest(kSha256Size, '\0');
    unsigned int length = 0;
    EVP_DigestFinal_ex(ctx_.get(), reinterpret_cast<unsigned char*>(digest.data()), &length);
    EVP_DigestInit_ex(ctx_.get(), sha256_algorithm(), nullptr);
    return digest;
}

}  // namespace downstream::crypto
