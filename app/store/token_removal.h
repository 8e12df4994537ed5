// Store-internal: deleting farmers with everything that hangs on them, inside a caller's
// transaction. Shared by TokenRepository::remove (revoke-token) and
// AddressRepository::replace_whitelist (an address leaving the whitelist).
#pragma once

#include "base/clock.h"

#include <cstdint>
#include <vector>

namespace downstream::store {

class Transaction;

struct RemovalCounts {
    std::size_t tokens = 0;
    std::size_t contracts = 0;
    std::size_t files = 0;
};

// Deletes the tokens (locking them first), their contracts, the files no other contract
// references, decrements the per-IP token counters and records a tombstone per farmer id
// (token_deletions) so status caches learn of the removal.
RemovalCounts remove_tokens(Transaction& tx, const std::vector<std::int64_t>& token_ids,
                            UnixMillis now);

// Deletes the files among `file_ids` that no contract references any more; returns how many.
std::size_t delete_unreferenced_files(Transaction& tx, const std::vector<std::int64_t>& file_ids);

}  // namespace downstream::store
