#include "crypto/sha256.h"

#include <openssl/sha.h>

#include <new>
#include <stdexcept>

namespace downstream::crypto {

std::string sha256(std::string_view data) {
    std::string digest(kSha256Size, '\0');
    SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
           reinterpret_cast<unsigned char*>(digest.data()));
    return digest;
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
