#include "identity/token.h"

#include "crypto/secure_random.h"
#include "crypto/sha256.h"
#include "encoding/hex.h"

namespace downstream::identity {

Token Token::generate() { return Token(crypto::secure_random_bytes(kTokenSize)); }

Result<Token> Token::parse(std::string_view text) {
    if (!encoding::is_hex(text, kTokenTextLength))
        return make_error("a token is 32 hexadecimal characters");
    auto bytes = encoding::hex_decode(text);
    if (!bytes.ok()) return bytes.error();
    return Token(std::move(bytes).value());
}

std::string Token::text() const { return encoding::hex_encode(bytes_); }

std::string Token::storage_hash() const { return crypto::sha256(bytes_); }

std::string Token::farmer_id() const { return farmer_id_from_storage_hash(storage_hash()); }

std::string farmer_id_from_storage_hash(std::string_view storage_hash) {
    return encoding::hex_encode(storage_hash.substr(0, kFarmerIdLength / 2));
}

}  // namespace downstream::identity
