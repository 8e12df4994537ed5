// AES encryption as a stream: one object keeps its mode's state across update() calls.
//
// The heartbeat schemes depend on that continuity (the keyed PRFs encrypt the same block again
// with the same cipher object, so the CFB stream advances), so this wrapper never resets state
// behind the caller's back.
#pragma once

#include "base/result.h"

#include <openssl/evp.h>

#include <memory>
#include <string>
#include <string_view>

namespace downstream::crypto {

enum class AesMode {
    Ctr,     // 128-bit big-endian counter taken from the IV
    Cfb8,    // CFB with 8-bit segments
    Cfb128,  // CFB with 128-bit segments (NIST SP 800-38A, s = 128)
};

// An AES encryptor. The key's length (16, 24 or 32 bytes) chooses AES-128/192/256; the IV is
// 16 bytes. Movable, not copyable; owns its OpenSSL context.
class AesEncryptor {
public:
    // Fails (no exception) for a key of another length or an IV that is not 16 bytes.
    static Result<AesEncryptor> create(AesMode mode, std::string_view key, std::string_view iv);

    AesEncryptor(AesEncryptor&&) noexcept = default;
    AesEncryptor& operator=(AesEncryptor&&) noexcept = default;

    // Encrypts in.size() bytes into out (which may alias in), continuing the stream.
    void update(std::string_view in, char* out);
    // Convenience form returning the ciphertext.
    std::string update(std::string_view in);

    // Starts the stream again from `iv` under the same key, as a fresh encryptor would, but
    // without repeating the key schedule or OpenSSL's cipher lookup. Fails (no exception) for
    // an IV that is not 16 bytes.
    Status restart(std::string_view iv);

private:
    struct Free { void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); } };
    explicit AesEncryptor(std::unique_ptr<EVP_CIPHER_CTX, Free> ctx) : ctx_(std::move(ctx)) {}
    std::unique_ptr<EVP_CIPHER_CTX, Free> ctx_;
};

// Decrypts AES-CFB128 data in one go (the Swizzle state); fails only for bad key/IV lengths.
Result<std::string> aes_cfb128_decrypt(std::string_view key, std::string_view iv,
                                       std::string_view ciphertext);

}  // namespace downstream::crypto
