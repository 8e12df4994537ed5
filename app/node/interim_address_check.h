// Whether a whitelist entry is an address: base58check with a valid checksum and a 21-byte
// payload (version byte + 20-byte hash), as SJCX (Bitcoin-style) addresses are.
//
// TODO(integrator): app/identity (branch `identity`) implements base58check for the token
// routes; once merged, call its validator from here (or from the whitelist command) so the
// whitelist and /new accept exactly the same addresses, and delete this file. The unit test
// runs this check against test/vectors/addresses.json.
#pragma once

#include <string_view>

namespace downstream::node {

bool is_plausible_address(std::string_view address);

}  // namespace downstream::node
