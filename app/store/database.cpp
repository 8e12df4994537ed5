#include "store/database.h"

#include "base/log.h"
#include "store/database_error.h"
#include "store/sql_error.h"
#include "store/transaction.h"

#include <Poco/Data/MySQL/Connector.h>
#include <Poco/Data/MySQL/MySQLException.h>
#include <Poco/Data/MySQL/SessionImpl.h>
#include <Poco/Exception.h>
#include <mysql/mysql.h>

#include <chrono>
#include <memory>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <vector>

namespace downstream::store {
namespace {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using SteadyTime = std::chrono::steady_clock::time_point;

// The connector reads MYSQL_UNIX_PORT once, when the client library initialises: the first
// Database of the process decides the socket.
std::once_flag g_connector_once;
std::string g_connector_socket;

void register_connector(const std::string& socket) {
    std::call_once(g_connector_once, [&] {
        if (!socket.empty()) setenv("MYSQL_UNIX_PORT", socket.c_str(), 1);
        g_connector_socket = socket;
        Poco::Data::MySQL::Connector::registerConnector();
    });
    if (!socket.empty() && socket != g_connector_socket)
        throw DatabaseError("this process already talks to MySQL through socket '" +
                            g_connector_socket + "'; a second socket ('" + socket +
                            "') is not supported", 0);
}

MYSQL* handle_of(Poco::Data::Session& session) {
    return static_cast<Poco::Data::MySQL::SessionImpl*>(session.impl())->handle();
}

// Read and write timeouts only take effect when a connection is made, and Poco gives no hook
// before its connect: set them on the live handle and reconnect once (the client library
// copies the options to the new connection). Auto-reconnect stays off afterwards: a silent
// reconnect in the middle of a transaction would run its remaining statements outside it.
void apply_timeouts(Poco::Data::Session& session, int read_timeout_s) {
    MYSQL* mysql = handle_of(session);
    const unsigned int timeout = static_cast<unsigned int>(read_timeout_s);
    my_bool on = 1;
    my_bool off = 0;
    mysql_optionsv(mysql, MYSQL_OPT_READ_TIMEOUT, &timeout);
    mysql_optionsv(mysql, MYSQL_OPT_WRITE_TIMEOUT, &timeout);
    mysql_optionsv(mysql, MYSQL_OPT_RECONNECT, &on);
    const bool failed = mariadb_reconnect(mysql) != 0;
    mysql_optionsv(mysql, MYSQL_OPT_RECONNECT, &off);
    if (failed)
        throw Poco::Data::ConnectionFailedException(std::string("reconnecting with timeouts: ") +
                                                    mysql_error(mysql));
}

// Transactions are explicit (START TRANSACTION ... COMMIT) while the session stays in
// autocommit mode. Poco's Session::begin() is not used: it switches autocommit off for good
// (commit() never switches it back), which would leave every later statement of a pooled
// session inside an implicit transaction that is never committed: stale snapshots and locks
// held indefinitely. Failures throw Poco's TransactionException, whose message carries the
// MySQL error number like every other statement error.
// Every session runs its transactions at READ COMMITTED: locking reads take no gap locks (so
// concurrent draws and inserts do not deadlock on each other's gaps), and each statement reads
// the latest committed data, which the repositories rely on after taking a row lock. Safe as
// a session setting because sessions never reconnect silently: a new connection is a new
// session and gets it again.
void set_isolation(Poco::Data::Session& session) {
    static constexpr char kIsolation[] = "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED";
    MYSQL* mysql = handle_of(session);
    if (mysql_real_query(mysql, kIsolation, sizeof kIsolation - 1) != 0)
        throw Poco::Data::MySQL::TransactionException("Setting the isolation level failed.", mysql);
}

// A transaction runs with autocommit off and holds a savepoint from its first statement to its
// commit. Galera can roll a transaction back from another thread (a brute-force abort by a
// write set certified on another member), and MariaDB 10.11 does not always report that to the
// client: measured under the cluster tests, a draw's INSERT into files was rolled back while
// its later INSERT into contracts committed on its own, and a SUM read came back empty without
// an error. With autocommit off, statements after such a silent rollback only open a new
// transaction instead of committing one by one; the savepoint, which a rollback removes, tells
// the commit (and the error path) that the transaction it began is gone, and the whole
// transaction runs again like one that lost certification.
constexpr char kAliveSavepoint[] = "downstream_tx";

// How a transaction is framed. On a Galera member (the guarded frame), six round trips, one
// statement each: SET autocommit=0, START TRANSACTION, SAVEPOINT before the work;
// RELEASE SAVEPOINT (the check), COMMIT, SET autocommit=1 after it. START TRANSACTION is where
// a session with wsrep_sync_wait waits for causality (without it, a token created through one
// member was "unknown" through another). Sending each frame as one multi-statement query
// instead broke the cluster rules (a chunk became two contracts, an address went over its
// limit): on Galera the frame stays as measured safe (DECISIONS.md). A server without Galera
// reports every rollback it makes, so there the plain frame is START TRANSACTION ... COMMIT:
// four round trips fewer per transaction, on every answer, token and draw.
enum class Frame { Plain, Guarded };

void begin_transaction(Poco::Data::Session& session, Frame frame) {
    static constexpr char kStart[] = "START TRANSACTION";
    static const std::string kSavepoint = std::string("SAVEPOINT ") + kAliveSavepoint;
    MYSQL* mysql = handle_of(session);
    const bool failed =
        frame == Frame::Plain
            ? mysql_real_query(mysql, kStart, sizeof kStart - 1) != 0
            : mysql_autocommit(mysql, 0) != 0 || mysql_real_query(mysql, kStart, sizeof kStart - 1) != 0 ||
                  mysql_real_query(mysql, kSavepoint.data(), kSavepoint.size()) != 0;
    if (failed) throw Poco::Data::MySQL::TransactionException("Start transaction failed.", mysql);
}

// Whether the session's server is a Galera member (wsrep_on; absent on servers built without it).
bool runs_galera(Poco::Data::Session& session) {
    static constexpr char kQuery[] = "SHOW VARIABLES LIKE 'wsrep_on'";
    MYSQL* mysql = handle_of(session);
    if (mysql_real_query(mysql, kQuery, sizeof kQuery - 1) != 0)
        throw Poco::Data::MySQL::TransactionException("Reading wsrep_on failed.", mysql);
    MYSQL_RES* result = mysql_store_result(mysql);
    if (!result) throw Poco::Data::MySQL::TransactionException("Reading wsrep_on failed.", mysql);
    const MYSQL_ROW row = mysql_fetch_row(result);
    const bool on = row && row[1] && std::string(row[1]) == "ON";
    mysql_free_result(result);
    return on;
}

// True when the transaction begun by begin_transaction (guarded frame) was rolled back behind
// the client's back.
bool transaction_lost(Poco::Data::Session& session) {
    static const std::string kCheck = std::string("RELEASE SAVEPOINT ") + kAliveSavepoint;
    MYSQL* mysql = handle_of(session);
    if (mysql_real_query(mysql, kCheck.data(), kCheck.size()) == 0) return false;
    constexpr unsigned kNoSuchSavepoint = 1305;
    if (mysql_errno(mysql) == kNoSuchSavepoint) return true;
    throw Poco::Data::MySQL::TransactionException("Checking the transaction failed.", mysql);
}

// Reported like a deadlock (1213), so that the caller runs the transaction again.
[[noreturn]] void throw_transaction_lost() {
    throw Poco::Data::MySQL::TransactionException(
        "Transaction rolled back by the server without an error (Galera brute-force abort)"
        " [mysql_errno]: 1213");
}

void commit_transaction(Poco::Data::Session& session) {
    MYSQL* mysql = handle_of(session);
    if (mysql_commit(mysql) != 0)
        throw Poco::Data::MySQL::TransactionException("Commit failed.", mysql);
}

// After a guarded commit: false if the session could not be put back in autocommit mode (it
// must not be pooled then; the transaction stays committed and is not run again).
bool restore_autocommit(Poco::Data::Session& session) {
    return mysql_autocommit(handle_of(session), 1) == 0;
}

void rollback_transaction(Poco::Data::Session& session) {
    MYSQL* mysql = handle_of(session);
    if (mysql_rollback(mysql) != 0 || mysql_autocommit(mysql, 1) != 0)
        throw Poco::Data::MySQL::TransactionException("Rollback failed.", mysql);
}

std::chrono::milliseconds backoff(int attempt) {
    thread_local std::minstd_rand random{std::random_device{}()};
    const int ceiling = std::min(200, 4 << std::min(attempt, 6));
    return std::chrono::milliseconds(1 + static_cast<int>(random() % static_cast<unsigned>(ceiling)));
}

// A pooled session travels with its prepared statements (declared after the session, so
// they are closed before it).
struct IdleSession {
    Poco::Data::Session session;
    SteadyTime since;
    std::shared_ptr<StatementCache> statements;
};

// A failure to connect, kept apart from statement errors so that it is retried the same way.
struct ConnectFailure {
    std::string message;
    int mysql_errno;
};

}  // namespace

// The client library keeps the id of the last INSERT from its reply (prepared statements
// included): no round trip.
std::int64_t Transaction::last_insert_id() {
    return static_cast<std::int64_t>(mysql_insert_id(handle_of(session_)));
}

struct Database::Impl {
    DbSettings settings;
    DatabaseOptions options;
    std::string connection_string;

    mutable std::mutex mutex;
    std::vector<IdleSession> idle;  // GUARDED_BY(mutex)
    Stats stats;                    // GUARDED_BY(mutex)
    bool galera = false;            // GUARDED_BY(mutex); the server's, seen at the last open

    bool on_galera() const {
        std::lock_guard<std::mutex> lock(mutex);
        return galera;
    }

    Poco::Data::Session open() {
        register_connector(settings.socket);
        try {
            Poco::Data::Session session("MySQL", connection_string,
                                        static_cast<std::size_t>(settings.connect_timeout_s));
            if (settings.read_timeout_s > 0) apply_timeouts(session, settings.read_timeout_s);
            set_isolation(session);
            const bool on_galera = runs_galera(session);
            std::lock_guard<std::mutex> lock(mutex);
            galera = on_galera;
            ++stats.sessions_opened;
            return session;
        } catch (const Poco::Exception& e) {
            throw ConnectFailure{mysql_error_text(e.displayText()), mysql_errno_in(e.displayText())};
        }
    }

    // An idle session (pinged if it idled long) or a new one; `fresh` insists on a new one.
    // `statements` receives the session's statement cache.
    Poco::Data::Session acquire(bool fresh, std::shared_ptr<StatementCache>& statements) {
        statements.reset();
        if (!fresh) {
            std::unique_lock<std::mutex> lock(mutex);
            while (!idle.empty()) {
                IdleSession candidate = std::move(idle.back());
                idle.pop_back();
                const auto idle_for = std::chrono::steady_clock::now() - candidate.since;
                if (idle_for < std::chrono::seconds(options.ping_after_idle_s)) {
                    statements = std::move(candidate.statements);
                    return std::move(candidate.session);
                }
                lock.unlock();
                const bool alive = mysql_ping(handle_of(candidate.session)) == 0;
                lock.lock();
                if (alive) {
                    statements = std::move(candidate.statements);
                    return std::move(candidate.session);
                }
                // One dead session: the others are probably dead too (server restarted).
                idle.clear();
            }
        }
        Poco::Data::Session session = open();
        statements = std::make_shared<StatementCache>();
        return session;
    }

    void release(Poco::Data::Session& session, const std::shared_ptr<StatementCache>& statements) {
        std::lock_guard<std::mutex> lock(mutex);
        if (idle.size() < options.max_idle_sessions)
            idle.push_back(IdleSession{session, std::chrono::steady_clock::now(), statements});
    }

    void drop_idle() {
        std::lock_guard<std::mutex> lock(mutex);
        idle.clear();
    }

    void count(std::uint64_t Stats::*field) {
        std::lock_guard<std::mutex> lock(mutex);
        ++(stats.*field);
    }

    [[noreturn]] void unavailable(const std::string& what, int mysql_errno) {
        count(&Stats::errors);
        throw DatabaseUnavailable("database unavailable (" + describe(settings) + "): " + what +
                                      (mysql_errno ? " [MySQL error " +
                                                         std::to_string(mysql_errno) + "]"
                                                   : "") +
                                      "; is the server running and db.uri right?",
                                  mysql_errno);
    }

    void run(const std::function<void(Transaction&)>& work, bool transactional);
};

void Database::Impl::run(const std::function<void(Transaction&)>& work, bool transactional) {
    int conflicts = 0;
    bool connection_retried = false;
    for (;;) {
        std::optional<Poco::Data::Session> session;
        std::shared_ptr<StatementCache> statements;  // after `session`: destroyed first
        try {
            session.emplace(acquire(connection_retried, statements));
        } catch (const ConnectFailure& failure) {
            if (!connection_retried) {
                connection_retried = true;
                count(&Stats::connection_retries);
                log::warn("database: cannot connect (" + failure.message + "), trying once more");
                std::this_thread::sleep_for(std::chrono::milliseconds(200));
                continue;
            }
            unavailable(failure.message, failure.mysql_errno);
        }

        bool began = false;
        bool savepoint_released = false;
        // Decided once a session is open: the first open tells whether the server is Galera.
        const Frame frame =
            on_galera() || options.guard_transactions ? Frame::Guarded : Frame::Plain;
        // Whether the transaction was rolled back without an error; false when unknown (and
        // always for the plain frame: a server without Galera reports its rollbacks).
        auto lost_quietly = [&]() -> bool {
            if (!began || savepoint_released || frame != Frame::Guarded) return false;
            try {
                return transaction_lost(*session);
            } catch (const Poco::Exception&) {
                return false;
            }
        };
        bool committing = false;
        // Rolls back; false if the session is unusable afterwards.
        auto roll_back = [&]() -> bool {
            if (!began) return true;
            try {
                rollback_transaction(*session);
                return true;
            } catch (const Poco::Exception&) {
                return false;
            }
        };
        try {
            Transaction tx(*session, *statements);
            if (transactional) {
                begin_transaction(*session, frame);
                began = true;
            }
            work(tx);
            if (transactional) {
                if (tx.is_rollback_only()) {
                    rollback_transaction(*session);
                } else {
                    if (frame == Frame::Guarded) {
                        const bool lost = transaction_lost(*session);
                        savepoint_released = true;
                        if (lost) throw_transaction_lost();
                    }
                    if (options.before_commit) options.before_commit();
                    committing = true;
                    commit_transaction(*session);
                    committing = false;
                    if (frame == Frame::Guarded && !restore_autocommit(*session)) {
                        count(&Stats::transactions);
                        return;
                    }
                }
            }
            release(*session, statements);
            count(&Stats::transactions);
            return;
        } catch (const Poco::Exception& e) {
            std::string text = e.displayText();
            int number = mysql_errno_in(text);
            if (number == 0) {
                // An error met while fetching rows (e.g. a conflict in a locking read) is set on
                // the connection, not the statement: Poco's message then says errno 0 and the
                // error was neither retried nor named (DECISIONS.md).
                MYSQL* mysql = handle_of(*session);
                if (const unsigned int connection_errno = mysql_errno(mysql)) {
                    number = static_cast<int>(connection_errno);
                    text = "[mysql_error]: " + std::string(mysql_error(mysql)) + "\t[mysql_errno]: " +
                           std::to_string(number) + "\t" + text;
                }
            }
            // A statement that failed may be in any state: none of this session's is reused.
            statements->clear();
            SqlErrorKind kind = classify_mysql_errno(number);
            // An error that is no conflict, in a transaction the server silently rolled back
            // (a read that came back short or empty after a brute-force abort): run it again.
            if (kind == SqlErrorKind::Other && lost_quietly()) kind = SqlErrorKind::Conflict;
            if (kind == SqlErrorKind::Connection) {
                // Never return this session to the pool; idle ones likely share its fate.
                drop_idle();
                // A connection lost during COMMIT leaves the outcome unknown: the server may
                // have committed. Running the work again could apply it twice (a second
                // token, a second draw) or answer "already answered" for a proof that was
                // just counted, so the caller gets "unavailable" and the client retries.
                if (committing)
                    unavailable("connection lost during commit, outcome unknown (" +
                                    mysql_error_text(text) + ")",
                                number);
                if (!connection_retried) {
                    connection_retried = true;
                    count(&Stats::connection_retries);
                    log::warn("database: connection lost (" + mysql_error_text(text) +
                              "), retrying on a new session");
                    continue;
                }
                unavailable(mysql_error_text(text), number);
            }
            const bool usable = roll_back();
            if (usable) release(*session, statements);
            // Conflicts are retried in autocommit too: there the work is one statement (a
            // read on the request path), rolled back whole by the server, and on Galera with
            // wsrep_sync_wait a read that times out waiting for causality reports 1205.
            if (kind == SqlErrorKind::Conflict && conflicts < options.max_conflict_retries) {
                ++conflicts;
                count(&Stats::conflict_retries);
                log::debug("database: " + mysql_error_text(text) + " [" +
                           std::to_string(number) + "], running the transaction again (" +
                           std::to_string(conflicts) + ")");
                std::this_thread::sleep_for(backoff(conflicts));
                continue;
            }
            std::string message = "database error";
            if (number) message += " " + std::to_string(number);
            // Some client-side failures carry no MySQL error text: then the whole message.
            const std::string detail = mysql_error_text(text);
            message += ": " + (detail.empty() ? text : detail);
            count(&Stats::errors);
            if (kind == SqlErrorKind::Conflict)
                throw DatabaseUnavailable(message + " (gave up after " + std::to_string(conflicts) +
                                              " retries)",
                                          number);
            throw DatabaseError(message, number);
        } catch (...) {
            // The work gave up on what it read (e.g. a row it had just locked was missing): if
            // the server had silently rolled the transaction back, that read was not this
            // transaction's, and it runs again.
            const bool rerun = conflicts < options.max_conflict_retries && lost_quietly();
            statements->clear();
            if (roll_back()) release(*session, statements);
            if (!rerun) throw;
            ++conflicts;
            count(&Stats::conflict_retries);
            log::debug("database: transaction rolled back without an error, running it again");
            std::this_thread::sleep_for(backoff(conflicts));
        }
    }
}

Database::Database(DbSettings settings, DatabaseOptions options) : impl_(std::make_unique<Impl>()) {
    impl_->settings = std::move(settings);
    impl_->options = options;
    const DbSettings& s = impl_->settings;
    impl_->connection_string = "host=" + s.host + ";port=" + std::to_string(s.port) +
                               ";user=" + s.user + ";password=" + s.password + ";db=" +
                               s.database + ";character-set=utf8mb4;auto-reconnect=false";
}

Database::~Database() = default;

void Database::check_connection() {
    autocommit([](Transaction& tx) {
        int one = 0;
        tx.session() << "SELECT 1", into(one), now;
    });
}

void Database::transact(const std::function<void(Transaction&)>& work) {
    impl_->run(work, true);
}

void Database::autocommit(const std::function<void(Transaction&)>& work) {
    impl_->run(work, false);
}

void Database::close_idle_sessions() { impl_->drop_idle(); }

Database::Stats Database::stats() const {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    return impl_->stats;
}

const DbSettings& Database::settings() const { return impl_->settings; }

}  // namespace downstream::store
