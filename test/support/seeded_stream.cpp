#include "support/seeded_stream.h"

#include "crypto/aes_encryptor.h"
#include "crypto/sha256.h"

namespace downstream::testing {

std::string seeded_stream_bytes(std::string_view seed, std::size_t size) {
    std::string counter(16, '\0');
    counter[15] = 1;
    auto aes = crypto::AesEncryptor::create(crypto::AesMode::Ctr, crypto::sha256(seed), counter);
    // The keystream is the encryption of zero bytes.
    return aes.value().update(std::string(size, '\0'));
}

}  // namespace downstream::testing
