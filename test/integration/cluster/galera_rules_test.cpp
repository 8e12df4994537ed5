// ClusterRules: the cluster is what the node needs (DECISIONS.md, "Running on several hosts"),
// the schema keeps Galera's rules, and the store's writes stay correct when two members take
// the same decision at the same moment: row locks are local to a member, so only Galera's
// certification (a deadlock error at commit, then the store's rerun) keeps one chunk from
// becoming two contracts and one address from exceeding its size limit.
#include "encoding/hex.h"
#include "integration/cluster/cluster_env.h"
#include "integration/cluster/start_gate.h"
#include "integration/store/store_fixture.h"
#include "store/contract_repository.h"

#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <iostream>
#include <mutex>
#include <set>

namespace downstream::testing::cluster {
namespace {

std::int64_t unix_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string hex_fingerprint() {
    std::string out;
    static constexpr char kDigits[] = "0123456789abcdef";
    for (unsigned char c : test_pool_key().key_fingerprint) {
        out += kDigits[c >> 4];
        out += kDigits[c & 15];
    }
    return out;
}

// Pool chunks of the tests' own key (never drawn by the node's pools) of `size`.
std::int64_t test_pool_chunks(std::int64_t size) {
    return member(3).number("SELECT COUNT(*) FROM chunk_pool WHERE key_fingerprint = UNHEX('" +
                            hex_fingerprint() + "') AND size = " + std::to_string(size));
}

std::uint64_t conflict_retries() {
    return member(1).database().stats().conflict_retries + member(2).database().stats().conflict_retries;
}

// A draw of one chunk of `size` bytes from the test pool for `token_id`, its address allowed
// `address_limit` bytes in all.
store::IssueRequest one_chunk(std::int64_t token_id, std::int64_t size, std::int64_t address_limit) {
    store::IssueRequest request;
    request.token_id = token_id;
    request.requested_bytes = size;
    request.max_chunks = 1;
    request.max_size_per_address = address_limit;
    request.interval_ms = 60000;
    request.pool = test_pool_key();
    return request;
}

}  // namespace

class ClusterRules : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ClusterRules);
    CPPUNIT_TEST(membersAreSyncedWithCausalReads);
    CPPUNIT_TEST(tablesAreInnoDbWithPrimaryKeys);
    CPPUNIT_TEST(oneChunkDrawnOnTwoMembersBecomesOneContract);
    CPPUNIT_TEST(drawsForOneAddressOnTwoMembersKeepItsLimit);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        execute_sql("DELETE FROM chunk_pool WHERE key_fingerprint = UNHEX('" + hex_fingerprint() + "')");
    }

    void membersAreSyncedWithCausalReads() {
        std::set<std::string> cluster_ids;
        for (int n = 1; n <= 3; ++n) {
            Member& m = member(n);
            const std::string name = "member " + std::to_string(n);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name, std::int64_t{3}, m.status("wsrep_cluster_size"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name, std::string("Synced"),
                                         m.strings("SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS"
                                                   " WHERE VARIABLE_NAME = 'WSREP_LOCAL_STATE_COMMENT'")
                                             .at(0));
            cluster_ids.insert(m.strings("SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS"
                                         " WHERE VARIABLE_NAME = 'WSREP_CLUSTER_STATE_UUID'")
                                   .at(0));
            // Causal reads for every session (the READ bit), row-based replication,
            // interleaved auto-increment locks.
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name, std::int64_t{1}, m.number("SELECT CAST(@@GLOBAL.wsrep_sync_wait & 1 AS SIGNED)"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name, std::int64_t{1}, m.number("SELECT CAST(@@SESSION.wsrep_sync_wait & 1 AS SIGNED)"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name, std::string("ROW"), m.strings("SELECT @@GLOBAL.binlog_format").at(0));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name, std::int64_t{2}, m.number("SELECT CAST(@@GLOBAL.innodb_autoinc_lock_mode AS SIGNED)"));
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, cluster_ids.size());
    }

    void tablesAreInnoDbWithPrimaryKeys() {
        Member& m = member(3);
        const auto tables = m.strings("SELECT table_name FROM information_schema.tables"
                                      " WHERE table_schema = DATABASE() ORDER BY table_name");
        CPPUNIT_ASSERT_EQUAL(std::size_t{9}, tables.size());
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, m.number("SELECT COUNT(*) FROM information_schema.tables"
                                                       " WHERE table_schema = DATABASE() AND engine <> 'InnoDB'"));
        for (const std::string& table : tables)
            CPPUNIT_ASSERT_EQUAL_MESSAGE(table + " has no primary key", std::int64_t{1},
                                         m.number("SELECT COUNT(*) FROM information_schema.table_constraints"
                                                  " WHERE table_schema = DATABASE() AND table_name = '" + table +
                                                  "' AND constraint_type = 'PRIMARY KEY'"));
        // The migrations ran once, through one member, and every member has them.
        for (int n = 1; n <= 3; ++n)
            CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, member(n).number("SELECT CAST(MAX(version) AS SIGNED) FROM schema_migrations"));
    }

    // Rounds of four draws at once, two through member 1 and two through member 2, for a pool
    // holding two chunks. SKIP LOCKED keeps the two draws of one member apart; the two members
    // pick the same chunk, and certification lets only one of them commit.
    void oneChunkDrawnOnTwoMembersBecomesOneContract() {
        constexpr int kRounds = 8;
        constexpr std::int64_t kSize = 2048;
        std::set<std::string> hashes;
        std::int64_t issued_total = 0;
        const std::uint64_t retries_before = conflict_retries();
        for (int round = 0; round < kRounds; ++round) {
            add_pool_chunks(kSize, 2);
            std::vector<store::TokenRecord> farmers;
            for (int i = 0; i < 4; ++i) farmers.push_back(make_farmer(next_address(), next_ip()));
            std::mutex mutex;
            StartGate gate(4);
            run_in_threads(4, [&](int i) {
                store::ContractRepository contracts(member(i < 2 ? 1 : 2).database(), test_scheme());
                const auto request = one_chunk(farmers[static_cast<std::size_t>(i)].id, kSize, 1 << 30);
                gate.arrive_and_wait();
                auto issued = contracts.issue_from_pool(request, unix_ms());
                CPPUNIT_ASSERT(issued.ok());
                std::lock_guard<std::mutex> lock(mutex);
                for (const auto& c : *issued) {
                    ++issued_total;
                    CPPUNIT_ASSERT_MESSAGE("a chunk became two contracts", hashes.insert(c.file_hash).second);
                }
            });
            CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, test_pool_chunks(kSize));
        }
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2 * kRounds}, issued_total);
        // The contracts are in the database once each, as every member sees it.
        for (int n = 1; n <= 3; ++n)
            for (const std::string& hash : hashes)
                CPPUNIT_ASSERT_EQUAL(std::int64_t{1},
                                     member(n).number("SELECT COUNT(*) FROM contracts WHERE file_hash = UNHEX('" +
                                                      encoding::hex_encode(hash) + "')"));
        std::cout << "ClusterRules: " << kRounds << " rounds of 4 draws (2 per member) for 2 chunks: "
                  << issued_total << " contracts, " << hashes.size() << " distinct chunks, "
                  << (conflict_retries() - retries_before) << " transactions rerun after a conflict"
                  << std::endl;
    }

    // Two tokens of one address draw at once, one through member 1, one through member 2,
    // each asking for the whole per-address limit. Before sql/002 (the address lock was a
    // SELECT ... FOR UPDATE, which Galera does not certify) both could win.
    void drawsForOneAddressOnTwoMembersKeepItsLimit() {
        constexpr int kRounds = 8;
        constexpr std::int64_t kSize = 1024;
        int rounds_with_one_winner = 0;
        const std::uint64_t retries_before = conflict_retries();
        for (int round = 0; round < kRounds; ++round) {
            add_pool_chunks(kSize, 2);
            const std::string address = next_address();
            const store::TokenRecord first = make_farmer(address, next_ip());
            const store::TokenRecord second = make_farmer(address, next_ip());
            std::int64_t issued_bytes = 0;
            std::mutex mutex;
            StartGate gate(2);
            run_in_threads(2, [&](int i) {
                store::ContractRepository contracts(member(i + 1).database(), test_scheme());
                const auto request = one_chunk((i == 0 ? first : second).id, kSize, kSize);
                gate.arrive_and_wait();
                auto issued = contracts.issue_from_pool(request, unix_ms());
                CPPUNIT_ASSERT(issued.ok());
                std::lock_guard<std::mutex> lock(mutex);
                for (const auto& c : *issued) issued_bytes += c.size;
            });
            CPPUNIT_ASSERT_EQUAL_MESSAGE("address over its limit in round " + std::to_string(round), kSize,
                                         issued_bytes);
            const std::int64_t stored = member(3).number(
                "SELECT CAST(COALESCE(SUM(c.size), 0) AS SIGNED) FROM contracts c JOIN tokens t"
                " ON t.id = c.token_id WHERE t.address = '" + address + "'");
            CPPUNIT_ASSERT_EQUAL(kSize, stored);
            ++rounds_with_one_winner;
        }
        std::cout << "ClusterRules: " << kRounds << " rounds of 2 draws for one address (one per member)"
                  << " at its limit: " << rounds_with_one_winner << " rounds with exactly one winner, "
                  << (conflict_retries() - retries_before) << " transactions rerun after a conflict"
                  << std::endl;
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ClusterRules);

}  // namespace downstream::testing::cluster
