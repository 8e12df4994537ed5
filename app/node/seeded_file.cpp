#include "node/seeded_file.h"

#include "crypto/aes_encryptor.h"
#include "crypto/sha256.h"

namespace downstream::node {

std::string seeded_file_bytes(std::string_view seed, std::size_t size) {
    std::string counter(16, '\0');
    counter[15] = 1;  // block 0 uses counter 1
    auto aes = crypto::AesEncryptor::create(crypto::AesMode::Ctr, crypto::sha256(seed), counter);
    std::string bytes(size, '\0');
    aes->update(bytes, bytes.data());  // keystream XOR zeros = keystream
    return bytes;
}

}  // namespace downstream::node
