// The node's handle on MariaDB/MySQL: a pool of sessions and transactions that retry.
//
// Repositories (one per table group) run their SQL through `transact`; nothing outside
// app/store sees a session or a statement. This header is free of Poco so that it can be
// included widely; the SQL side of a Transaction is in store/transaction.h (store-internal).
#pragma once

#include "store/db_settings.h"

#include <cstdint>
#include <functional>
#include <memory>

namespace downstream::store {

class Transaction;

struct DatabaseOptions {
    // Idle sessions kept for reuse (busy sessions are not limited: one per running thread).
    std::size_t max_idle_sessions = 4;
    // How often work that hit a deadlock / lock wait timeout / Galera certification conflict
    // is run again before the error is raised.
    int max_conflict_retries = 6;
    // A session idle for longer than this is pinged before reuse.
    int ping_after_idle_s = 30;
    // A seam for fault tests, empty in production: called after a transaction's work and its
    // check, just before COMMIT is sent (a test kills the connection here).
    std::function<void()> before_commit;
    // Transactions hold a savepoint that detects a rollback the server did not report (Galera,
    // DECISIONS.md 76): on a Galera member always, elsewhere only when this is set (a test
    // seam: it lets a single server's tests check the detection).
    bool guard_transactions = false;
};

class Database {
public:
    // Remembers where the database is; connects lazily (see check_connection).
    explicit Database(DbSettings settings, DatabaseOptions options = {});
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // Opens a session now, so that a wrong db.uri or a stopped server is reported at startup
    // rather than at the first request. Throws DatabaseUnavailable with a clear message.
    void check_connection();

    // Runs `work` inside one transaction and commits it.
    //
    // Retries, transparently: a conflict (deadlock 1213, lock wait timeout 1205, Galera
    // certification failure) runs the whole transaction again, up to
    // max_conflict_retries times, with a short randomised back-off; a lost connection
    // (2006/2013/2002/...) runs it again once on a freshly connected session, unless it was
    // lost during COMMIT (the outcome is unknown then: DatabaseUnavailable). So `work` may
    // run more than once: it must have no effects outside the database except assigning its
    // outputs, which it must reset at its start. If `work` calls
    // Transaction::rollback_only() the transaction is rolled back instead of committed.
    //
    // Throws DatabaseUnavailable when the server cannot be reached (never hangs longer than
    // the connect / read timeouts of db.uri), DatabaseError for other SQL failures; any other
    // exception from `work` rolls back and propagates unchanged.
    void transact(const std::function<void(Transaction&)>& work);

    // Runs `work` on a session in autocommit mode (single reads, and schema changes, which
    // MySQL commits implicitly anyway). Retried as transact() is: once on a lost connection,
    // and on a conflict (a statement the server rolled back whole; on Galera also a read
    // that timed out waiting for causality, 1205) up to max_conflict_retries times, then
    // DatabaseUnavailable. So `work` may run more than once, as for transact().
    void autocommit(const std::function<void(Transaction&)>& work);


    // Closes idle sessions (they are reopened on demand).
    void close_idle_sessions();

    struct Stats {
        std::uint64_t transactions = 0;        // committed or rolled back on purpose
        std::uint64_t conflict_retries = 0;    // reruns after a deadlock or lock timeout
        std::uint64_t connection_retries = 0;  // reruns after a lost connection
        std::uint64_t sessions_opened = 0;
        std::uint64_t errors = 0;              // DatabaseUnavailable or DatabaseError thrown
    };
    Stats stats() const;

    const DbSettings& settings() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace downstream::store
