// Store-internal (app/store/*.cpp only): the row lock that serialises everything done for
// one whitelisted address (issuing its tokens, drawing contracts against its size limit,
// removing it from the whitelist).
#pragma once

#include "store/transaction.h"

#include <cstdint>
#include <string>

namespace downstream::store {

// Locks the address's whitelist row until the transaction ends; false if the address is not
// on the whitelist. A write, not SELECT ... FOR UPDATE: Galera certifies only writes, so only
// a write makes the same work for the address on another member conflict (one of the two then
// runs again and sees the other's rows). See sql/002_address_lock_version.sql.
bool lock_address(Transaction& tx, const std::string& address);

// As lock_address, in the same one statement, only when the address's crowdsale balance is
// at least `min_balance`; false (nothing locked) when it is lower or the address is not on
// the whitelist.
bool lock_address_with_balance(Transaction& tx, const std::string& address,
                               std::int64_t min_balance);

}  // namespace downstream::store
