// Bitcoin pay-to-public-key-hash addresses (version byte 0x00): the identity a signed message
// names. SJCX addresses are such addresses.
#pragma once

#include "base/result.h"

#include <string>
#include <string_view>

namespace downstream::identity {

inline constexpr std::size_t kHash160Size = 20;

// HASH160 = RIPEMD-160(SHA-256(data)), the 20 bytes an address carries for a public key.
std::string hash160(std::string_view data);

// The P2PKH address of a 20-byte HASH160: base58check of 0x00 ‖ hash160.
std::string p2pkh_address(std::string_view hash160);

// The address of a serialized public key (33-byte compressed or 65-byte uncompressed form).
std::string p2pkh_address_for_public_key(std::string_view serialized_public_key);

// The HASH160 a P2PKH address carries, read as pycoin 0.52 reads the address of a signed
// message: base58check with nothing stripped (see base58check_decode_exact), 21 bytes, version
// byte 0x00. Fails, with the reason in words fit for a farmer, exactly where pycoin raises.
Result<std::string> p2pkh_hash160(std::string_view address);

}  // namespace downstream::identity
