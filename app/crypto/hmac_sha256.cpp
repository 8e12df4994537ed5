#include "crypto/hmac_sha256.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace downstream::crypto {

std::string hmac_sha256(std::string_view key, std::string_view data) {
    std::string mac(kHmacSha256Size, '\0');
    unsigned int length = 0;
    // An empty key must still be a valid pointer for OpenSSL.
    static const unsigned char kEmpty = 0;
    const void* key_ptr = key.empty() ? static_cast<const void*>(&kEmpty) : key.data();
    HMAC(EVP_sha256(), key_ptr, static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(data.data()), data.size(),
         reinterpret_cast<unsigned char*>(mac.data()), &length);
    return mac;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace downstream::crypto
