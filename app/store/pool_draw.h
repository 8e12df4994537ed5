// Store-internal (app/store/*.cpp only; pulls in Poco through transaction.h): the statements
// that turn pool chunks into contracts, each for many chunks at once, so that issuing ten
// contracts costs a handful of round trips instead of five per contract.
#pragma once

#include "base/clock.h"
#include "store/chunk_pool_repository.h"
#include "store/transaction.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace downstream::store {

// A pool chunk drawn for a contract, its tag complete.
struct DrawnChunk {
    std::int64_t id = 0;
    std::int64_t size = 0;
    std::string seed;
    std::string file_hash;
    std::string tag_json;
    std::string state;
};

// Up to `count` of the largest chunks of `key` no bigger than `max_size` that no other
// transaction holds, largest first, each locked until the transaction ends (SKIP LOCKED:
// concurrent draws never wait for each other and never get the same chunk).
std::vector<DrawnChunk> draw_largest(Transaction& tx, const PoolKey& key, std::int64_t max_size,
                                     std::size_t count);

// Deletes drawn chunks from the pool.
void delete_from_pool(Transaction& tx, const std::vector<std::int64_t>& ids);

// A contract to create from a drawn chunk: its files row and its contracts row.
struct NewContract {
    std::string file_hash;  // 32 raw bytes, unique among files
    std::string seed;
    std::int64_t size = 0;
    std::string state;           // the scheme state after the first challenge
    std::string challenge;       // the node's form
    std::string challenge_json;  // the farmer's form
};

// Inserts the files and contracts rows of `contracts` for `token_id`, each unanswered and
// online, its first challenge due at `due_ms`.
void insert_contracts(Transaction& tx, std::int64_t token_id, const std::vector<NewContract>& contracts,
                      UnixMillis due_ms, std::int64_t interval_ms, UnixMillis now_ms);

}  // namespace downstream::store
