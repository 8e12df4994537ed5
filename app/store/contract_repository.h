// Chunk contracts (table contracts) and the farmer summary events they cause (columns of
// table tokens). Every write that two requests may race on is a single atomic transaction:
// a pool chunk is handed out once, an answer is counted once, a contract goes offline once.
#pragma once

#include "base/clock.h"
#include "base/result.h"
#include "store/chunk_pool_repository.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace downstream::proof {
class HeartbeatScheme;
}

namespace downstream::store {

class Database;

struct IssueRequest {
    std::int64_t token_id = 0;
    std::int64_t requested_bytes = 0;       // fill up to this total
    int max_chunks = 10;                    // limits.max_chunks_per_request
    std::int64_t max_size_per_address = 0;  // limits.max_size_per_address
    std::int64_t interval_ms = 60000;       // contract.interval
    PoolKey pool;                           // the node's scheme and key
};

// What the farmer is told about a new contract (the /chunk reply's entries).
struct IssuedContract {
    std::string file_hash;  // 32 raw bytes
    std::string seed;
    std::int64_t size = 0;
    std::string tag_json;
    std::string challenge_json;
    UnixMillis due_ms = 0;
};

struct ContractRecord {
    std::int64_t id = 0;
    std::int64_t token_id = 0;
    std::int64_t file_id = 0;
    std::string file_hash;
    std::int64_t size = 0;
    std::string state;
    std::string challenge;
    std::string challenge_json;
    UnixMillis due_ms = 0;
    bool answered = false;
    UnixMillis expiration_ms = 0;
    std::int64_t interval_ms = 0;
    bool online = false;
    UnixMillis created_ms = 0;
};

enum class AnswerOutcome {
    Accepted,          // counted: heartbeats + 1, expiration = due + interval
    AlreadyAnswered,   // this challenge was answered before (a racing duplicate included)
    Expired,           // at or after the contract's expiration
    ChallengeChanged,  // a newer challenge was issued since the proof's challenge was read
    NotFound,
};

struct SweepReport {
    std::size_t contracts = 0;  // contracts whose online flag was cleared
    std::size_t tokens = 0;     // farmer summaries updated
};

struct DeletionReport {
    std::size_t contracts = 0;
    std::size_t files = 0;
};

class ContractRepository {
public:
    ContractRepository(Database& db, const proof::HeartbeatScheme& scheme)
        : db_(db), scheme_(scheme) {}

    // Draws pool chunks for a token and turns them into contracts, in one transaction:
    // greedily the largest chunk that still fits the remaining budget, where the budget is
    // min(requested_bytes, max_size_per_address - bytes in the address's live contracts), at
    // most max_chunks. Draws for one address are serialised by locking its row; pool chunks
    // are taken with SKIP LOCKED, so concurrent draws never block each other on the pool and
    // never get the same chunk. Each contract's first challenge is due at now + interval.
    // The farmer's summary records the issue event. An empty list means nothing fits.
    // Errors (for the farmer): the token is gone, its address left the whitelist.
    Result<std::vector<IssuedContract>> issue_from_pool(const IssueRequest& request, UnixMillis now);

    std::optional<ContractRecord> find(std::int64_t token_id, const std::string& file_hash);

    // Records a verified proof for the challenge whose due time was `seen_due_ms`, atomically:
    // the contract row is locked, so of two racing answers exactly one is Accepted. Accepted
    // sets answered, expiration = due + interval, and updates the farmer's summary
    // (heartbeats + 1, online interval extended; a contract the sweep had already taken
    // offline counts as online again).
    AnswerOutcome accept_answer(std::int64_t contract_id, UnixMillis seen_due_ms, UnixMillis now);

    // Clears the online flag of contracts whose expiration is <= now and takes them out of
    // their farmers' contracts_online / size_online, in batches of `batch`.
    SweepReport sweep_expired(UnixMillis now, std::size_t batch = 500);

    // Deletes contracts that went offline and expired before `before_ms`, with the files no
    // other contract references. Sweep first: online contracts are never deleted.
    DeletionReport delete_expired(UnixMillis before_ms, std::size_t batch = 500);

    // Contracts in the table (all tokens).
    std::int64_t count_all();

private:
    Database& db_;
    const proof::HeartbeatScheme& scheme_;
};

}  // namespace downstream::store
