// Farmer tokens: the secret a farmer presents in every URL, and the ids derived from it.
//
// A token is 16 random bytes shown as 32 lower-case hex characters. The database keeps only
// the token's storage hash (SHA-256 of the 16 raw bytes), never the token; the public farmer id
// is the first 20 hex characters of that hash, so it can be computed from either.
#pragma once

#include "base/result.h"

#include <string>
#include <string_view>

namespace downstream::identity {

inline constexpr std::size_t kTokenSize = 16;          // raw bytes
inline constexpr std::size_t kTokenTextLength = 32;    // hex characters
inline constexpr std::size_t kFarmerIdLength = 20;     // hex characters

// A syntactically valid token. Holding one says nothing about whether it was ever issued.
class Token {
public:
    // A new token from the operating system's CSPRNG.
    static Token generate();

    // The token written as `text`: exactly 32 hex digits, upper or lower case (the same bytes,
    // so the same token). Anything else fails with a reason fit for a farmer.
    static Result<Token> parse(std::string_view text);

    // The 16 raw bytes.
    const std::string& bytes() const { return bytes_; }
    // The canonical text: 32 lower-case hex characters.
    std::string text() const;
    // What the database stores and looks tokens up by: SHA-256 of the 16 raw bytes (32 bytes).
    std::string storage_hash() const;
    // The public farmer id: 20 lower-case hex characters.
    std::string farmer_id() const;

private:
    explicit Token(std::string bytes) : bytes_(std::move(bytes)) {}
    std::string bytes_;
};

// The farmer id belonging to a token's storage hash (the first 10 bytes of it, in lower-case
// hex): lets the store derive ids from what it keeps.
std::string farmer_id_from_storage_hash(std::string_view storage_hash);

}  // namespace downstream::identity
