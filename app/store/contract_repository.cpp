#include "store/contract_repository.h"

#include "base/log.h"
#include "proof/heartbeat_scheme.h"
#include "store/address_lock.h"
#include "store/bounded_blob.h"
#include "store/database.h"
#include "store/pool_draw.h"
#include "store/sql_binding.h"
#include "store/token_removal.h"
#include "store/token_repository.h"
#include "store/transaction.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>

namespace downstream::store {
namespace {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

// The issue event of the online-interval union (OnlineInterval::issue) for contracts issued
// at t that expire at e, plus the counters. Each assignment reads only columns assigned after
// it (or itself), so the statement means the same under MySQL's left-to-right assignment and
// under MariaDB's SIMULTANEOUS_ASSIGNMENT mode:
//   covered: a gap (t > end) closes the current interval
//   start:   a new interval starts at t after a gap or for the first contract
//   end:     ... and ends at e; otherwise end = max(end, e)
//   first:   set once
// Bound: t, t, t, t, e, e, t, contracts, bytes, due, now, token id.
constexpr const char* kIssueEventSql =
    "UPDATE tokens SET"
    " covered_ms = IF(first_contract_ms IS NULL OR ? <= online_end_ms, covered_ms,"
    "                 covered_ms + online_end_ms - online_start_ms),"
    " online_start_ms = IF(first_contract_ms IS NULL OR ? > online_end_ms, ?, online_start_ms),"
    " online_end_ms = IF(first_contract_ms IS NULL OR ? > online_end_ms, ?,"
    "                    GREATEST(online_end_ms, ?)),"
    " first_contract_ms = IFNULL(first_contract_ms, ?),"
    " contracts_online = contracts_online + ?,"
    " size_online = size_online + ?,"
    " last_due_ms = GREATEST(IFNULL(last_due_ms, 0), ?),"
    " changed_ms = ?"
    " WHERE id = ?";

// The columns ContractColumns reads. The scheme values are bounded reads
// (store/bounded_blob.h); the last column is the length of the longest of them.
const std::string& contract_columns() {
    static const std::string columns =
        "id, token_id, file_id, file_hash, size, " + bounded_blob("state") + ", " +
        bounded_blob("challenge") + ", " + bounded_blob("challenge_json") +
        ", due_ms, answered, expiration_ms, interval_ms, online, created_ms,"
        " GREATEST(LENGTH(state), LENGTH(challenge), LENGTH(challenge_json))";
    return columns;
}

// How many unusable pool chunks one draw discards before giving up on the pool.
constexpr int kMaxUnusableChunksPerDraw = 16;

// issue_from_pool's statements besides the pool's (store/pool_draw.h), kept prepared in the
// session: every /chunk request runs each once.
struct TokenAddress : CachedStatement {
    static constexpr const char* kSql = "SELECT address FROM tokens WHERE id = ?";
    std::int64_t token = 0;
    std::vector<std::string> addresses;
    explicit TokenAddress(Poco::Data::Session& session) : CachedStatement(session) {
        statement << kSql, use(token), into(addresses);
    }
};

struct TokenLock : CachedStatement {
    static constexpr const char* kSql = "SELECT id FROM tokens WHERE id = ? FOR UPDATE";
    std::int64_t token = 0;
    std::vector<std::int64_t> ids;
    explicit TokenLock(Poco::Data::Session& session) : CachedStatement(session) {
        statement << kSql, use(token), into(ids);
    }
};

// Bytes in the live contracts of every token of an address. The plan is fixed: the address's
// tokens, then each token's contracts through the (token_id, file_hash) index. Left to itself,
// MariaDB once chose to scan every contract and look its token up, for a whole bench phase
// (83 % of the machine, a third of the usual /chunk rate; docs/DECISIONS.md 118).
struct LiveBytes : CachedStatement {
    static constexpr const char* kSql =
        "SELECT CAST(COALESCE(SUM(c.size), 0) AS SIGNED) FROM tokens t"
        " STRAIGHT_JOIN contracts c FORCE INDEX (uq_contracts_token_file) ON c.token_id = t.id"
        " WHERE t.address = ? AND c.expiration_ms > ?";
    std::string address;
    std::int64_t at = 0;
    std::vector<std::int64_t> bytes;
    explicit LiveBytes(Poco::Data::Session& session) : CachedStatement(session) {
        statement << kSql, use(address), use(at), into(bytes);
    }
};

struct IssueEvent : CachedStatement {
    std::int64_t t = 0, e = 0, count = 0, bytes = 0, due = 0, token = 0;
    explicit IssueEvent(Poco::Data::Session& session) : CachedStatement(session) {
        statement << kIssueEventSql, use(t), use(t), use(t), use(t), use(e), use(e), use(t),
            use(count), use(bytes), use(due), use(t), use(token);
    }
};

struct ContractColumns {
    std::vector<std::int64_t> id, token_id, file_id, size, due, answered, expiration, interval,
        online, created, longest;
    std::vector<std::string> file_hash, state, challenge, challenge_json;

    // Empties every column (a cached statement appends its rows to them).
    void clear() {
        for (auto* v : {&id, &token_id, &file_id, &size, &due, &answered, &expiration, &interval,
                        &online, &created, &longest})
            v->clear();
        for (auto* v : {&file_hash, &state, &challenge, &challenge_json}) v->clear();
    }

    void bind(Poco::Data::Statement& st) {
        st, into(id), into(token_id), into(file_id), into(file_hash), into(size), into(state),
            into(challenge), into(challenge_json), into(due), into(answered), into(expiration),
            into(interval), into(online), into(created), into(longest);
    }

    // Row i. Throws std::runtime_error when a scheme value was longer than the bounded read.
    ContractRecord record(std::size_t i) const {
        check_bounded_blob(longest[i], "a scheme value of contract " + std::to_string(id[i]));
        return ContractRecord{id[i],        token_id[i],       file_id[i],   file_hash[i],
                              size[i],      state[i],          challenge[i], challenge_json[i],
                              due[i],       answered[i] != 0,  expiration[i], interval[i],
                              online[i] != 0, created[i]};
    }
};

// find_many's statement, kept prepared in the session (one per IN-list length), served by the
// unique (token_id, file_hash) index.
struct ContractsByHash : CachedStatement {
    static std::string sql(std::size_t n) {
        return "SELECT " + contract_columns() +
               " FROM contracts WHERE token_id = ? AND file_hash IN (" + placeholder_list(n) + ")";
    }
    std::int64_t token = 0;
    std::vector<std::string> hashes;  // bound element by element: never resized
    ContractColumns columns;

    ContractsByHash(Poco::Data::Session& session, std::size_t n) : CachedStatement(session), hashes(n) {
        statement << sql(n), use(token);
        for (auto& hash : hashes) statement, use(hash);
        columns.bind(statement);
    }
};

// The group write of answers (write_answers): its statements, kept prepared in the session.
// IN lists are padded to a power of two by repeating their last id (harmless in IN), so that
// groups of any size share a few prepared statements.
std::size_t padded_length(std::size_t n) {
    std::size_t padded = 1;
    while (padded < n) padded <<= 1;
    return padded;
}

// Fills `slots` with `ids` and repeats the last id in the rest.
void fill_padded(std::vector<std::int64_t>& slots, const std::int64_t* ids, std::size_t n) {
    std::copy(ids, ids + n, slots.begin());
    std::fill(slots.begin() + static_cast<std::ptrdiff_t>(n), slots.end(), ids[n - 1]);
}

// Contracts per statement of a group write.
constexpr std::size_t kAnswerSlice = 512;

// The group read of answers: the contracts named by (token id, file hash) pairs, locked in
// the order of the unique (token_id, file_hash) index, which the row-constructor IN list is
// a range of (every group locks in that order, so two groups queue instead of deadlocking).
struct AnswerRead : CachedStatement {
    static std::string sql(std::size_t pairs) {
        std::string list;
        for (std::size_t i = 0; i < pairs; ++i) list += i ? ", (?, ?)" : "(?, ?)";
        return "SELECT " + contract_columns() +
               " FROM contracts WHERE (token_id, file_hash) IN (" + list + ") FOR UPDATE";
    }
    // Bound element by element: never resized.
    std::vector<std::int64_t> tokens;
    std::vector<std::string> hashes;
    ContractColumns columns;

    AnswerRead(Poco::Data::Session& session, std::size_t pairs)
        : CachedStatement(session), tokens(pairs), hashes(pairs) {
        statement << sql(pairs);
        for (std::size_t i = 0; i < pairs; ++i) statement, use(tokens[i]), use(hashes[i]);
        columns.bind(statement);
    }
};

struct AnswerMark : CachedStatement {
    static std::string sql(std::size_t n) {
        return "UPDATE contracts SET answered = 1, expiration_ms = due_ms + interval_ms,"
               " online = 1 WHERE id IN (" + placeholder_list(n) + ")";
    }
    std::vector<std::int64_t> ids;  // assigned, never resized after binding

    AnswerMark(Poco::Data::Session& session, std::size_t n) : CachedStatement(session), ids(n) {
        statement << sql(n);
        for (auto& id : ids) statement, use(id);
    }
};

// The proof events of a group (OnlineInterval::extend, heartbeats, revived contracts) for n
// farmers in one statement, each column a CASE over the token ids.
struct AnswerSummaries : CachedStatement {
    static std::string sql(std::size_t n) {
        std::string when;
        for (std::size_t i = 0; i < n; ++i) when += " WHEN ? THEN ?";
        const std::string per_token = "CASE id" + when + " END";
        return "UPDATE tokens SET heartbeats = heartbeats + " + per_token +
               ", online_end_ms = GREATEST(online_end_ms, " + per_token +
               "), contracts_online = contracts_online + " + per_token +
               ", size_online = size_online + " + per_token + ", changed_ms = " + per_token +
               " WHERE id IN (" + placeholder_list(n) + ")";
    }
    // Bound element by element: never resized.
    std::vector<std::int64_t> tokens, counts, latest_expirations, revived, revived_bytes, ats;

    AnswerSummaries(Poco::Data::Session& session, std::size_t n)
        : CachedStatement(session), tokens(n), counts(n), latest_expirations(n), revived(n),
          revived_bytes(n), ats(n) {
        statement << sql(n);
        for (auto* column : {&counts, &latest_expirations, &revived, &revived_bytes, &ats})
            for (std::size_t i = 0; i < n; ++i) statement, use(tokens[i]), use((*column)[i]);
        for (auto& token : tokens) statement, use(token);
    }
};

// What one group write adds to a farmer's summary.
struct SummaryChange {
    std::int64_t count = 0, latest_expiration = 0, revived = 0, revived_bytes = 0, at = 0;
};

}  // namespace

Result<std::vector<IssuedContract>> ContractRepository::issue_from_pool(const IssueRequest& request,
                                                                        UnixMillis now_ms) {
    std::vector<IssuedContract> issued;
    std::optional<Error> refusal;
    // Many draws at once in MariaDB cost far more CPU per contract than a few (measured:
    // up to 32 at once issued 722-1,468 contracts/s, up to 8 at once 1,899/s), so callers
    // queue here.
    const ConcurrencyLimit::Slot slot(draws_);
    db_.transact([&](Transaction& tx) {
        issued.clear();
        refusal.reset();
        const std::int64_t token_id = request.token_id;
        auto& token_address = tx.cached<TokenAddress>(TokenAddress::kSql);
        token_address.token = token_id;
        token_address.addresses.clear();
        token_address.execute();
        if (token_address.addresses.empty()) {
            refusal = make_error("token not found");
            return;
        }
        const std::string address = token_address.addresses.front();
        // Serialises draws for one address, so that its size limit holds.
        if (!lock_address(tx, address)) {
            refusal = make_error("address " + address + " is no longer on the whitelist");
            return;
        }
        auto& lock_token = tx.cached<TokenLock>(TokenLock::kSql);
        lock_token.token = token_id;
        lock_token.ids.clear();
        lock_token.execute();
        if (lock_token.ids.empty()) {
            refusal = make_error("token not found");
            return;
        }

        // Sessions run at READ COMMITTED (database.cpp): this read sees the contracts that
        // the draw holding the address lock before us committed. (Under REPEATABLE READ it
        // would read the snapshot of this transaction's first read, taken before the lock
        // was granted, and the limit would not hold.)
        auto& live = tx.cached<LiveBytes>(LiveBytes::kSql);
        live.address = address;
        live.at = now_ms;
        live.bytes.clear();
        live.execute();
        const std::int64_t live_bytes = live.bytes.empty() ? 0 : live.bytes.front();
        std::int64_t budget = std::min(request.requested_bytes,
                                       request.max_size_per_address - live_bytes);

        const UnixMillis due = now_ms + request.interval_ms;
        const std::size_t max_chunks = static_cast<std::size_t>(std::max(request.max_chunks, 0));
        std::int64_t issued_bytes = 0;
        int unusable = 0;
        std::vector<NewContract> rows;
        // Greedily the largest chunk that still fits: one draw of the largest fitting chunks
        // takes those that fit in turn; a chunk too big for what is left stays in the pool,
        // and a smaller one is drawn next round.
        while (issued.size() < max_chunks && budget > 0 && unusable < kMaxUnusableChunksPerDraw) {
            std::vector<DrawnChunk> drawn =
                draw_largest(tx, request.pool, budget, max_chunks - issued.size());
            if (drawn.empty()) break;
            std::vector<std::int64_t> taken;
            for (DrawnChunk& chunk : drawn) {
                if (chunk.size > budget || issued.size() >= max_chunks) continue;
                taken.push_back(chunk.id);
                auto first = scheme_.gen_challenge(chunk.state);
                if (!first.ok() || !first->has_value()) {
                    // Deleted from the pool with the others: dropped, and another one drawn.
                    log::warn("pool chunk " + std::to_string(chunk.id) + " is unusable (" +
                              (first.ok() ? std::string("no challenges") : first.error().message) +
                              "), discarded");
                    if (++unusable >= kMaxUnusableChunksPerDraw) break;
                    continue;
                }
                const proof::IssuedChallenge& challenge = **first;
                rows.push_back(NewContract{chunk.file_hash, chunk.seed, chunk.size, challenge.state,
                                           challenge.challenge, challenge.challenge_json});
                issued.push_back(IssuedContract{chunk.file_hash, chunk.seed, chunk.size,
                                                std::move(chunk.tag_json), challenge.challenge_json,
                                                due});
                budget -= chunk.size;
                issued_bytes += chunk.size;
            }
            delete_from_pool(tx, taken);
        }
        if (issued.empty()) return;
        insert_contracts(tx, token_id, rows, due, request.interval_ms, now_ms);

        auto& event = tx.cached<IssueEvent>(kIssueEventSql);
        event.t = now_ms;
        event.e = due;  // a new contract expires at its first due time
        event.count = static_cast<std::int64_t>(issued.size());
        event.bytes = issued_bytes;
        event.due = due;
        event.token = token_id;
        event.execute();
    });
    if (refusal) return *refusal;
    return issued;
}

std::optional<ContractRecord> ContractRepository::find(std::int64_t token_id,
                                                       const std::string& file_hash) {
    std::optional<ContractRecord> result;
    db_.transact([&](Transaction& tx) {
        result.reset();
        std::int64_t id = token_id;
        std::string hash = file_hash;
        ContractColumns columns;
        Poco::Data::Statement st(tx.session());
        st << "SELECT " << contract_columns() << " FROM contracts WHERE token_id = ? AND file_hash = ?",
            use(id), use(hash);
        columns.bind(st);
        st.execute();
        if (!columns.id.empty()) result = columns.record(0);
    });
    return result;
}

std::vector<ContractRecord> ContractRepository::find_many(
    std::int64_t token_id, const std::vector<std::string>& file_hashes) {
    std::vector<ContractRecord> result;
    // IN lists of bounded length: one statement per slice.
    constexpr std::size_t kSlice = 500;
    for (std::size_t from = 0; from < file_hashes.size(); from += kSlice) {
        const std::size_t n = std::min(kSlice, file_hashes.size() - from);
        std::vector<ContractRecord> slice;
        db_.autocommit([&](Transaction& tx) {
            slice.clear();  // the work may run again after a lost connection
            auto& query = tx.cached<ContractsByHash>(ContractsByHash::sql(n), n);
            query.token = token_id;
            std::copy(file_hashes.begin() + static_cast<std::ptrdiff_t>(from),
                      file_hashes.begin() + static_cast<std::ptrdiff_t>(from + n), query.hashes.begin());
            query.columns.clear();
            query.execute();
            for (std::size_t i = 0; i < query.columns.id.size(); ++i)
                slice.push_back(query.columns.record(i));
        });
        for (ContractRecord& c : slice) result.push_back(std::move(c));
    }
    return result;
}

std::vector<ContractRecord> ContractRepository::find_for_token(std::int64_t token_id) {
    std::vector<ContractRecord> result;
    db_.autocommit([&](Transaction& tx) {
        result.clear();
        std::int64_t id = token_id;
        ContractColumns columns;
        Poco::Data::Statement st(tx.session());
        st << "SELECT " + contract_columns() +
                  " FROM contracts WHERE token_id = ? ORDER BY id",
            use(id);
        columns.bind(st);
        st.execute();
        for (std::size_t i = 0; i < columns.id.size(); ++i) result.push_back(columns.record(i));
    });
    return result;
}

std::vector<bool> ContractRepository::advance_challenges(
    std::int64_t token_id, const std::vector<ChallengeAdvance>& advances, UnixMillis now_ms) {
    std::vector<bool> applied;
    if (advances.empty()) return applied;
    db_.transact([&](Transaction& tx) {
        applied.assign(advances.size(), false);
        std::int64_t at = now_ms;
        std::int64_t latest_due = 0;
        for (std::size_t i = 0; i < advances.size(); ++i) {
            const ChallengeAdvance& a = advances[i];
            std::int64_t id = a.contract_id;
            std::int64_t seen_due = a.seen_due_ms;
            std::int64_t token = token_id;
            std::string state = a.state;
            std::string challenge = a.challenge;
            std::string challenge_json = a.challenge_json;
            // The new due time is one interval after the old one, which is also the answered
            // contract's expiration: the expiration does not move.
            Poco::Data::Statement st(tx.session());
            st << "UPDATE contracts SET state = ?, challenge = ?, challenge_json = ?,"
                  " due_ms = due_ms + interval_ms, answered = 0"
                  " WHERE id = ? AND token_id = ? AND due_ms = ? AND answered = 1"
                  " AND expiration_ms > ?",
                use(state), use(challenge), use(challenge_json), use(id), use(token),
                use(seen_due), use(at);
            if (st.execute() == 1) {
                applied[i] = true;
                std::int64_t new_due = 0;
                tx.session() << "SELECT due_ms FROM contracts WHERE id = ?", use(id), into(new_due),
                    now;
                latest_due = std::max(latest_due, new_due);
            }
        }
        if (latest_due > 0) {
            std::int64_t token = token_id;
            tx.session() << "UPDATE tokens SET last_due_ms = GREATEST(IFNULL(last_due_ms, 0), ?),"
                            " changed_ms = ? WHERE id = ?",
                use(latest_due), use(at), use(token), now;
        }
    });
    return applied;
}

// One caller's answers in a group write.
struct AnswerWrite {
    std::int64_t token_id = 0;
    const std::vector<std::string>* file_hashes = nullptr;
    const AnswerDecision* decide = nullptr;
    UnixMillis now_ms = 0;
    // Filled by write_answers:
    std::size_t rows_found = 0;  // contracts of the token among the file hashes
    std::vector<AnswerClaim> claims;
    std::vector<AnswerOutcome> outcomes;
    std::exception_ptr decision_error;  // what decide threw, for this caller alone
};

// File hashes in one group write at most (a request with more is written alone).
constexpr std::size_t kMaxHashesPerGroup = 1024;

// Farmers whose token id a process remembers (about 100 bytes each).
constexpr std::size_t kTokenIdsRemembered = 100000;

ContractRepository::ContractRepository(Database& db, const proof::HeartbeatScheme& scheme,
                                       std::size_t concurrent_draws)
    : db_(db), scheme_(scheme),
      answer_writes_(std::make_unique<GroupCommit<AnswerWrite>>(
          [this](const std::vector<AnswerWrite*>& batch) { write_answers(batch); },
          [](const AnswerWrite& w) { return w.file_hashes->size(); }, kMaxHashesPerGroup)),
      token_ids_(kTokenIdsRemembered),
      draws_(concurrent_draws) {}

ContractRepository::~ContractRepository() = default;

std::optional<std::int64_t> ContractRepository::token_id_of(const std::string& token_hash) {
    if (const auto cached = token_ids_.find(token_hash)) return cached;
    // Once per farmer and process: the token's whole row is read, only its id kept.
    const auto token = TokenRepository(db_).find_by_hash(token_hash);
    if (!token) return std::nullopt;
    token_ids_.remember(token_hash, token->id);
    return token->id;
}

std::optional<std::vector<AnswerOutcome>> ContractRepository::answer(
    const std::string& token_hash, const std::vector<std::string>& file_hashes,
    const AnswerDecision& decide, UnixMillis now_ms) {
    if (file_hashes.empty()) throw std::invalid_argument("answer: no file hash to read");
    const auto token_id = token_id_of(token_hash);
    if (!token_id) return std::nullopt;
    AnswerWrite write;
    write.token_id = *token_id;
    write.file_hashes = &file_hashes;
    write.decide = &decide;
    write.now_ms = now_ms;
    answer_writes_->write(write);
    if (write.decision_error) std::rethrow_exception(write.decision_error);
    // None of the contracts: the token may have been removed since its id was remembered.
    if (write.rows_found == 0) {
        token_ids_.forget(token_hash);
        if (token_id_of(token_hash) != token_id) return std::nullopt;
    }
    return std::move(write.outcomes);
}

void ContractRepository::write_answers(const std::vector<AnswerWrite*>& batch) {
    // The group's (token, file hash) pairs, sorted and distinct; the IN list is padded to a
    // power of two by repeating the last pair, so a few prepared statements serve any group.
    std::vector<std::pair<std::int64_t, std::string>> pairs;
    for (const AnswerWrite* w : batch)
        for (const std::string& hash : *w->file_hashes) pairs.emplace_back(w->token_id, hash);
    std::sort(pairs.begin(), pairs.end());
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());

    db_.transact([&](Transaction& tx) {
        std::map<std::int64_t, ContractRecord> rows;  // the contracts read, by id
        std::map<std::pair<std::int64_t, std::string>, std::int64_t> by_file;  // (token, hash) -> id
        for (std::size_t from = 0; from < pairs.size(); from += kAnswerSlice) {
            const std::size_t n = std::min(kAnswerSlice, pairs.size() - from);
            const std::size_t padded = padded_length(n);
            auto& read = tx.cached<AnswerRead>(AnswerRead::sql(padded), padded);
            for (std::size_t i = 0; i < padded; ++i) {
                const auto& [token, hash] = pairs[from + std::min(i, n - 1)];
                read.tokens[i] = token;
                read.hashes[i] = hash;
            }
            read.columns.clear();
            read.execute();
            for (std::size_t r = 0; r < read.columns.id.size(); ++r) {
                ContractRecord row = read.columns.record(r);
                by_file[{row.token_id, row.file_hash}] = row.id;
                rows[row.id] = std::move(row);
            }
        }

        // Each caller in turn decides on its rows as the callers before it left them, and its
        // claims are checked against them.
        std::vector<std::int64_t> accepted;
        std::map<std::int64_t, SummaryChange> summaries;  // by token id: locked in id order
        for (AnswerWrite* w : batch) {
            // The transaction may run again: nothing of an earlier attempt is kept.
            w->rows_found = 0;
            w->claims.clear();
            w->outcomes.clear();
            w->decision_error = nullptr;
            const std::int64_t token_id = w->token_id;
            std::vector<ContractRecord> mine;
            std::set<std::int64_t> given;  // a hash named twice is one contract, given once
            for (const std::string& hash : *w->file_hashes) {
                const auto found = by_file.find({token_id, hash});
                if (found != by_file.end() && given.insert(found->second).second)
                    mine.push_back(rows.at(found->second));
            }
            w->rows_found = mine.size();
            try {
                w->claims = (*w->decide)(mine);
            } catch (...) {
                w->decision_error = std::current_exception();
                w->claims.clear();
                continue;
            }
            w->outcomes.assign(w->claims.size(), AnswerOutcome::NotFound);
            for (std::size_t i = 0; i < w->claims.size(); ++i) {
                const AnswerClaim& claim = w->claims[i];
                const auto found = rows.find(claim.contract_id);
                if (found == rows.end() || found->second.token_id != token_id) continue;
                ContractRecord& row = found->second;
                AnswerOutcome& outcome = w->outcomes[i];
                if (row.expiration_ms <= w->now_ms) {
                    outcome = AnswerOutcome::Expired;
                } else if (row.due_ms != claim.seen_due_ms) {
                    outcome = AnswerOutcome::ChallengeChanged;
                } else if (row.answered) {
                    // Also the second of two claims for one contract in this very group.
                    outcome = AnswerOutcome::AlreadyAnswered;
                } else {
                    outcome = AnswerOutcome::Accepted;
                    row.answered = true;
                    row.expiration_ms = row.due_ms + row.interval_ms;
                    accepted.push_back(claim.contract_id);
                    SummaryChange& change = summaries[token_id];
                    ++change.count;
                    change.latest_expiration = std::max(change.latest_expiration, row.expiration_ms);
                    change.at = std::max(change.at, w->now_ms);
                    if (!row.online) {
                        ++change.revived;
                        change.revived_bytes += row.size;
                        row.online = true;
                    }
                }
            }
        }
        if (accepted.empty()) return;
        for (std::size_t from = 0; from < accepted.size(); from += kAnswerSlice) {
            const std::size_t n = std::min(kAnswerSlice, accepted.size() - from);
            const std::size_t padded = padded_length(n);
            auto& mark = tx.cached<AnswerMark>(AnswerMark::sql(padded), padded);
            fill_padded(mark.ids, accepted.data() + from, n);
            mark.execute();
        }
        // Every farmer of the group in one statement (tokens in id order, padded like the IN
        // lists by repeating the last one: CASE takes the first match, a row is updated once).
        std::vector<std::pair<std::int64_t, SummaryChange>> changes(summaries.begin(), summaries.end());
        for (std::size_t from = 0; from < changes.size(); from += kAnswerSlice) {
            const std::size_t n = std::min(kAnswerSlice, changes.size() - from);
            const std::size_t padded = padded_length(n);
            auto& summary = tx.cached<AnswerSummaries>(AnswerSummaries::sql(padded), padded);
            for (std::size_t i = 0; i < padded; ++i) {
                const auto& [token, change] = changes[from + std::min(i, n - 1)];
                summary.tokens[i] = token;
                summary.counts[i] = change.count;
                summary.latest_expirations[i] = change.latest_expiration;
                summary.revived[i] = change.revived;
                summary.revived_bytes[i] = change.revived_bytes;
                summary.ats[i] = change.at;
            }
            summary.execute();
        }
    });
}

SweepReport ContractRepository::sweep_expired(UnixMillis now_ms, std::size_t batch) {
    SweepReport report;
    for (;;) {
        std::vector<std::int64_t> ids;
        std::size_t tokens = 0;
        db_.transact([&](Transaction& tx) {
            ids.clear();
            tokens = 0;
            std::int64_t at = now_ms;
            std::int64_t limit = static_cast<std::int64_t>(batch);
            std::vector<std::int64_t> token_ids, sizes;
            tx.session() << "SELECT id, token_id, size FROM contracts"
                            " WHERE online = 1 AND expiration_ms <= ?"
                            " ORDER BY expiration_ms LIMIT ? FOR UPDATE SKIP LOCKED",
                use(at), use(limit), into(ids), into(token_ids), into(sizes), now;
            if (ids.empty()) return;
            Poco::Data::Statement flip(tx.session());
            flip << "UPDATE contracts SET online = 0 WHERE id IN (" + placeholder_list(ids.size()) + ")";
            for (auto& id : ids) flip, use(id);
            flip.execute();

            std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> per_token;  // ordered: lock order
            for (std::size_t i = 0; i < ids.size(); ++i) {
                auto& [count, bytes] = per_token[token_ids[i]];
                ++count;
                bytes += sizes[i];
            }
            // One statement for all farmers of the batch (one round trip instead of one per
            // farmer; rows are locked in primary-key order, as before):
            //   SET contracts_online = contracts_online - CASE id WHEN ? THEN ? ... END, ...
            std::vector<std::int64_t> values;  // bound in the order of the placeholders
            std::string count_case = "CASE id", size_case = "CASE id";
            for (auto& [token_id, totals] : per_token) {
                count_case += " WHEN ? THEN ?";
                values.push_back(token_id);
                values.push_back(totals.first);
            }
            for (auto& [token_id, totals] : per_token) {
                size_case += " WHEN ? THEN ?";
                values.push_back(token_id);
                values.push_back(totals.second);
            }
            values.push_back(at);
            for (auto& entry : per_token) values.push_back(entry.first);
            Poco::Data::Statement summaries(tx.session());
            summaries << "UPDATE tokens SET contracts_online = contracts_online - (" + count_case +
                             " ELSE 0 END), size_online = size_online - (" + size_case +
                             " ELSE 0 END), changed_ms = ? WHERE id IN (" +
                             placeholder_list(per_token.size()) + ")";
            for (auto& v : values) summaries, use(v);
            summaries.execute();
            tokens = per_token.size();
        });
        report.contracts += ids.size();
        report.tokens += tokens;
        if (ids.size() < batch) return report;
    }
}

DeletionReport ContractRepository::delete_expired(UnixMillis before_ms, std::size_t batch) {
    DeletionReport report;
    for (;;) {
        std::vector<std::int64_t> ids;
        std::size_t files = 0;
        db_.transact([&](Transaction& tx) {
            ids.clear();
            files = 0;
            std::int64_t before = before_ms;
            std::int64_t limit = static_cast<std::int64_t>(batch);
            std::vector<std::int64_t> file_ids;
            tx.session() << "SELECT id, file_id FROM contracts"
                            " WHERE online = 0 AND expiration_ms <= ?"
                            " ORDER BY expiration_ms LIMIT ? FOR UPDATE SKIP LOCKED",
                use(before), use(limit), into(ids), into(file_ids), now;
            if (ids.empty()) return;
            Poco::Data::Statement del(tx.session());
            del << "DELETE FROM contracts WHERE id IN (" + placeholder_list(ids.size()) + ")";
            for (auto& id : ids) del, use(id);
            del.execute();
            files = delete_unreferenced_files(tx, file_ids);
        });
        report.contracts += ids.size();
        report.files += files;
        if (ids.size() < batch) return report;
    }
}

std::int64_t ContractRepository::count_all() {
    std::int64_t n = 0;
    db_.transact([&](Transaction& tx) {
        tx.session() << "SELECT COUNT(*) FROM contracts", into(n), now;
    });
    return n;
}

}  // namespace downstream::store
