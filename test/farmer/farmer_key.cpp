#include "farmer/farmer_key.h"

#include "crypto/secure_random.h"
#include "crypto/sha256.h"

#include <stdexcept>

namespace downstream::farmer {

FarmerKey::FarmerKey(std::string secret, identity::KeyForm form)
    : secret_(std::move(secret)), form_(form) {
    auto address = identity::address_for_secret(secret_, form_);
    if (!address) throw std::runtime_error("farmer key: " + address.error().message);
    address_ = std::move(address).value();
}

FarmerKey FarmerKey::generate(identity::KeyForm form) {
    // A random 32-byte string is a valid secret except with probability ~2^-128.
    for (;;) {
        std::string secret = crypto::secure_random_bytes(identity::kSecretKeySize);
        if (identity::public_key_for_secret(secret, form).ok()) return FarmerKey(std::move(secret), form);
    }
}

FarmerKey FarmerKey::from_phrase(std::string_view phrase, identity::KeyForm form) {
    return FarmerKey(crypto::sha256(phrase), form);
}

std::string FarmerKey::sign(std::string_view message) const {
    auto signature = identity::sign_message(secret_, message, form_);
    if (!signature) throw std::runtime_error("farmer key: " + signature.error().message);
    return std::move(signature).value();
}

}  // namespace downstream::farmer
