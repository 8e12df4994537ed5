// The admin CLI: the real binary against the test MariaDB. Every command, its bad inputs,
// the heartbeat key check, maintain's reaction to SIGTERM and cleandb's fold.
#include "integration/store/node_process.h"
#include "integration/store/store_fixture.h"

#include "base/clock.h"
#include "crypto/secure_random.h"
#include "crypto/sha256.h"
#include "encoding/hex.h"
#include "node/pool_plan.h"
#include "store/address_repository.h"
#include "store/contract_repository.h"
#include "store/migrations.h"
#include "store/token_repository.h"

#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sys/stat.h>
#include <thread>

using namespace downstream;
using namespace downstream::testing;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_file(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

}  // namespace

class StoreCliTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(StoreCliTest);
    CPPUNIT_TEST(initdbCreatesKeyAndRecordsFingerprint);
    CPPUNIT_TEST(wrongKeyIsRefusedWithAdvice);
    CPPUNIT_TEST(missingKeyAndMissingSchemaAreExplained);
    CPPUNIT_TEST(whitelistReplacesFromCsv);
    CPPUNIT_TEST(badCsvReportsLinesAndChangesNothing);
    CPPUNIT_TEST(bareAddressIsAddedWithMinimumBalance);
    CPPUNIT_TEST(generateChunkFillsThePool);
    CPPUNIT_TEST(generateChunkRejectsBadArguments);
    CPPUNIT_TEST(maintainKeepsThePlanAndStopsOnSigterm);
    CPPUNIT_TEST(maintainStopsAtOnceWhileGenerating);
    CPPUNIT_TEST(cleandbFoldsExpiredContracts);
    CPPUNIT_TEST(clearchunksEmptiesThePool);
    CPPUNIT_TEST(revokeTokenDeletesFarmer);
    CPPUNIT_TEST(usageAndConfigurationErrors);
    CPPUNIT_TEST_SUITE_END();

    std::string dir_;
    std::string config_;
    std::string key_;

    NodeRun node(std::vector<std::string> args) {
        args.insert(args.begin(), {"--config", config_});
        return run_node(args);
    }

    std::string recorded_fingerprint() {
        const auto v = query_strings("SELECT value FROM node_settings WHERE name = 'heartbeat_key_fingerprint'");
        return v.empty() ? "" : v[0];
    }

    std::string pool_fingerprint() {
        return crypto::sha256(read_file(key_));
    }

public:
    void setUp() override {
        reset_database();
        static int n = 0;
        dir_ = scratch_dir() + "/cli-" + std::to_string(++n);
        mkdir(dir_.c_str(), 0700);
        key_ = dir_ + "/keys/heartbeat.key";
        config_ = dir_ + "/node.conf";
        write_file(config_, "# written by cli_test\n"
                            "db.uri = " + std::string(std::getenv("DOWNSTREAM_TEST_DB_URI")) + "\n"
                            "heartbeat.key_file = " + key_ + "\n"
                            "limits.min_balance = 12345\n"
                            "maintain.poll = 1\n");
    }

    void tearDown() override { std::system(("rm -rf '" + dir_ + "'").c_str()); }

    void initdbCreatesKeyAndRecordsFingerprint() {
        const NodeRun first = node({"initdb"});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(first.err, 0, first.exit_code);
        CPPUNIT_ASSERT(contains(first.err, "created"));
        struct stat st {};
        CPPUNIT_ASSERT_EQUAL(0, stat(key_.c_str(), &st));
        CPPUNIT_ASSERT_EQUAL(0600u, static_cast<unsigned>(st.st_mode & 0777));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{32}, static_cast<std::int64_t>(st.st_size));
        CPPUNIT_ASSERT_EQUAL(encoding::hex_encode(crypto::sha256(read_file(key_))), recorded_fingerprint());
        // Again, in the original spelling: nothing changes.
        const std::string key_before = read_file(key_);
        const NodeRun second = node({"--initdb"});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(second.err, 0, second.exit_code);
        CPPUNIT_ASSERT(contains(second.err, "schema is up to date"));
        CPPUNIT_ASSERT(contains(second.err, "exists"));
        CPPUNIT_ASSERT(key_before == read_file(key_));
        CPPUNIT_ASSERT_EQUAL(encoding::hex_encode(crypto::sha256(key_before)), recorded_fingerprint());
    }

    void wrongKeyIsRefusedWithAdvice() {
        CPPUNIT_ASSERT_EQUAL(0, node({"initdb"}).exit_code);
        const std::string recorded = recorded_fingerprint();
        // A second file layered over the first points at another key.
        const std::string other_key = dir_ + "/other.key";
        write_file(other_key, crypto::secure_random_bytes(32));
        chmod(other_key.c_str(), 0600);
        const std::string overlay = dir_ + "/overlay.conf";
        write_file(overlay, "heartbeat.key_file = " + other_key + "\n");
        const auto with_other_key = [&](std::vector<std::string> args) {
            args.insert(args.begin(), {"--config", config_, "--config", overlay});
            return run_node(args);
        };
        for (const std::vector<std::string>& args :
             {std::vector<std::string>{"whitelist", test_address(1)},
              std::vector<std::string>{"generate-chunk", "4096"},
              std::vector<std::string>{"cleandb"},
              std::vector<std::string>{"initdb"}}) {
            const NodeRun r = with_other_key(args);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(args[0] + ": " + r.err, 1, r.exit_code);
            CPPUNIT_ASSERT_MESSAGE(r.err, contains(r.err, "is not the key this database was initialised with"));
            CPPUNIT_ASSERT_MESSAGE(r.err, contains(r.err, "Restore the original key file"));
        }
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, query_number("SELECT COUNT(*) FROM addresses"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, query_number("SELECT COUNT(*) FROM chunk_pool"));
        CPPUNIT_ASSERT_EQUAL(recorded, recorded_fingerprint());
        // Adopting the other key is explicit.
        const NodeRun adopt = with_other_key({"initdb", "--replace-key"});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(adopt.err, 0, adopt.exit_code);
        CPPUNIT_ASSERT_EQUAL(encoding::hex_encode(crypto::sha256(read_file(other_key))), recorded_fingerprint());
        CPPUNIT_ASSERT_EQUAL(0, with_other_key({"generate-chunk", "4096"}).exit_code);
        CPPUNIT_ASSERT_EQUAL(1, node({"generate-chunk", "4096"}).exit_code);  // the first key is now the wrong one
    }

    void missingKeyAndMissingSchemaAreExplained() {
        // No schema at all.
        for (const auto& table : query_strings("SELECT table_name FROM information_schema.tables"
                                               " WHERE table_schema = DATABASE()"))
            execute_sql("DROP TABLE `" + table + "`");
        const NodeRun no_schema = node({"whitelist", test_address(1)});
        auto restored = store::apply_migrations(test_database(), store::embedded_migrations(), 1);
        CPPUNIT_ASSERT(restored.ok());
        CPPUNIT_ASSERT_EQUAL(1, no_schema.exit_code);
        CPPUNIT_ASSERT_MESSAGE(no_schema.err, contains(no_schema.err, "has no schema yet: run `downstream-node initdb`"));
        // Schema, but initdb never recorded a key.
        const NodeRun no_record = node({"clearchunks"});
        CPPUNIT_ASSERT_EQUAL(1, no_record.exit_code);
        CPPUNIT_ASSERT_MESSAGE(no_record.err, contains(no_record.err, "does not exist: run `downstream-node initdb`"));
        // Key recorded, then the key file lost.
        CPPUNIT_ASSERT_EQUAL(0, node({"initdb"}).exit_code);
        std::remove(key_.c_str());
        const NodeRun lost = node({"generate-chunk", "4K"});
        CPPUNIT_ASSERT_EQUAL(1, lost.exit_code);
        CPPUNIT_ASSERT_MESSAGE(lost.err, contains(lost.err, "copy the key file from another host"));
    }

    void whitelistReplacesFromCsv() {
        CPPUNIT_ASSERT_EQUAL(0, node({"initdb"}).exit_code);
        const std::string csv = dir_ + "/whitelist.csv";
        write_file(csv, "address,crowdsale_balance,type\n" + test_address(1) + ",20000,a\n" +
                            test_address(2) + ",30000,b\n\"" + test_address(3) + "\",\"5\",c\n");
        const NodeRun first = node({"whitelist", csv});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(first.err, 0, first.exit_code);
        CPPUNIT_ASSERT_MESSAGE(first.err, contains(first.err, "3 added, 0 balances changed, 0 unchanged, 0 removed"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{30000}, query_number("SELECT crowdsale_balance FROM addresses WHERE address = '" +
                                                               test_address(2) + "'"));
        // Address 2 holds a token with two contracts; the next list drops it.
        const auto farmer = make_farmer(test_address(2), "10.0.0.1");
        add_pool_chunks(4096, 2);
        store::IssueRequest r;
        r.token_id = farmer.id;
        r.requested_bytes = 8192;
        r.max_size_per_address = 1 << 30;
        r.pool = test_pool_key();
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, store::ContractRepository(test_database(), test_scheme())
                                                 .issue_from_pool(r, SystemClock().now_ms())->size());
        write_file(csv, "address,crowdsale_balance\n" + test_address(1) + ",25000\n" + test_address(3) + ",5\n");
        const NodeRun second = node({"--whitelist", csv});  // original spelling
        CPPUNIT_ASSERT_EQUAL_MESSAGE(second.err, 0, second.exit_code);
        CPPUNIT_ASSERT_MESSAGE(second.err, contains(second.err, "0 added, 1 balances changed, 1 unchanged, 1 removed "
                                                                "(with 1 tokens and 2 contracts)"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, query_number("SELECT COUNT(*) FROM tokens"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, query_number("SELECT COUNT(*) FROM contracts"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, query_number("SELECT COUNT(*) FROM addresses"));
        // A file without any address is refused rather than emptying the whitelist.
        write_file(csv, "address,crowdsale_balance\n");
        const NodeRun empty = node({"whitelist", csv});
        CPPUNIT_ASSERT_EQUAL(1, empty.exit_code);
        CPPUNIT_ASSERT(contains(empty.err, "lists no address"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, query_number("SELECT COUNT(*) FROM addresses"));
    }

    void badCsvReportsLinesAndChangesNothing() {
        CPPUNIT_ASSERT_EQUAL(0, node({"initdb"}).exit_code);
        const std::string csv = dir_ + "/bad.csv";
        write_file(csv, "address,crowdsale_balance\n" + test_address(1) + ",100\n");
        CPPUNIT_ASSERT_EQUAL(0, node({"whitelist", csv}).exit_code);
        write_file(csv, "address,crowdsale_balance\n" +          // 1
                            test_address(2) + ",100\n" +         // 2 fine
                            "1BoatSLRHtKNngkdXEeobR76b53LETtpyX,7\n" +  // 3 bad checksum
                            test_address(4) + ",100\n" +         // 4 fine
                            test_address(5) + ",lots\n");        // 5 bad balance
        const NodeRun r = node({"whitelist", csv});
        CPPUNIT_ASSERT_EQUAL(1, r.exit_code);
        CPPUNIT_ASSERT_MESSAGE(r.err, contains(r.err, "line 3: '1BoatSLRHtKNngkdXEeobR76b53LETtpyX' is not a valid address"));
        CPPUNIT_ASSERT_MESSAGE(r.err, contains(r.err, "line 5: crowdsale_balance 'lots' is not a whole number"));
        CPPUNIT_ASSERT_MESSAGE(r.err, contains(r.err, "has 2 problem(s); the whitelist was not changed"));
        // Still exactly the first list: nothing half-applied, address 1 not removed.
        const auto listed = query_strings("SELECT address FROM addresses");
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, listed.size());
        CPPUNIT_ASSERT_EQUAL(test_address(1), listed[0]);
        // A missing header is reported too.
        write_file(csv, test_address(2) + ",100\n");
        const NodeRun no_header = node({"whitelist", csv});
        CPPUNIT_ASSERT_EQUAL(1, no_header.exit_code);
        CPPUNIT_ASSERT(contains(no_header.err, "line 1: the header row must name the columns address and crowdsale_balance"));
    }

    void bareAddressIsAddedWithMinimumBalance() {
        CPPUNIT_ASSERT_EQUAL(0, node({"initdb"}).exit_code);
        const NodeRun added = node({"whitelist", test_address(7)});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(added.err, 0, added.exit_code);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{12345}, query_number("SELECT crowdsale_balance FROM addresses"));
        const NodeRun again = node({"whitelist", test_address(7)});
        CPPUNIT_ASSERT_EQUAL(0, again.exit_code);
        CPPUNIT_ASSERT(contains(again.err, "already on the whitelist"));
        const NodeRun unknown = node({"whitelist", "1NotAnAddressAtAll"});
        CPPUNIT_ASSERT_EQUAL(1, unknown.exit_code);
        CPPUNIT_ASSERT(contains(unknown.err, "'1NotAnAddressAtAll' is neither a readable file nor a valid address"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, query_number("SELECT COUNT(*) FROM addresses"));
    }

    void generateChunkFillsThePool() {
        CPPUNIT_ASSERT_EQUAL(0, node({"initdb"}).exit_code);
        const NodeRun r = node({"generate-chunk", "32K", "25"});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.err, 0, r.exit_code);
        CPPUNIT_ASSERT_MESSAGE(r.err, contains(r.err, "25 chunks, 800 KiB in"));
        CPPUNIT_ASSERT_MESSAGE(r.err, contains(r.err, "chunks/s"));
        CPPUNIT_ASSERT_MESSAGE(r.err, contains(r.err, "MiB/s"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{25}, query_number("SELECT COUNT(*) FROM chunk_pool WHERE size = 32768"
                                                            " AND scheme = 'Merkle'"));
        const auto fingerprints = query_strings("SELECT DISTINCT HEX(key_fingerprint) FROM chunk_pool");
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, fingerprints.size());
        CPPUNIT_ASSERT_EQUAL(encoding::hex_encode(pool_fingerprint()), [&] {
            std::string lower = fingerprints[0];
            for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            return lower;
        }());
        CPPUNIT_ASSERT_EQUAL(std::int64_t{25}, query_number("SELECT COUNT(DISTINCT seed) FROM chunk_pool"));
        // Original spelling, one chunk; and both encoder modes.
        CPPUNIT_ASSERT_EQUAL(0, node({"--generate-chunk", "4096"}).exit_code);
        CPPUNIT_ASSERT_EQUAL(0, node({"generate-chunk", "1K", "10", "--jobs", "0"}).exit_code);
        CPPUNIT_ASSERT_EQUAL(0, node({"generate-chunk", "1K", "10", "--jobs=2"}).exit_code);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{46}, query_number("SELECT COUNT(*) FROM chunk_pool"));
    }

    void generateChunkRejectsBadArguments() {
        CPPUNIT_ASSERT_EQUAL(0, node({"initdb"}).exit_code);
        for (const std::vector<std::string>& args :
             {std::vector<std::string>{"generate-chunk"}, {"generate-chunk", "abc"}, {"generate-chunk", "0"},
              {"generate-chunk", "4K", "0"}, {"generate-chunk", "4K", "ten"}, {"generate-chunk", "4K", "1", "2"},
              {"generate-chunk", "4K", "--jobs", "x"}, {"generate-chunk", "4K", "--frobnicate"}}) {
            const NodeRun r = node(args);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.err, 2, r.exit_code);
        }
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, query_number("SELECT COUNT(*) FROM chunk_pool"));
    }

    void maintainKeepsThePlanAndStopsOnSigterm() {
        CPPUNIT_ASSERT_EQUAL(0, node({"initdb"}).exit_code);
        // 4 KiB, 16 KiB, 64 KiB; 1 MiB total: 349525 bytes each -> 85, 21, 5 chunks.
        auto plan = node::plan_pool(4096, 65536, 1 << 20, 4);
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, plan->size());
        std::int64_t planned = 0;
        for (const auto& t : *plan) planned += t.count;
        CPPUNIT_ASSERT_EQUAL(std::int64_t{111}, planned);
        // Some chunks are there already and count towards the plan.
        CPPUNIT_ASSERT_EQUAL(0, node({"generate-chunk", "16K", "4"}).exit_code);

        RunningNode maintainer({"--config", config_, "maintain", "4K", "64K", "1M", "4"});
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (query_number("SELECT COUNT(*) FROM chunk_pool") < planned &&
               std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        // Once full it waits; it notices a draw (here: a deletion) and tops up.
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        execute_sql("DELETE FROM chunk_pool WHERE size = 65536 LIMIT 2");
        const auto refill = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (query_number("SELECT COUNT(*) FROM chunk_pool") < planned &&
               std::chrono::steady_clock::now() < refill)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));

        maintainer.signal(SIGTERM);
        const auto asked = std::chrono::steady_clock::now();
        CPPUNIT_ASSERT(maintainer.wait(5000));
        CPPUNIT_ASSERT(std::chrono::steady_clock::now() - asked < std::chrono::seconds(3));
        const NodeRun r = maintainer.result();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.err, 0, r.exit_code);
        CPPUNIT_ASSERT_MESSAGE(r.err, contains(r.err, "pool full"));
        CPPUNIT_ASSERT_MESSAGE(r.err, contains(r.err, "stopped by signal"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{85}, query_number("SELECT COUNT(*) FROM chunk_pool WHERE size = 4096"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{21}, query_number("SELECT COUNT(*) FROM chunk_pool WHERE size = 16384"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{5}, query_number("SELECT COUNT(*) FROM chunk_pool WHERE size = 65536"));

        const NodeRun bad = node({"maintain", "64K", "4K", "1M", "2"});
        CPPUNIT_ASSERT_EQUAL(2, bad.exit_code);
        CPPUNIT_ASSERT(contains(bad.err, "MAX must be at least MIN"));
        CPPUNIT_ASSERT_EQUAL(2, node({"--maintain", "4K", "64K", "1M"}).exit_code);
    }

    void maintainStopsAtOnceWhileGenerating() {
        CPPUNIT_ASSERT_EQUAL(0, node({"initdb"}).exit_code);
        // A pool far too big to fill during the test.
        RunningNode maintainer({"--config", config_, "--maintain", "64K", "1M", "100G", "4"});
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (query_number("SELECT COUNT(*) FROM chunk_pool") < 20 && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        maintainer.signal(SIGTERM);
        const auto asked = std::chrono::steady_clock::now();
        CPPUNIT_ASSERT(maintainer.wait(5000));
        CPPUNIT_ASSERT(std::chrono::steady_clock::now() - asked < std::chrono::seconds(2));
        const NodeRun r = maintainer.result();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.err, 0, r.exit_code);
        CPPUNIT_ASSERT_MESSAGE(r.err, contains(r.err, "stopped by signal"));
        CPPUNIT_ASSERT(query_number("SELECT COUNT(*) FROM chunk_pool") >= 20);
    }

    void cleandbFoldsExpiredContracts() {
        CPPUNIT_ASSERT_EQUAL(0, node({"initdb"}).exit_code);
        const UnixMillis now = SystemClock().now_ms();
        const auto farmer = make_farmer(test_address(1), "10.0.0.1");
        add_pool_chunks(4096, 3);
        store::ContractRepository contracts(test_database(), test_scheme());
        store::IssueRequest r;
        r.token_id = farmer.id;
        r.requested_bytes = 4096;
        r.max_size_per_address = 1 << 30;
        r.interval_ms = 60000;
        r.pool = test_pool_key();
        // Expired two hours ago (beyond contract.keep_expired = 1 h), ten minutes ago, and live.
        CPPUNIT_ASSERT(contracts.issue_from_pool(r, now - 2 * 3600 * 1000).ok());
        CPPUNIT_ASSERT(contracts.issue_from_pool(r, now - 600 * 1000).ok());
        CPPUNIT_ASSERT(contracts.issue_from_pool(r, now).ok());
        const auto before = *store::TokenRepository(test_database()).find_by_hash(farmer.token_hash);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{3}, before.contracts_online);

        const NodeRun clean = node({"cleandb"});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(clean.err, 0, clean.exit_code);
        CPPUNIT_ASSERT_MESSAGE(clean.err, contains(clean.err, "2 contracts of 1 farmers went offline; deleted 1 expired contracts, 1 files"));
        const auto after = *store::TokenRepository(test_database()).find_by_hash(farmer.token_hash);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, after.contracts_online);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{4096}, after.size_online);
        // The uptime summary keeps the deleted contract's lifetime.
        CPPUNIT_ASSERT(after.online == before.online);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, query_number("SELECT COUNT(*) FROM contracts"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, query_number("SELECT COUNT(*) FROM contracts WHERE online = 0"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, query_number("SELECT COUNT(*) FROM files"));
        // Running it again finds nothing more to do; the original spelling works.
        const NodeRun again = node({"--cleandb"});
        CPPUNIT_ASSERT_EQUAL(0, again.exit_code);
        CPPUNIT_ASSERT_MESSAGE(again.err, contains(again.err, "0 contracts of 0 farmers went offline; deleted 0 expired contracts, 0 files"));
    }

    void clearchunksEmptiesThePool() {
        CPPUNIT_ASSERT_EQUAL(0, node({"initdb"}).exit_code);
        CPPUNIT_ASSERT_EQUAL(0, node({"generate-chunk", "2K", "7"}).exit_code);
        add_pool_chunks(1024, 3);  // another key's chunks go too
        const NodeRun r = node({"clearchunks"});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.err, 0, r.exit_code);
        CPPUNIT_ASSERT(contains(r.err, "deleted 10 pool chunks"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, query_number("SELECT COUNT(*) FROM chunk_pool"));
        CPPUNIT_ASSERT_EQUAL(0, node({"--clearchunks"}).exit_code);
    }

    void revokeTokenDeletesFarmer() {
        CPPUNIT_ASSERT_EQUAL(0, node({"initdb"}).exit_code);
        store::AddressRepository(test_database()).add({test_address(1), 50000}, 1);
        const std::string raw = crypto::secure_random_bytes(16);
        store::NewToken t;
        t.token_hash = crypto::sha256(raw);
        t.farmer_id = encoding::hex_encode(t.token_hash).substr(0, 20);
        t.address = test_address(1);
        t.ip = "10.0.0.9";
        CPPUNIT_ASSERT(store::TokenRepository(test_database()).create(t, {5, 0}, 1).ok());

        const NodeRun revoked = node({"revoke-token", encoding::hex_encode(raw)});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(revoked.err, 0, revoked.exit_code);
        CPPUNIT_ASSERT(contains(revoked.err, t.farmer_id));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, query_number("SELECT COUNT(*) FROM tokens"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, query_number("SELECT COUNT(*) FROM token_deletions"));
        const NodeRun unknown = node({"revoke-token", encoding::hex_encode(raw)});
        CPPUNIT_ASSERT_EQUAL(1, unknown.exit_code);
        CPPUNIT_ASSERT(contains(unknown.err, "no such token"));
        CPPUNIT_ASSERT_EQUAL(2, node({"revoke-token", "not-a-token"}).exit_code);
        CPPUNIT_ASSERT_EQUAL(2, node({"revoke-token"}).exit_code);
    }

    void usageAndConfigurationErrors() {
        const NodeRun help = run_node({"--help"});
        CPPUNIT_ASSERT_EQUAL(0, help.exit_code);
        for (const char* command : {"initdb", "migrate", "whitelist FILE|ADDRESS", "generate-chunk SIZE [COUNT]",
                                    "maintain MIN MAX TOTAL BASE", "cleandb", "clearchunks", "revoke-token TOKEN"})
            CPPUNIT_ASSERT_MESSAGE(command, contains(help.out, command));
        CPPUNIT_ASSERT(contains(run_node({"help", "maintain"}).out, "usage: downstream-node [--config FILE] maintain"));
        CPPUNIT_ASSERT_EQUAL(2, run_node({}).exit_code);
        const NodeRun unknown = node({"frobnicate"});
        CPPUNIT_ASSERT_EQUAL(2, unknown.exit_code);
        CPPUNIT_ASSERT(contains(unknown.err, "unknown command 'frobnicate'"));
        // serve refuses to start before initdb made the heartbeat key, and says what to do.
        const NodeRun serve = node({"serve"});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(serve.err, 1, serve.exit_code);
        CPPUNIT_ASSERT_MESSAGE(serve.err, contains(serve.err, "does not exist: run `downstream-node initdb`"));

        const std::string broken = dir_ + "/broken.conf";
        write_file(broken, "threads = 4\ndb.url = mysql://x@y/z\n");
        const NodeRun bad_config = run_node({"--config", config_, "--config", broken, "cleandb"});
        CPPUNIT_ASSERT_EQUAL(2, bad_config.exit_code);
        CPPUNIT_ASSERT_MESSAGE(bad_config.err, contains(bad_config.err, broken + ":2: unknown key 'db.url'"));
        const NodeRun missing = run_node({"--config", dir_ + "/absent.conf", "cleandb"});
        CPPUNIT_ASSERT_EQUAL(2, missing.exit_code);
        CPPUNIT_ASSERT(contains(missing.err, "cannot read config file"));

        const NodeRun shown = node({"config"});
        CPPUNIT_ASSERT_EQUAL(0, shown.exit_code);
        CPPUNIT_ASSERT(contains(shown.out, "heartbeat.key_file = " + key_ + "\n"));
        CPPUNIT_ASSERT(contains(shown.out, "limits.min_balance = 12345\n"));

        // A database that is down: a clear error, quickly.
        const std::string down = dir_ + "/down.conf";
        write_file(down, "db.uri = mysql://u:p@127.0.0.1:3419/downstream?connect_timeout=2\n");
        const auto start = std::chrono::steady_clock::now();
        const NodeRun unreachable = run_node({"--config", down, "migrate"});
        CPPUNIT_ASSERT_EQUAL(1, unreachable.exit_code);
        CPPUNIT_ASSERT_MESSAGE(unreachable.err, contains(unreachable.err, "database unavailable (u@127.0.0.1:3419/downstream)"));
        CPPUNIT_ASSERT(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StoreCliTest);
