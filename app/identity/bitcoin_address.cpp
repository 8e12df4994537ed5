#include "identity/bitcoin_address.h"

#include "crypto/ripemd160.h"
#include "crypto/sha256.h"
#include "identity/base58check.h"

namespace downstream::identity {
namespace {

constexpr char kMainnetVersion = '\x00';
constexpr char kTestnetVersion = '\x6f';

}  // namespace

std::string hash160(std::string_view data) { return crypto::ripemd160(crypto::sha256(data)); }

std::string p2pkh_address(std::string_view hash160) {
    std::string payload(1, kMainnetVersion);
    payload += hash160;
    return base58check_encode(payload);
}

std::string p2pkh_address_for_public_key(std::string_view serialized_public_key) {
    return p2pkh_address(hash160(serialized_public_key));
}

Result<std::string> p2pkh_hash160(std::string_view address) {
    auto payload = base58check_decode_exact(address);
    if (!payload.ok()) return payload.error();
    const std::string& bytes = payload.value();
    if (bytes.size() != 1 + kHash160Size)
        return make_error("address decodes to " + std::to_string(bytes.size()) +
                          " bytes, a Bitcoin address has 21");
    // pycoin tells a testnet address (0x6f) apart from other versions; keep its distinction.
    if (bytes[0] == kTestnetVersion) return make_error("address is for the Bitcoin test network");
    if (bytes[0] != kMainnetVersion)
        return make_error("address has version byte " +
                          std::to_string(static_cast<unsigned char>(bytes[0])) +
                          ", a pay-to-public-key-hash address has 0");
    return bytes.substr(1);
}

}  // namespace downstream::identity
