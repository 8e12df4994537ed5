// A farmer's signing key for the signed POST /new: a secp256k1 secret, the public key form
// its address hashes, and Bitcoin message signatures made with app/identity.
#pragma once

#include "identity/signed_message.h"

#include <string>
#include <string_view>

namespace downstream::farmer {

class FarmerKey {
public:
    // A fresh random key (OS CSPRNG) whose address hashes the public key in `form`.
    static FarmerKey generate(identity::KeyForm form);
    // The key whose secret is SHA-256 of `phrase` (a repeatable identity for a CLI user).
    static FarmerKey from_phrase(std::string_view phrase, identity::KeyForm form);

    const std::string& secret() const { return secret_; }
    identity::KeyForm form() const { return form_; }
    // The P2PKH address (base58check) of the key.
    const std::string& address() const { return address_; }
    // The 88-character base64 Bitcoin message signature of `message`.
    std::string sign(std::string_view message) const;

private:
    FarmerKey(std::string secret, identity::KeyForm form);

    std::string secret_;
    identity::KeyForm form_;
    std::string address_;
};

}  // namespace downstream::farmer
