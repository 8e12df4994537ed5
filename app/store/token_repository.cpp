#include "store/token_repository.h"

#include "store/address_lock.h"
#include "store/database.h"
#include "store/sql_binding.h"
#include "store/token_columns.h"
#include "store/token_removal.h"
#include "store/transaction.h"

namespace downstream::store {
namespace {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;
using Poco::Nullable;

// Runs a prepared `SELECT <every token column> ...` and returns its rows as records.
std::vector<TokenRecord> read_tokens(Poco::Data::Statement& statement) {
    auto columns = TokenColumns::with_hash();
    columns.bind(statement);
    statement.execute();
    return columns.take_records();
}

// `SELECT <every token column> FROM tokens WHERE <column> = ?`, kept prepared in the session:
// every API request looks its token up.
struct TokenByColumn : CachedStatement {
    std::string value;
    TokenColumns columns = TokenColumns::with_hash();
    TokenByColumn(Poco::Data::Session& session, const std::string& sql) : CachedStatement(session) {
        statement << sql, use(value);
        columns.bind(statement);
    }
};

std::optional<TokenRecord> find_one(Transaction& tx, const char* column, const std::string& value) {
    const std::string sql =
        "SELECT " + TokenColumns::with_hash().select_list() + " FROM tokens WHERE " + column + " = ?";
    auto& query = tx.cached<TokenByColumn>(sql, sql);
    query.value = value;
    query.columns.clear();
    query.execute();
    auto rows = query.columns.take_records();
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
}

// Takes one token slot of `ip` if it has fewer than `limit` (>= 1); false otherwise. One
// statement, kept prepared (every /new runs it): MySQL reports 1 row affected for a new
// row, 2 for a changed one and 0 for a row left as it was (the connector does not ask for
// found rows), so 0 means the IP is at its limit.
struct IpSlot : CachedStatement {
    static constexpr const char* kSql =
        "INSERT INTO ip_token_counts (ip, tokens) VALUES (?, 1)"
        " ON DUPLICATE KEY UPDATE tokens = IF(tokens < ?, tokens + 1, tokens)";
    std::string ip;
    std::int64_t limit = 0;
    explicit IpSlot(Poco::Data::Session& session) : CachedStatement(session) {
        statement << kSql, use(ip), use(limit);
    }
};

bool take_ip_slot(Transaction& tx, const std::string& ip, std::int64_t limit) {
    auto& slot = tx.cached<IpSlot>(IpSlot::kSql);
    slot.ip = ip;
    slot.limit = limit;
    return slot.execute() != 0;
}

// The statements of creating a token, kept prepared in the session.
struct AddressBalance : CachedStatement {
    static constexpr const char* kSql = "SELECT crowdsale_balance FROM addresses WHERE address = ?";
    std::string address;
    std::vector<std::int64_t> balances;
    explicit AddressBalance(Poco::Data::Session& session) : CachedStatement(session) {
        statement << kSql, use(address), into(balances);
    }
};

struct TokenInsert : CachedStatement {
    static constexpr const char* kSql =
        "INSERT INTO tokens (token_hash, farmer_id, address, ip, location_city,"
        " location_country, location_state, location_zip, location_lat,"
        " location_lon, created_ms, changed_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    std::string hash, farmer_id, address, ip;
    Nullable<std::string> city, country, state, zip;
    Nullable<double> lat, lon;
    std::int64_t at = 0;
    explicit TokenInsert(Poco::Data::Session& session) : CachedStatement(session) {
        statement << kSql, use(hash), use(farmer_id), use(address), use(ip), use(city),
            use(country), use(state), use(zip), use(lat), use(lon), use(at), use(at);
    }
};

void release_ip_slot(Transaction& tx, const std::string& ip) {
    std::string a = ip;
    tx.session() << "UPDATE ip_token_counts SET tokens = tokens - 1 WHERE ip = ? AND tokens > 0",
        use(a), now;
}

}  // namespace

Result<TokenRecord> TokenRepository::create(const NewToken& token, const TokenLimits& limits,
                                            UnixMillis now_ms) {
    std::optional<Error> refusal;
    std::optional<TokenRecord> created;
    db_.transact([&](Transaction& tx) {
        refusal.reset();
        created.reset();
        // A refusal changes nothing: not even the address's lock version, bumped before the
        // balance or the IP's slots were known.
        const auto refuse = [&](std::string message) {
            refusal = make_error(std::move(message));
            tx.rollback_only();
        };
        // The address stays on the whitelist until this token exists (and is then removed
        // with it). One statement locks it and checks its balance; when that matches nothing,
        // the lock and the balance are taken apart to say why (and should the balance have
        // risen meanwhile, the lock is held and the token made all the same).
        if (!lock_address_with_balance(tx, token.address, limits.min_balance)) {
            if (!lock_address(tx, token.address))
                return refuse("address " + token.address + " is not on the whitelist");
            auto& balance = tx.cached<AddressBalance>(AddressBalance::kSql);
            balance.address = token.address;
            balance.balances.clear();
            balance.execute();
            if (balance.balances.empty())
                return refuse("address " + token.address + " is not on the whitelist");
            if (balance.balances.front() < limits.min_balance)
                return refuse("address " + token.address + " has a balance of " +
                              std::to_string(balance.balances.front()) +
                              ", below the minimum of " + std::to_string(limits.min_balance));
        }
        if (!take_ip_slot(tx, token.ip, limits.max_tokens_per_ip))
            return refuse("this IP address already holds the maximum of " +
                          std::to_string(limits.max_tokens_per_ip) + " tokens");
        auto& insert = tx.cached<TokenInsert>(TokenInsert::kSql);
        insert.hash = token.token_hash;
        insert.farmer_id = token.farmer_id;
        insert.address = token.address;
        insert.ip = token.ip;
        insert.city = to_nullable(token.location.city);
        insert.country = to_nullable(token.location.country);
        insert.state = to_nullable(token.location.state);
        insert.zip = to_nullable(token.location.zip);
        insert.lat = to_nullable(token.location.lat);
        insert.lon = to_nullable(token.location.lon);
        insert.at = now_ms;
        insert.execute();
        // The row as inserted, its defaults included (sql/001_init.sql): no read back.
        TokenRecord record;
        record.id = tx.last_insert_id();
        record.token_hash = token.token_hash;
        record.farmer_id = token.farmer_id;
        record.address = token.address;
        record.ip = token.ip;
        record.location = token.location;
        record.created_ms = now_ms;
        record.changed_ms = now_ms;
        created = std::move(record);
    });
    if (refusal) return *refusal;
    return std::move(created).value();
}

std::optional<TokenRecord> TokenRepository::find_by_hash(const std::string& token_hash) {
    std::optional<TokenRecord> result;
    db_.autocommit([&](Transaction& tx) { result = find_one(tx, "token_hash", token_hash); });
    return result;
}

std::optional<TokenRecord> TokenRepository::find_by_farmer_id(const std::string& farmer_id) {
    std::optional<TokenRecord> result;
    db_.autocommit([&](Transaction& tx) { result = find_one(tx, "farmer_id", farmer_id); });
    return result;
}

MoveOutcome TokenRepository::move_to_ip(std::int64_t token_id, const std::string& new_ip,
                                        const Location& location,
                                        std::int64_t max_tokens_per_ip, UnixMillis now_ms) {
    MoveOutcome outcome = MoveOutcome::NotFound;
    db_.transact([&](Transaction& tx) {
        std::int64_t id = token_id;
        std::vector<std::string> ips;
        tx.session() << "SELECT ip FROM tokens WHERE id = ? FOR UPDATE", use(id), into(ips), now;
        if (ips.empty()) {
            outcome = MoveOutcome::NotFound;
            return;
        }
        if (ips.front() == new_ip) {
            outcome = MoveOutcome::Unchanged;
            return;
        }
        if (!take_ip_slot(tx, new_ip, max_tokens_per_ip)) {
            outcome = MoveOutcome::TooManyTokens;
            tx.rollback_only();
            return;
        }
        release_ip_slot(tx, ips.front());
        std::string ip = new_ip;
        auto city = to_nullable(location.city);
        auto country = to_nullable(location.country);
        auto state = to_nullable(location.state);
        auto zip = to_nullable(location.zip);
        auto lat = to_nullable(location.lat);
        auto lon = to_nullable(location.lon);
        std::int64_t at = now_ms;
        tx.session() << "UPDATE tokens SET ip = ?, location_city = ?, location_country = ?,"
                        " location_state = ?, location_zip = ?, location_lat = ?, location_lon = ?,"
                        " changed_ms = ? WHERE id = ?",
            use(ip), use(city), use(country), use(state), use(zip), use(lat), use(lon), use(at),
            use(id), now;
        outcome = MoveOutcome::Moved;
    });
    return outcome;
}

bool TokenRepository::remove(const std::string& token_hash, UnixMillis now_ms) {
    bool removed = false;
    db_.transact([&](Transaction& tx) {
        std::string hash = token_hash;
        std::vector<std::int64_t> ids;
        tx.session() << "SELECT id FROM tokens WHERE token_hash = ?", use(hash), into(ids), now;
        removed = remove_tokens(tx, ids, now_ms).tokens > 0;
    });
    return removed;
}

std::vector<TokenRecord> TokenRepository::changed_since(UnixMillis after_ms, std::size_t limit) {
    std::vector<TokenRecord> result;
    db_.transact([&](Transaction& tx) {
        std::int64_t after = after_ms;
        std::int64_t max = static_cast<std::int64_t>(limit);
        Poco::Data::Statement st(tx.session());
        st << "SELECT " << TokenColumns::with_hash().select_list()
           << " FROM tokens WHERE changed_ms > ? ORDER BY changed_ms, id LIMIT ?",
            use(after), use(max);
        result = read_tokens(st);
    });
    return result;
}

std::vector<std::pair<std::string, UnixMillis>> TokenRepository::deleted_since(UnixMillis after_ms,
                                                                               std::size_t limit) {
    std::vector<std::pair<std::string, UnixMillis>> result;
    db_.transact([&](Transaction& tx) {
        result.clear();
        std::int64_t after = after_ms;
        std::int64_t max = static_cast<std::int64_t>(limit);
        std::vector<std::string> ids;
        std::vector<std::int64_t> times;
        tx.session() << "SELECT farmer_id, deleted_ms FROM token_deletions WHERE deleted_ms > ?"
                        " ORDER BY deleted_ms, id LIMIT ?",
            use(after), use(max), into(ids), into(times), now;
        for (std::size_t i = 0; i < ids.size(); ++i) result.emplace_back(ids[i], times[i]);
    });
    return result;
}

std::size_t TokenRepository::forget_old_deletions(UnixMillis before_ms) {
    std::size_t deleted = 0;
    db_.transact([&](Transaction& tx) {
        std::int64_t before = before_ms;
        Poco::Data::Statement old(tx.session());
        old << "DELETE FROM token_deletions WHERE deleted_ms < ?", use(before);
        deleted = old.execute();
        Poco::Data::Statement empty(tx.session());
        empty << "DELETE FROM ip_token_counts WHERE tokens = 0";
        deleted += empty.execute();
    });
    return deleted;
}

std::int64_t TokenRepository::tokens_for_ip(const std::string& ip) {
    std::int64_t count = 0;
    db_.transact([&](Transaction& tx) {
        std::string a = ip;
        std::vector<std::int64_t> counts;
        tx.session() << "SELECT tokens FROM ip_token_counts WHERE ip = ?", use(a), into(counts), now;
        count = counts.empty() ? 0 : counts.front();
    });
    return count;
}

}  // namespace downstream::store
