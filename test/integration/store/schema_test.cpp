// The migrations against a real MariaDB, and the indexes behind the routes' queries.
#include "integration/store/store_fixture.h"

#include "store/migrations.h"
#include "store/transaction.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace downstream;
using namespace downstream::testing;

class StoreSchemaTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(StoreSchemaTest);
    CPPUNIT_TEST(migratesEmptyDatabaseAndIsSafeToRunTwice);
    CPPUNIT_TEST(refusesUnknownNewerVersion);
    CPPUNIT_TEST(warnsAboutEditedMigration);
    CPPUNIT_TEST(tablesAreInnoDbUtf8mb4WithPrimaryKeys);
    CPPUNIT_TEST(routeQueriesUseIndexes);
    CPPUNIT_TEST_SUITE_END();

    static void drop_everything() {
        for (const auto& table : query_strings(
                 "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()"))
            execute_sql("DROP TABLE `" + table + "`");
    }

    static std::string explain(const std::string& query) {
        const auto rows = query_strings("EXPLAIN FORMAT=JSON " + query);
        return rows.empty() ? std::string() : rows[0];
    }

public:
    void migratesEmptyDatabaseAndIsSafeToRunTwice() {
        auto& db = test_database();
        drop_everything();
        auto first = store::apply_migrations(db, store::embedded_migrations(), 1000);
        CPPUNIT_ASSERT_MESSAGE(first ? "" : first.error().message, first.ok());
        CPPUNIT_ASSERT_EQUAL(store::embedded_migrations().size(), first->applied.size());
        CPPUNIT_ASSERT_EQUAL(1, first->applied.front());
        CPPUNIT_ASSERT_EQUAL(std::int64_t{9},
                             query_number("SELECT COUNT(*) FROM information_schema.tables"
                                          " WHERE table_schema = DATABASE()"));
        const auto applied = store::applied_migrations(db);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, applied.size());
        CPPUNIT_ASSERT_EQUAL(std::string("init"), applied[0].name);
        CPPUNIT_ASSERT_EQUAL(store::migration_checksum(store::embedded_migrations()[0]), applied[0].checksum);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1000}, static_cast<std::int64_t>(applied[0].applied_ms));

        auto second = store::apply_migrations(db, store::embedded_migrations(), 2000);
        CPPUNIT_ASSERT(second.ok());
        CPPUNIT_ASSERT(second->applied.empty());
        CPPUNIT_ASSERT(second->warnings.empty());
        CPPUNIT_ASSERT_EQUAL(1, second->schema_version);

        // A migration interrupted after some statements (its record missing) applies again.
        execute_sql("DELETE FROM schema_migrations");
        execute_sql("DROP TABLE contracts");
        auto resumed = store::apply_migrations(db, store::embedded_migrations(), 3000);
        CPPUNIT_ASSERT(resumed.ok());
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, resumed->applied.size());
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, query_number("SELECT COUNT(*) FROM information_schema.tables"
                                                           " WHERE table_schema = DATABASE() AND table_name = 'contracts'"));
    }

    void refusesUnknownNewerVersion() {
        auto& db = test_database();
        execute_sql("INSERT INTO schema_migrations VALUES (99, 'future', REPEAT('0', 64), 1)");
        auto report = store::apply_migrations(db, store::embedded_migrations(), 1);
        execute_sql("DELETE FROM schema_migrations WHERE version = 99");
        CPPUNIT_ASSERT(!report.ok());
        CPPUNIT_ASSERT(report.error().message.find("99") != std::string::npos);
        CPPUNIT_ASSERT(report.error().message.find("newer version") != std::string::npos);
    }

    void warnsAboutEditedMigration() {
        auto& db = test_database();
        execute_sql("UPDATE schema_migrations SET checksum = REPEAT('a', 64) WHERE version = 1");
        auto report = store::apply_migrations(db, store::embedded_migrations(), 1);
        execute_sql("UPDATE schema_migrations SET checksum = '" +
                    store::migration_checksum(store::embedded_migrations()[0]) + "' WHERE version = 1");
        CPPUNIT_ASSERT(report.ok());
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, report->warnings.size());
        CPPUNIT_ASSERT(report->applied.empty());
    }

    void tablesAreInnoDbUtf8mb4WithPrimaryKeys() {
        const auto tables = query_strings(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()");
        CPPUNIT_ASSERT_EQUAL(std::size_t{9}, tables.size());
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0},
                             query_number("SELECT COUNT(*) FROM information_schema.tables WHERE"
                                          " table_schema = DATABASE() AND (engine <> 'InnoDB' OR"
                                          " table_collation NOT LIKE 'utf8mb4%')"));
        for (const auto& table : tables)
            CPPUNIT_ASSERT_EQUAL_MESSAGE(table, std::int64_t{1},
                                         query_number("SELECT COUNT(*) FROM information_schema.table_constraints"
                                                      " WHERE table_schema = DATABASE() AND table_name = '" +
                                                      table + "' AND constraint_type = 'PRIMARY KEY'"));
        // Tokens are stored only as hashes: no column could hold a plain token.
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0},
                             query_number("SELECT COUNT(*) FROM information_schema.columns WHERE"
                                          " table_schema = DATABASE() AND column_name = 'token'"));
    }

    void routeQueriesUseIndexes() {
        reset_database();
        // Enough rows that the optimiser prefers indexes to scanning.
        for (int i = 0; i < 40; ++i) make_farmer(test_address(i), "10.0." + std::to_string(i) + ".1");
        add_pool_chunks(32768, 100);
        add_pool_chunks(1 << 20, 20);
        execute_sql("INSERT INTO contracts (token_id, file_id, file_hash, size, state, challenge,"
                    " challenge_json, due_ms, expiration_ms, interval_ms, created_ms)"
                    " SELECT t.id, p.id, p.file_hash, p.size, '', '', '{}', p.id, p.id, 60000, 1"
                    " FROM tokens t JOIN chunk_pool p ON p.id % 40 = t.id % 40");
        execute_sql("INSERT INTO token_deletions (farmer_id, deleted_ms)"
                    " SELECT LPAD(seq, 20, '0'), seq FROM seq_1_to_2000");
        for (const char* t : {"tokens", "contracts", "chunk_pool", "addresses", "token_deletions"})
            execute_sql(std::string("ANALYZE TABLE ") + t);

        // Unique lookups need values that exist (a miss is answered from the index alone).
        const std::string hash = query_strings("SELECT HEX(token_hash) FROM tokens LIMIT 1").at(0);
        const std::string farmer = query_strings("SELECT farmer_id FROM tokens LIMIT 1").at(0);
        const std::string address = query_strings("SELECT address FROM addresses LIMIT 1").at(0);
        const std::string contract = query_strings(
            "SELECT CONCAT(token_id, ' AND file_hash = X''', HEX(file_hash), '''') FROM contracts LIMIT 1").at(0);
        const struct {
            std::string query;
            const char* index;
        } cases[] = {
            {"SELECT * FROM tokens WHERE token_hash = X'" + hash + "'", "uq_tokens_token_hash"},
            {"SELECT * FROM tokens WHERE farmer_id = '" + farmer + "'", "uq_tokens_farmer_id"},
            {"SELECT COUNT(*) FROM tokens WHERE ip = '10.0.1.1'", "ix_tokens_ip"},
            {"SELECT id FROM tokens WHERE address = '" + address + "'", "ix_tokens_address"},
            {"SELECT * FROM tokens WHERE changed_ms > 5 ORDER BY changed_ms, id LIMIT 100", "ix_tokens_changed"},
            {"SELECT * FROM addresses WHERE address = '" + address + "'", "uq_addresses_address"},
            {"SELECT * FROM contracts WHERE token_id = " + contract, "uq_contracts_token_file"},
            {"SELECT * FROM contracts WHERE token_id = 3", "uq_contracts_token_file"},
            {"SELECT id, token_id, size FROM contracts WHERE online = 1 AND expiration_ms <= 50"
             " ORDER BY expiration_ms LIMIT 500", "ix_contracts_online_expiration"},
            {"SELECT 1 FROM contracts WHERE file_id = 7", "ix_contracts_file"},
            {"SELECT id, size FROM chunk_pool WHERE scheme = 'Merkle' AND key_fingerprint = REPEAT('k', 32)"
             " AND size <= 100000 ORDER BY size DESC LIMIT 1", "ix_chunk_pool_draw"},
            {"SELECT size, COUNT(*) FROM chunk_pool WHERE scheme = 'Merkle' AND key_fingerprint ="
             " REPEAT('k', 32) GROUP BY size", "ix_chunk_pool_draw"},
            {"SELECT farmer_id FROM token_deletions WHERE deleted_ms > 30 ORDER BY deleted_ms LIMIT 10",
             "ix_token_deletions_deleted"},
            // The status index (store/status_repository.cpp): full load by row id, the change
            // and deletion feeds by cursor, the sweep lease (its sweep is the query above).
            {"SELECT id, farmer_id, address, ip, heartbeats, changed_ms FROM tokens WHERE id > 5"
             " ORDER BY id LIMIT 5000", "PRIMARY"},
            {"SELECT id, farmer_id, address, ip, heartbeats, changed_ms FROM tokens"
             " WHERE changed_ms > 5 OR (changed_ms = 5 AND id > 3) ORDER BY changed_ms, id LIMIT 5000",
             "ix_tokens_changed"},
            // A cursor reads the newest few rows (those of the last seconds).
            {"SELECT id, farmer_id, deleted_ms FROM token_deletions"
             " WHERE deleted_ms > 1990 OR (deleted_ms = 1990 AND id > 3) ORDER BY deleted_ms, id LIMIT 5000",
             "ix_token_deletions_deleted"},
            {"UPDATE node_settings SET value = 'h', changed_ms = 9 WHERE name = 'status_sweep_lease'"
             " AND changed_ms <= 8", "PRIMARY"},
            // The sweep's writes (ContractRepository::sweep_expired): by primary key.
            {"UPDATE contracts SET online = 0 WHERE id IN (3, 5, 8)", "PRIMARY"},
            {"UPDATE tokens SET contracts_online = contracts_online - (CASE id WHEN 3 THEN 1 WHEN 5 THEN 2"
             " ELSE 0 END), size_online = size_online - (CASE id WHEN 3 THEN 10 WHEN 5 THEN 20 ELSE 0 END),"
             " changed_ms = 9 WHERE id IN (3, 5)", "PRIMARY"},
        };
        for (const auto& c : cases) {
            const std::string plan = explain(c.query);
            CPPUNIT_ASSERT_MESSAGE(c.query + "\n" + plan,
                                   plan.find(std::string("\"key\": \"") + c.index + "\"") != std::string::npos);
        }
        // The watermarks of the change feeds come from the ends of their indexes, no scan.
        for (const char* q : {"SELECT MAX(changed_ms) FROM tokens", "SELECT MAX(deleted_ms) FROM token_deletions"}) {
            const std::string plan = explain(q);
            CPPUNIT_ASSERT_MESSAGE(std::string(q) + "\n" + plan,
                                   plan.find("Select tables optimized away") != std::string::npos);
        }
        // No sort step in the feeds: the index order is the ORDER BY.
        for (const char* q : {"SELECT id, farmer_id FROM tokens WHERE changed_ms > 5 OR (changed_ms = 5 AND id > 3)"
                              " ORDER BY changed_ms, id LIMIT 5000",
                              "SELECT id, farmer_id FROM tokens WHERE id > 5 ORDER BY id LIMIT 5000"}) {
            const std::string plan = explain(q);
            CPPUNIT_ASSERT_MESSAGE(std::string(q) + "\n" + plan, plan.find("filesort") == std::string::npos);
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StoreSchemaTest);
