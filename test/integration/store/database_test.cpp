// The session pool and its transactions against a real MariaDB: commit, rollback, retry on
// deadlock and on a lost connection, a clear error when the server is unreachable, prepared
// statements kept per session.
#include "integration/store/store_fixture.h"

#include "store/database_error.h"
#include "store/transaction.h"

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

using namespace downstream;
using namespace downstream::testing;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

namespace {

// The server's count of COM_STMT_PREPARE since it started (the test server is private).
std::int64_t statements_prepared() {
    return query_number("SELECT CAST(VARIABLE_VALUE AS SIGNED) FROM information_schema.GLOBAL_STATUS"
                        " WHERE VARIABLE_NAME = 'COM_STMT_PREPARE'");
}

struct ValueById : store::CachedStatement {
    static constexpr const char* kSql = "SELECT v FROM test_rows WHERE id = ?";
    int id = 0;
    std::vector<std::int64_t> values;
    explicit ValueById(Poco::Data::Session& session) : CachedStatement(session) {
        statement << kSql, use(id), into(values);
    }
};

struct InsertRow : store::CachedStatement {
    static constexpr const char* kSql = "INSERT INTO test_rows VALUES (?, 0)";
    int id = 0;
    explicit InsertRow(Poco::Data::Session& session) : CachedStatement(session) {
        statement << kSql, use(id);
    }
};

void insert_row(int id) {
    test_database().transact([&](store::Transaction& tx) {
        auto& insert = tx.cached<InsertRow>(InsertRow::kSql);
        insert.id = id;
        insert.execute();
    });
}

void spin_until(const std::atomic<bool>& flag) {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!flag.load() && std::chrono::steady_clock::now() < give_up)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

// Another session's transaction holding a lock on test_rows row 1, from construction until
// release() or destruction.
class RowOneHolder {
public:
    RowOneHolder() : db_(test_db_settings()) {
        thread_ = std::thread([this] {
            db_.transact([this](store::Transaction& tx) {
                tx.session() << "SELECT v FROM test_rows WHERE id = 1 FOR UPDATE", now;
                locked_ = true;
                spin_until(release_);
            });
        });
        spin_until(locked_);
    }
    ~RowOneHolder() { release(); }
    RowOneHolder(const RowOneHolder&) = delete;
    RowOneHolder& operator=(const RowOneHolder&) = delete;

    // Lets the lock go (commits); returns at once, the commit follows.
    void let_go() { release_ = true; }
    // Lets the lock go and waits for the commit.
    void release() {
        release_ = true;
        if (thread_.joinable()) thread_.join();
    }

private:
    store::Database db_;
    std::atomic<bool> locked_{false}, release_{false};
    std::thread thread_;
};

}  // namespace

class StoreDatabaseTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(StoreDatabaseTest);
    CPPUNIT_TEST(commitsAndRollsBackOnRequest);
    CPPUNIT_TEST(exceptionRollsBackAndPropagates);
    CPPUNIT_TEST(sqlErrorBecomesDatabaseErrorWithNumber);
    CPPUNIT_TEST(deadlockIsRetried);
    CPPUNIT_TEST(autocommitLockWaitTimeoutRunsAgain);
    CPPUNIT_TEST(autocommitConflictGivesUpAsUnavailable);
    CPPUNIT_TEST(lostConnectionIsRetriedOnceOnFreshSession);
    CPPUNIT_TEST(transactionRolledBackWithoutErrorRunsAgain);
    CPPUNIT_TEST(readFailingInSilentlyRolledBackTransactionRunsAgain);
    CPPUNIT_TEST(lostConnectionAtCommitIsUnavailableNotRerun);
    CPPUNIT_TEST(unreachableServerFailsFastWithClearError);
    CPPUNIT_TEST(hungStatementHitsReadTimeout);
    CPPUNIT_TEST(binaryValuesRoundTrip);
    CPPUNIT_TEST(concurrentIncrementsAreAtomic);
    CPPUNIT_TEST(cachedStatementIsPreparedOncePerSession);
    CPPUNIT_TEST(failedCachedStatementIsPreparedAgain);
    CPPUNIT_TEST(plainServerGetsThePlainFrame);
    CPPUNIT_TEST_SUITE_END();

    // Options that force the savepoint frame a Galera member gets.
    static store::DatabaseOptions guarded() {
        store::DatabaseOptions options;
        options.guard_transactions = true;
        return options;
    }

public:
    void setUp() override {
        test_database();
        execute_sql("CREATE TABLE IF NOT EXISTS test_rows (id INT PRIMARY KEY, v BIGINT NOT NULL) ENGINE=InnoDB");
        execute_sql("TRUNCATE TABLE test_rows");
        execute_sql("INSERT INTO test_rows VALUES (1, 0), (2, 0)");
    }
    void tearDown() override { execute_sql("DROP TABLE IF EXISTS test_rows"); }

    // Twenty executions of one cached statement with alternating parameters: each returns
    // only its own row, and the server prepared it once (one-shot statements: 20 prepares).
    void cachedStatementIsPreparedOncePerSession() {
        auto& db = test_database();
        execute_sql("UPDATE test_rows SET v = 10 + id");
        const std::int64_t before = statements_prepared();
        for (int i = 0; i < 20; ++i) {
            const int id = 1 + i % 2;
            std::vector<std::int64_t> got;
            db.autocommit([&](store::Transaction& tx) {
                auto& query = tx.cached<ValueById>(ValueById::kSql);
                query.id = id;
                query.values.clear();
                query.execute();
                got = query.values;
            });
            CPPUNIT_ASSERT_EQUAL(std::size_t{1}, got.size());
            CPPUNIT_ASSERT_EQUAL(std::int64_t{10 + id}, got[0]);
        }
        // The cached statement once, the counter's own read once (one test thread: the pool
        // hands back the same session every time).
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, statements_prepared() - before);
    }

    // A cached statement that failed is not run again: the next use prepares a fresh one.
    void failedCachedStatementIsPreparedAgain() {
        insert_row(3);
        insert_row(4);
        std::int64_t before = statements_prepared();
        insert_row(5);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, statements_prepared() - before);  // the read only
        try {
            insert_row(3);
            CPPUNIT_FAIL("a duplicate key must throw");
        } catch (const store::DatabaseError& e) {
            CPPUNIT_ASSERT_EQUAL(1062, e.mysql_errno());
        }
        before = statements_prepared();
        insert_row(6);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, statements_prepared() - before);  // insert + read
        CPPUNIT_ASSERT_EQUAL(std::int64_t{6}, query_number("SELECT COUNT(*) FROM test_rows"));
    }

    void commitsAndRollsBackOnRequest() {
        auto& db = test_database();
        db.transact([](store::Transaction& tx) { tx.session() << "UPDATE test_rows SET v = 5 WHERE id = 1", now; });
        CPPUNIT_ASSERT_EQUAL(std::int64_t{5}, query_number("SELECT v FROM test_rows WHERE id = 1"));
        db.transact([](store::Transaction& tx) {
            tx.session() << "UPDATE test_rows SET v = 9 WHERE id = 1", now;
            tx.rollback_only();
        });
        CPPUNIT_ASSERT_EQUAL(std::int64_t{5}, query_number("SELECT v FROM test_rows WHERE id = 1"));
    }

    void exceptionRollsBackAndPropagates() {
        auto& db = test_database();
        struct Boom {};
        bool caught = false;
        try {
            db.transact([](store::Transaction& tx) {
                tx.session() << "UPDATE test_rows SET v = 7 WHERE id = 2", now;
                throw Boom{};
            });
        } catch (const Boom&) {
            caught = true;
        }
        CPPUNIT_ASSERT(caught);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, query_number("SELECT v FROM test_rows WHERE id = 2"));
        // The session went back to the pool in a usable state.
        db.transact([](store::Transaction& tx) { tx.session() << "UPDATE test_rows SET v = 1 WHERE id = 2", now; });
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, query_number("SELECT v FROM test_rows WHERE id = 2"));
    }

    void sqlErrorBecomesDatabaseErrorWithNumber() {
        auto& db = test_database();
        try {
            db.transact([](store::Transaction& tx) { tx.session() << "INSERT INTO test_rows VALUES (1, 1)", now; });
            CPPUNIT_FAIL("a duplicate key must throw");
        } catch (const store::DatabaseUnavailable&) {
            CPPUNIT_FAIL("a duplicate key is not unavailability");
        } catch (const store::DatabaseError& e) {
            CPPUNIT_ASSERT_EQUAL(1062, e.mysql_errno());
            CPPUNIT_ASSERT(std::string(e.what()).find("Duplicate entry") != std::string::npos);
        }
    }

    void deadlockIsRetried() {
        auto& db = test_database();
        const auto before = db.stats().conflict_retries;
        std::atomic<bool> a_locked{false}, b_locked{false};
        std::atomic<int> a_runs{0}, b_runs{0};
        std::thread a([&] {
            db.transact([&](store::Transaction& tx) {
                const bool first = a_runs.fetch_add(1) == 0;
                tx.session() << "UPDATE test_rows SET v = v + 1 WHERE id = 1", now;
                if (first) {
                    a_locked = true;
                    spin_until(b_locked);
                }
                tx.session() << "UPDATE test_rows SET v = v + 10 WHERE id = 2", now;
            });
        });
        std::thread b([&] {
            db.transact([&](store::Transaction& tx) {
                const bool first = b_runs.fetch_add(1) == 0;
                tx.session() << "UPDATE test_rows SET v = v + 100 WHERE id = 2", now;
                if (first) {
                    b_locked = true;
                    spin_until(a_locked);
                }
                tx.session() << "UPDATE test_rows SET v = v + 1000 WHERE id = 1", now;
            });
        });
        a.join();
        b.join();
        // Both transactions took effect exactly once, one of them after a rerun.
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1001}, query_number("SELECT v FROM test_rows WHERE id = 1"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{110}, query_number("SELECT v FROM test_rows WHERE id = 2"));
        CPPUNIT_ASSERT_EQUAL(3, a_runs.load() + b_runs.load());
        CPPUNIT_ASSERT(db.stats().conflict_retries >= before + 1);
    }

    // A lock wait timeout (1205) in autocommit runs the work again, as in a transaction: on
    // Galera a causality wait that times out reports the same error for a plain read (a
    // cluster test saw it answered 500). Here a locking read waits for a row another session
    // holds until the work's second run lets it go.
    void autocommitLockWaitTimeoutRunsAgain() {
        auto& db = test_database();
        const auto before = db.stats().conflict_retries;
        RowOneHolder holder;
        int runs = 0;
        std::int64_t v = -1;
        db.autocommit([&](store::Transaction& tx) {
            if (++runs == 2) holder.let_go();
            tx.session() << "SET SESSION innodb_lock_wait_timeout = 1", now;
            tx.session() << "SELECT v FROM test_rows WHERE id = 1 FOR UPDATE", into(v), now;
        });
        holder.release();
        CPPUNIT_ASSERT_EQUAL(2, runs);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, v);
        CPPUNIT_ASSERT_EQUAL(before + 1, db.stats().conflict_retries);
    }

    // ... and when the conflict outlasts the retries, the caller hears "unavailable, try
    // again" (503), not an internal error (500).
    void autocommitConflictGivesUpAsUnavailable() {
        store::DatabaseOptions options;
        options.max_conflict_retries = 1;
        store::Database db(test_db_settings(), options);
        RowOneHolder holder;
        int runs = 0;
        int mysql_errno = 0;
        try {
            db.autocommit([&](store::Transaction& tx) {
                ++runs;
                tx.session() << "SET SESSION innodb_lock_wait_timeout = 1", now;
                tx.session() << "SELECT v FROM test_rows WHERE id = 1 FOR UPDATE", now;
            });
        } catch (const store::DatabaseUnavailable& e) {
            mysql_errno = e.mysql_errno();
        }
        holder.release();
        CPPUNIT_ASSERT_EQUAL(1205, mysql_errno);
        CPPUNIT_ASSERT_EQUAL(2, runs);
    }

    void lostConnectionIsRetriedOnceOnFreshSession() {
        auto& db = test_database();
        store::Database killer(test_db_settings());
        const auto before = db.stats().connection_retries;
        int runs = 0;
        db.transact([&](store::Transaction& tx) {
            ++runs;
            tx.session() << "UPDATE test_rows SET v = v + 1 WHERE id = 1", now;
            if (runs == 1) {
                std::int64_t id = 0;
                tx.session() << "SELECT CONNECTION_ID()", into(id), now;
                killer.autocommit([&](store::Transaction& k) {
                    k.session() << "KILL CONNECTION " + std::to_string(id), now;
                });
            }
            tx.session() << "UPDATE test_rows SET v = v + 1 WHERE id = 2", now;
        });
        CPPUNIT_ASSERT_EQUAL(2, runs);
        // The first attempt died with its connection: its update is not there twice.
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, query_number("SELECT v FROM test_rows WHERE id = 1"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, query_number("SELECT v FROM test_rows WHERE id = 2"));
        CPPUNIT_ASSERT_EQUAL(before + 1, db.stats().connection_retries);
    }

    // What a Galera brute-force abort did without telling the client (docs/DECISIONS.md 76):
    // the transaction is rolled back between two statements, which then succeed. Nothing after
    // the loss may commit on its own, and the whole transaction runs again.
    // This test server is no Galera member: its transactions are START TRANSACTION ... COMMIT
    // with autocommit left on (the guarded frame switches it off for the transaction).
    void plainServerGetsThePlainFrame() {
        std::int64_t plain = -1, guarded_value = -1;
        test_database().transact([&](store::Transaction& tx) {
            tx.session() << "SELECT @@autocommit", into(plain), now;
        });
        store::Database guarded_db(test_db_settings(), guarded());
        guarded_db.transact([&](store::Transaction& tx) {
            tx.session() << "SELECT @@autocommit", into(guarded_value), now;
        });
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, plain);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, guarded_value);
        // Both leave their sessions in autocommit mode.
        std::int64_t after = -1;
        guarded_db.autocommit([&](store::Transaction& tx) {
            tx.session() << "SELECT @@autocommit", into(after), now;
        });
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, after);
    }

    void transactionRolledBackWithoutErrorRunsAgain() {
        store::Database db(test_db_settings(), guarded());
        const auto before = db.stats().conflict_retries;
        int runs = 0;
        db.transact([&](store::Transaction& tx) {
            ++runs;
            tx.session() << "UPDATE test_rows SET v = v + 1 WHERE id = 1", now;
            if (runs == 1) tx.session() << "ROLLBACK", now;
            tx.session() << "UPDATE test_rows SET v = v + 10 WHERE id = 2", now;
        });
        CPPUNIT_ASSERT_EQUAL(2, runs);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, query_number("SELECT v FROM test_rows WHERE id = 1"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{10}, query_number("SELECT v FROM test_rows WHERE id = 2"));
        CPPUNIT_ASSERT_EQUAL(before + 1, db.stats().conflict_retries);
        // The session went back to the pool in autocommit mode.
        db.autocommit([&](store::Transaction& tx) {
            tx.session() << "UPDATE test_rows SET v = 7 WHERE id = 1", now;
        });
        CPPUNIT_ASSERT_EQUAL(std::int64_t{7}, query_number("SELECT v FROM test_rows WHERE id = 1"));
    }

    // The same loss noticed by the work itself (a row it had just written is missing): its
    // exception does not escape, the transaction runs again.
    void readFailingInSilentlyRolledBackTransactionRunsAgain() {
        store::Database db(test_db_settings(), guarded());
        int runs = 0;
        db.transact([&](store::Transaction& tx) {
            ++runs;
            tx.session() << "INSERT INTO test_rows VALUES (3, 5)", now;
            if (runs == 1) tx.session() << "ROLLBACK", now;
            std::vector<std::int64_t> values;
            tx.session() << "SELECT v FROM test_rows WHERE id = 3", into(values), now;
            if (values.empty()) throw std::runtime_error("row 3 vanished");
        });
        CPPUNIT_ASSERT_EQUAL(2, runs);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{5}, query_number("SELECT v FROM test_rows WHERE id = 3"));
        // An exception in a transaction that is intact still escapes, once.
        runs = 0;
        CPPUNIT_ASSERT_THROW(db.transact([&](store::Transaction&) {
                                 ++runs;
                                 throw std::runtime_error("refused");
                             }),
                             std::runtime_error);
        CPPUNIT_ASSERT_EQUAL(1, runs);
    }

    void lostConnectionAtCommitIsUnavailableNotRerun() {
        // The connection dies after the last statement, so COMMIT is what fails: the client
        // cannot know whether the server committed, so the work must not run again (it could
        // apply twice) and the caller learns "unavailable".
        store::Database killer(test_db_settings());
        std::int64_t id = 0;
        bool armed = true;  // kills the first commit only
        store::DatabaseOptions options;
        options.before_commit = [&] {
            if (!armed) return;
            armed = false;
            killer.autocommit([&](store::Transaction& k) {
                k.session() << "KILL CONNECTION " + std::to_string(id), now;
            });
        };
        store::Database db(test_db_settings(), options);
        const std::int64_t v1 = query_number("SELECT v FROM test_rows WHERE id = 1");
        const auto retries = db.stats().connection_retries;
        int runs = 0;
        try {
            db.transact([&](store::Transaction& tx) {
                ++runs;
                tx.session() << "UPDATE test_rows SET v = v + 1 WHERE id = 1", now;
                tx.session() << "SELECT CONNECTION_ID()", into(id), now;
            });
            CPPUNIT_FAIL("a connection lost at COMMIT must raise DatabaseUnavailable");
        } catch (const store::DatabaseUnavailable& e) {
            const std::string message = e.what();
            CPPUNIT_ASSERT_MESSAGE(message, message.find("outcome unknown") != std::string::npos);
        }
        CPPUNIT_ASSERT_EQUAL(1, runs);
        CPPUNIT_ASSERT_EQUAL(retries, db.stats().connection_retries);
        // Here the server had rolled back (the kill came first): the update is not there.
        CPPUNIT_ASSERT_EQUAL(v1, query_number("SELECT v FROM test_rows WHERE id = 1"));
        // The pool recovers: the next transaction runs on a fresh session.
        db.transact([](store::Transaction& tx) { tx.session() << "UPDATE test_rows SET v = v WHERE id = 1", now; });
    }

    void unreachableServerFailsFastWithClearError() {
        store::DbSettings settings = test_db_settings();
        settings.port = 3419;  // reserved for this test: nothing listens there
        settings.connect_timeout_s = 2;
        store::Database db(settings);
        const auto start = std::chrono::steady_clock::now();
        try {
            db.check_connection();
            CPPUNIT_FAIL("connecting to a closed port must fail");
        } catch (const store::DatabaseUnavailable& e) {
            const std::string message = e.what();
            CPPUNIT_ASSERT_MESSAGE(message, message.find("127.0.0.1:3419") != std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(message, message.find("database unavailable") != std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(message, message.find(settings.password) == std::string::npos ||
                                                settings.password.empty());
        }
        CPPUNIT_ASSERT(std::chrono::steady_clock::now() - start < std::chrono::seconds(8));
    }

    void hungStatementHitsReadTimeout() {
        store::DbSettings settings = test_db_settings();
        settings.read_timeout_s = 1;
        store::Database db(settings);
        const auto start = std::chrono::steady_clock::now();
        try {
            db.transact([](store::Transaction& tx) {
                int r = 0;
                tx.session() << "SELECT SLEEP(5)", into(r), now;
            });
            CPPUNIT_FAIL("a statement longer than the read timeout must fail");
        } catch (const store::DatabaseUnavailable& e) {
            CPPUNIT_ASSERT_EQUAL(2013, e.mysql_errno());
        }
        const auto waited = std::chrono::steady_clock::now() - start;
        CPPUNIT_ASSERT(waited >= std::chrono::milliseconds(1900));  // two attempts of 1 s
        CPPUNIT_ASSERT(waited < std::chrono::milliseconds(4500));
    }

    void binaryValuesRoundTrip() {
        reset_database();
        std::string all;
        for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
        store::PoolChunk chunk{"seed", 10, all.substr(200, 32), "{\"t\":\"\xc3\xa9\"}", all};
        store::ChunkPoolRepository(test_database()).insert(test_pool_key(), {chunk}, 1);
        std::string state, hash, tag;
        test_database().transact([&](store::Transaction& tx) {
            tx.session() << "SELECT state, file_hash, tag_json FROM chunk_pool", into(state), into(hash), into(tag), now;
        });
        CPPUNIT_ASSERT(state == all);
        CPPUNIT_ASSERT(hash == all.substr(200, 32));
        CPPUNIT_ASSERT_EQUAL(chunk.tag_json, tag);
    }

    void concurrentIncrementsAreAtomic() {
        auto& db = test_database();
        std::vector<std::thread> threads;
        for (int t = 0; t < 8; ++t)
            threads.emplace_back([&] {
                for (int i = 0; i < 25; ++i)
                    db.transact([](store::Transaction& tx) {
                        tx.session() << "UPDATE test_rows SET v = v + 1 WHERE id = 1", now;
                    });
            });
        for (auto& t : threads) t.join();
        CPPUNIT_ASSERT_EQUAL(std::int64_t{200}, query_number("SELECT v FROM test_rows WHERE id = 1"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StoreDatabaseTest);
