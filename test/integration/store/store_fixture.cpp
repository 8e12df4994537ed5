#include "integration/store/store_fixture.h"

#include "crypto/sha256.h"
#include "encoding/hex.h"
#include "node/chunk_generator.h"
#include "proof/merkle_scheme.h"
#include "store/address_repository.h"
#include "store/migrations.h"
#include "store/transaction.h"

#include <cppunit/TestAssert.h>

#include <cstdlib>
#include <memory>
#include <mutex>
#include <thread>

namespace downstream::testing {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;

store::DbSettings test_db_settings() {
    const char* uri = std::getenv("DOWNSTREAM_TEST_DB_URI");
    if (!uri || !*uri)
        CPPUNIT_FAIL("DOWNSTREAM_TEST_DB_URI is not set: run the integration tests through "
                     "scripts/test-integration.sh, which starts a private MariaDB");
    auto settings = store::parse_db_uri(uri);
    if (!settings) CPPUNIT_FAIL("DOWNSTREAM_TEST_DB_URI: " + settings.error().message);
    return *settings;
}

store::Database& test_database() {
    static std::unique_ptr<store::Database> db;
    static std::once_flag once;
    std::call_once(once, [] {
        db = std::make_unique<store::Database>(test_db_settings());
        auto report = store::apply_migrations(*db, store::embedded_migrations(), 1);
        if (!report) CPPUNIT_FAIL("migrations: " + report.error().message);
    });
    if (!db) CPPUNIT_FAIL("the test database could not be set up");
    return *db;
}

void execute_sql(const std::string& sql) {
    test_database().autocommit([&](store::Transaction& tx) { tx.session() << sql, now; });
}

std::int64_t query_number(const std::string& sql) {
    std::int64_t n = 0;
    test_database().autocommit([&](store::Transaction& tx) {
        std::vector<std::int64_t> values;
        tx.session() << sql, into(values), now;
        n = values.empty() ? 0 : values[0];
    });
    return n;
}

std::vector<std::string> query_strings(const std::string& sql) {
    std::vector<std::string> values;
    test_database().autocommit([&](store::Transaction& tx) {
        values.clear();
        tx.session() << sql, into(values), now;
    });
    return values;
}

void reset_database() {
    for (const char* table : {"node_settings", "addresses", "ip_token_counts", "tokens",
                              "token_deletions", "files", "chunk_pool", "contracts"})
        execute_sql(std::string("TRUNCATE TABLE ") + table);
}

const proof::HeartbeatScheme& test_scheme() {
    static const auto scheme = proof::make_merkle_scheme(std::string(32, 'k'), 0.01, 256).value();
    return *scheme;
}

store::PoolKey test_pool_key() {
    return store::PoolKey{"Merkle", crypto::sha256(std::string(32, 'k'))};
}

void add_pool_chunks(std::int64_t size, int count) {
    const node::ChunkGenerator generator(test_scheme());
    node::GenerationTime time;
    std::vector<store::PoolChunk> chunks;
    for (int i = 0; i < count; ++i) chunks.push_back(generator.generate(size, time));
    store::ChunkPoolRepository(test_database()).insert(test_pool_key(), chunks, 1);
}

void run_in_threads(int n, const std::function<void(int)>& body) {
    std::mutex mutex;
    std::string failure;
    std::vector<std::thread> threads;
    for (int i = 0; i < n; ++i)
        threads.emplace_back([&, i] {
            try {
                body(i);
            } catch (const std::exception& e) {
                std::lock_guard<std::mutex> lock(mutex);
                if (failure.empty()) failure = "thread " + std::to_string(i) + ": " + e.what();
            }
        });
    for (auto& t : threads) t.join();
    if (!failure.empty()) CPPUNIT_FAIL(failure);
}

std::string test_address(int n) {
    // Version byte 0 and a 20-byte hash made from n, base58check-encoded.
    std::string payload(1, '\0');
    payload += crypto::sha256("address " + std::to_string(n)).substr(0, 20);
    const std::string data = payload + crypto::double_sha256(payload).substr(0, 4);
    static constexpr char kAlphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    std::vector<unsigned char> digits;  // base 58, least significant first
    for (unsigned char byte : data) {
        int carry = byte;
        for (auto& d : digits) {
            carry += 256 * d;
            d = static_cast<unsigned char>(carry % 58);
            carry /= 58;
        }
        while (carry > 0) {
            digits.push_back(static_cast<unsigned char>(carry % 58));
            carry /= 58;
        }
    }
    std::string text;
    for (unsigned char byte : data) {
        if (byte != 0) break;
        text += '1';
    }
    for (auto it = digits.rbegin(); it != digits.rend(); ++it) text += kAlphabet[*it];
    return text;
}

std::optional<std::vector<store::AnswerOutcome>> answer_claims(
    store::ContractRepository& contracts, const std::string& token_hash,
    const std::vector<std::string>& file_hashes, const std::vector<store::AnswerClaim>& claims,
    UnixMillis at, std::vector<store::ContractRecord>* seen) {
    const store::AnswerDecision decide = [&](const std::vector<store::ContractRecord>& rows) {
        if (seen) *seen = rows;
        return claims;
    };
    return contracts.answer(token_hash, file_hashes, decide, at);
}

store::AnswerOutcome answer_one(store::ContractRepository& contracts, const store::TokenRecord& farmer,
                                const store::ContractRecord& contract, store::AnswerClaim claim,
                                UnixMillis at) {
    const auto outcomes = answer_claims(contracts, farmer.token_hash, {contract.file_hash}, {claim}, at);
    if (!outcomes || outcomes->size() != 1) CPPUNIT_FAIL("answer_one: the farmer's token is unknown");
    return outcomes->front();
}

store::TokenRecord make_farmer(const std::string& address, const std::string& ip) {
    store::AddressRepository(test_database()).add(store::WhitelistEntry{address, 1000000}, 1);
    static int counter = 0;
    const std::string token = crypto::sha256("token " + std::to_string(++counter) + address + ip).substr(0, 16);
    store::NewToken t;
    t.token_hash = crypto::sha256(token);
    t.farmer_id = encoding::hex_encode(t.token_hash).substr(0, 20);
    t.address = address;
    t.ip = ip;
    auto created = store::TokenRepository(test_database()).create(t, store::TokenLimits{1000, 0}, 1);
    if (!created) CPPUNIT_FAIL("make_farmer: " + created.error().message);
    return *created;
}

}  // namespace downstream::testing
