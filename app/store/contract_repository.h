// Chunk contracts (table contracts) and the farmer summary events they cause (columns of
// table tokens). Every write that two requests may race on is a single atomic transaction:
// a pool chunk is handed out once, an answer is counted once, a contract goes offline once.
#pragma once

#include "base/clock.h"
#include "base/result.h"
#include "store/chunk_pool_repository.h"
#include "store/concurrency_limit.h"
#include "store/group_commit.h"
#include "store/token_id_cache.h"

#include <cstdint>
#include <functional>
#include <memory>
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

// A verified proof to record: the contract and the due time of the challenge it answers.
struct AnswerClaim {
    std::int64_t contract_id = 0;
    UnixMillis seen_due_ms = 0;
};

// The next challenge of an answered contract whose challenge fell due (contract timing,
// IssueNext), to store if nobody else advanced the contract meanwhile.
struct ChallengeAdvance {
    std::int64_t contract_id = 0;
    UnixMillis seen_due_ms = 0;      // the due time the decision was made on
    std::string state;               // the scheme state after issuing
    std::string challenge;           // the node's form of the challenge
    std::string challenge_json;      // the farmer's form
};

// Chooses, from a farmer's contracts as they stand under the row locks of the transaction
// that records the answers (those among the requested file hashes, in no particular order),
// the claims to record. It may be called again if that transaction is retried, so it decides
// from its argument alone; what it throws reaches its own caller only.
using AnswerDecision = std::function<std::vector<AnswerClaim>(const std::vector<ContractRecord>&)>;

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

// What the routes need of the contracts: the seam handler tests replace with a fake.
class ContractStore {
public:
    virtual ~ContractStore() = default;

    // Draws pool chunks for a token and turns them into contracts (ContractRepository).
    virtual Result<std::vector<IssuedContract>> issue_from_pool(const IssueRequest& request,
                                                                UnixMillis now) = 0;

    // The token's contracts whose file hash (32 raw bytes) is in `file_hashes`; hashes without
    // a contract are simply absent. Order unspecified.
    virtual std::vector<ContractRecord> find_many(std::int64_t token_id,
                                                  const std::vector<std::string>& file_hashes) = 0;

    // Every contract of the token, oldest first.
    virtual std::vector<ContractRecord> find_for_token(std::int64_t token_id) = 0;

    // Stores next challenges in one transaction. Each applies only while the contract is
    // still answered, unexpired at `now` and due at `seen_due_ms` (so of two racing requests
    // one advances it); its due time moves one interval on and it is unanswered again (its
    // expiration stays). Returns, per entry, whether it applied.
    virtual std::vector<bool> advance_challenges(std::int64_t token_id,
                                                 const std::vector<ChallengeAdvance>& advances,
                                                 UnixMillis now) = 0;

    // Answers of the farmer whose token has the storage hash `token_hash`, in one transaction:
    // reads and locks its contracts among `file_hashes` (32 raw bytes each), lets `decide`
    // choose claims from them, and records the claims, each for the challenge whose due time
    // it saw. So of racing answers for one challenge exactly one is Accepted. Accepted sets
    // answered and expiration = due + interval, and updates the farmer's summary once for all
    // accepted ones (heartbeats, online interval extended; a contract the sweep had taken
    // offline counts as online again). A claim for a contract that was not read is NotFound.
    // Outcomes in claim order; nullopt when no token has that hash (decide is not called).
    virtual std::optional<std::vector<AnswerOutcome>> answer(const std::string& token_hash,
                                                             const std::vector<std::string>& file_hashes,
                                                             const AnswerDecision& decide,
                                                             UnixMillis now) = 0;
};

struct AnswerWrite;

// Thread-safe: a worker's threads share one.
class ContractRepository final : public ContractStore {
public:
    // `concurrent_draws`: how many issue_from_pool calls of this repository run their
    // transaction at once; more wait for a turn (DECISIONS 125).
    ContractRepository(Database& db, const proof::HeartbeatScheme& scheme,
                       std::size_t concurrent_draws = kDefaultConcurrentDraws);
    static constexpr std::size_t kDefaultConcurrentDraws = 4;
    ~ContractRepository() override;
    ContractRepository(const ContractRepository&) = delete;
    ContractRepository& operator=(const ContractRepository&) = delete;

    // Draws pool chunks for a token and turns them into contracts, in one transaction:
    // greedily the largest chunk that still fits the remaining budget, where the budget is
    // min(requested_bytes, max_size_per_address - bytes in the address's live contracts), at
    // most max_chunks. Draws for one address are serialised by locking its row; pool chunks
    // are taken with SKIP LOCKED, so concurrent draws never block each other on the pool and
    // never get the same chunk. Each contract's first challenge is due at now + interval.
    // The farmer's summary records the issue event. An empty list means nothing fits.
    // Errors (for the farmer): the token is gone, its address left the whitelist.
    Result<std::vector<IssuedContract>> issue_from_pool(const IssueRequest& request,
                                                        UnixMillis now) override;

    std::optional<ContractRecord> find(std::int64_t token_id, const std::string& file_hash);
    std::vector<ContractRecord> find_many(std::int64_t token_id,
                                          const std::vector<std::string>& file_hashes) override;
    std::vector<ContractRecord> find_for_token(std::int64_t token_id) override;
    std::vector<bool> advance_challenges(std::int64_t token_id,
                                         const std::vector<ChallengeAdvance>& advances,
                                         UnixMillis now) override;
    // As ContractStore::answer. Concurrent calls share one transaction (group commit, up to
    // 1,024 file hashes): one read locks the contracts of all of them, by (token id, file
    // hash), each caller's decision sees the rows as the callers before it in the group left
    // them, and its outcomes are its own. A database failure fails every caller of the group;
    // none of them was counted then. Token ids are remembered per repository after the first
    // lookup; a call that finds none of its contracts checks that the token still exists.
    std::optional<std::vector<AnswerOutcome>> answer(const std::string& token_hash,
                                                     const std::vector<std::string>& file_hashes,
                                                     const AnswerDecision& decide,
                                                     UnixMillis now) override;

    // Clears the online flag of contracts whose expiration is <= now and takes them out of
    // their farmers' contracts_online / size_online, in batches of `batch`.
    SweepReport sweep_expired(UnixMillis now, std::size_t batch = 500);

    // Deletes contracts that went offline and expired before `before_ms`, with the files no
    // other contract references. Sweep first: online contracts are never deleted.
    DeletionReport delete_expired(UnixMillis before_ms, std::size_t batch = 500);

    // Contracts in the table (all tokens).
    std::int64_t count_all();

private:
    void write_answers(const std::vector<AnswerWrite*>& batch);
    // The token's id, remembered after the first lookup; nullopt when no token has the hash.
    std::optional<std::int64_t> token_id_of(const std::string& token_hash);

    Database& db_;
    const proof::HeartbeatScheme& scheme_;
    std::unique_ptr<GroupCommit<AnswerWrite>> answer_writes_;
    TokenIdCache token_ids_;
    ConcurrencyLimit draws_;
};

}  // namespace downstream::store
