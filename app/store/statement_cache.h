// Store-internal: prepared statements kept with their session and executed again, so that a
// hot statement costs one round trip (execute) instead of three (prepare, execute, close)
// and the server parses it once per session.
//
// A cached statement binds its parameters and results by reference (Poco's use/into), so it
// owns that storage: each kind is a struct deriving from CachedStatement that declares its
// bound members and binds them in its constructor. Callers set the members, call execute()
// and read the results; the storage stays bound for the statement's life.
//
//   struct TokenByHash : CachedStatement {
//       std::string hash;  std::vector<std::int64_t> ids;
//       explicit TokenByHash(Poco::Data::Session& s) : CachedStatement(s) {
//           statement << "SELECT id FROM tokens WHERE token_hash = ?", use(hash), into(ids);
//       }
//   };
//   auto& q = tx.cached<TokenByHash>("token by hash");
//   q.hash = ...; q.ids.clear(); q.execute();
//
// Poco appends extracted rows to the bound vectors: clear them before each execute().
//
// A cache belongs to one session (the Database pool keeps them together) and is emptied
// whenever a statement of that session fails, so a statement in an unknown state is never
// run again. Not thread-safe: a session is used by one thread at a time.
#pragma once

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

#include <cstddef>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>

namespace downstream::store {

// Base of every cached statement kind: the Poco statement, prepared at its first execution
// and only executed after that.
class CachedStatement {
public:
    explicit CachedStatement(Poco::Data::Session& session) : statement(session) {}
    virtual ~CachedStatement() = default;
    CachedStatement(const CachedStatement&) = delete;
    CachedStatement& operator=(const CachedStatement&) = delete;

    // Runs the statement with the current values of the bound members (rows are appended to
    // the bound result vectors). Returns the rows affected or extracted.
    std::size_t execute() { return statement.execute(); }

protected:
    Poco::Data::Statement statement;
};

class StatementCache {
public:
    // Statements kept per session; past this the cache starts over (IN lists of many
    // lengths must not pile up prepared statements on the server).
    static constexpr std::size_t kMaxEntries = 64;

    StatementCache() = default;
    StatementCache(const StatementCache&) = delete;
    StatementCache& operator=(const StatementCache&) = delete;

    // The statement cached under `key` (which must name its SQL text exactly: two kinds
    // never share a key), created as T(session, args...) on first use.
    template <class T, class... Args>
    T& get(const std::string& key, Poco::Data::Session& session, Args&&... args) {
        const auto found = entries_.find(key);
        if (found != entries_.end()) return static_cast<T&>(*found->second);
        if (entries_.size() >= kMaxEntries) entries_.clear();
        auto made = std::make_unique<T>(session, std::forward<Args>(args)...);
        T& result = *made;
        entries_.emplace(key, std::move(made));
        return result;
    }

    // Forgets every statement (closing them on the server if the connection still works).
    void clear() { entries_.clear(); }

    std::size_t size() const { return entries_.size(); }

private:
    std::unordered_map<std::string, std::unique_ptr<CachedStatement>> entries_;
};

}  // namespace downstream::store
