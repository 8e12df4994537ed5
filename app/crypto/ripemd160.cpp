#include "crypto/ripemd160.h"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

namespace downstream::crypto {
namespace {

struct FreeMd {
    void operator()(EVP_MD* md) const { EVP_MD_free(md); }
};

// Fetched once: an explicit fetch per call would cost a provider lookup each time, and a
// fetched EVP_MD is immutable, so every thread may share it.
const EVP_MD* ripemd160_md() {
    static const std::unique_ptr<EVP_MD, FreeMd> md(EVP_MD_fetch(nullptr, "RIPEMD160", nullptr));
    if (!md) throw std::runtime_error("OpenSSL provides no RIPEMD160 digest");
    return md.get();
}

}  // namespace

std::string ripemd160(std::string_view data) {
    std::string digest(kRipemd160Size, '\0');
    unsigned int length = 0;
    if (EVP_Digest(data.data(), data.size(), reinterpret_cast<unsigned char*>(digest.data()),
                   &length, ripemd160_md(), nullptr) != 1 ||
        length != kRipemd160Size)
        throw std::runtime_error("EVP_Digest(RIPEMD160) failed");
    return digest;
}

}  // namespace downstream::crypto
