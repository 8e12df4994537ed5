// Farmers' tokens (table tokens) and the per-IP token counters (table ip_token_counts).
// The plain token never reaches this layer: callers pass token_hash = SHA-256 of the 16 raw
// token bytes and farmer_id = the first 20 hex characters of that hash.
#pragma once

#include "base/clock.h"
#include "base/result.h"
#include "store/online_interval.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace downstream::store {

class Database;

// Where a farmer is, as far as the GeoIP database knows; unknown parts are empty.
struct Location {
    std::optional<std::string> city;
    std::optional<std::string> country;
    std::optional<std::string> state;
    std::optional<std::string> zip;
    std::optional<double> lat;
    std::optional<double> lon;
    bool operator==(const Location& o) const {
        return city == o.city && country == o.country && state == o.state && zip == o.zip &&
               lat == o.lat && lon == o.lon;
    }
};

struct NewToken {
    std::string token_hash;  // 32 raw bytes
    std::string farmer_id;   // 20 lower-case hex characters
    std::string address;
    std::string ip;
    Location location;
};

// A farmer with its summary (see sql/001_init.sql for the meaning of each column).
struct TokenRecord {
    std::int64_t id = 0;
    std::string token_hash;
    std::string farmer_id;
    std::string address;
    std::string ip;
    Location location;
    UnixMillis created_ms = 0;
    std::int64_t heartbeats = 0;
    OnlineInterval online;
    std::int64_t contracts_online = 0;
    std::int64_t size_online = 0;
    std::optional<UnixMillis> last_due_ms;
    UnixMillis changed_ms = 0;
};

struct TokenLimits {
    std::int64_t max_tokens_per_ip = 5;
    std::int64_t min_balance = 10000;
};

enum class MoveOutcome {
    Moved,           // the token now belongs to the new IP
    Unchanged,       // it already did
    TooManyTokens,   // the new IP holds its maximum of tokens already
    NotFound,
};

// What the routes need of the tokens: the seam handler tests replace with a fake.
class TokenStore {
public:
    virtual ~TokenStore() = default;

    // Creates a token in one transaction if its address is whitelisted with at least
    // min_balance and its IP holds fewer than max_tokens_per_ip tokens. The per-IP limit holds
    // under any concurrency (a conditional increment of the IP's counter row). The error
    // message is fit for the farmer.
    virtual Result<TokenRecord> create(const NewToken& token, const TokenLimits& limits,
                                       UnixMillis now) = 0;

    virtual std::optional<TokenRecord> find_by_hash(const std::string& token_hash) = 0;
    virtual std::optional<TokenRecord> find_by_farmer_id(const std::string& farmer_id) = 0;

    // Moves a token to a new IP (and location) if that IP may hold one more token; the old
    // IP's counter goes down in the same transaction.
    virtual MoveOutcome move_to_ip(std::int64_t token_id, const std::string& new_ip,
                                   const Location& location, std::int64_t max_tokens_per_ip,
                                   UnixMillis now) = 0;
};

class TokenRepository final : public TokenStore {
public:
    explicit TokenRepository(Database& db) : db_(db) {}

    Result<TokenRecord> create(const NewToken& token, const TokenLimits& limits,
                               UnixMillis now) override;
    std::optional<TokenRecord> find_by_hash(const std::string& token_hash) override;
    std::optional<TokenRecord> find_by_farmer_id(const std::string& farmer_id) override;
    MoveOutcome move_to_ip(std::int64_t token_id, const std::string& new_ip,
                           const Location& location, std::int64_t max_tokens_per_ip,
                           UnixMillis now) override;

    // Deletes the token with its contracts (library function delete_token, admin
    // revoke-token). False if there is no such token.
    bool remove(const std::string& token_hash, UnixMillis now);

    // Up to `limit` tokens changed after `after_ms`, oldest change first: what a status cache
    // loads to catch up (served by the index on changed_ms).
    std::vector<TokenRecord> changed_since(UnixMillis after_ms, std::size_t limit);

    // Farmer ids deleted after `after_ms` (with the time), oldest first.
    std::vector<std::pair<std::string, UnixMillis>> deleted_since(UnixMillis after_ms,
                                                                  std::size_t limit);

    // Housekeeping for cleandb: drops deletion records older than `before_ms` and per-IP
    // counters that reached zero. Returns the number of rows deleted.
    std::size_t forget_old_deletions(UnixMillis before_ms);

    // Tokens held by one IP address according to its counter row.
    std::int64_t tokens_for_ip(const std::string& ip);

private:
    Database& db_;
};

}  // namespace downstream::store
