// Contracts against a real MariaDB: the greedy draw from the pool and its limits, racing
// draws (no chunk twice), racing answers (counted once), the farmer summary in SQL agreeing
// with OnlineInterval, and the sweep / deletion that cleandb runs.
#include "integration/store/store_fixture.h"

#include "crypto/sha256.h"
#include "node/chunk_generator.h"
#include "proof/merkle_scheme.h"
#include "store/contract_repository.h"
#include "store/online_interval.h"
#include "store/token_repository.h"

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <random>
#include <set>
#include <stdexcept>
#include <thread>

using namespace downstream;
using namespace downstream::testing;

namespace {

constexpr std::int64_t kSecond = 1000;
constexpr std::int64_t kT0 = 1700000000000;  // an arbitrary start of the timelines
constexpr std::int64_t kKiB = 1024;
constexpr std::int64_t kMiB = 1024 * 1024;

store::IssueRequest request(std::int64_t token_id, std::int64_t bytes, int max_chunks = 10,
                            std::int64_t max_per_address = std::int64_t{1} << 40) {
    store::IssueRequest r;
    r.token_id = token_id;
    r.requested_bytes = bytes;
    r.max_chunks = max_chunks;
    r.max_size_per_address = max_per_address;
    r.interval_ms = 60 * kSecond;
    r.pool = test_pool_key();
    return r;
}

std::vector<std::int64_t> sizes_of(const std::vector<store::IssuedContract>& issued) {
    std::vector<std::int64_t> sizes;
    for (const auto& c : issued) sizes.push_back(c.size);
    return sizes;
}

store::TokenRecord reload(const store::TokenRecord& token) {
    return *store::TokenRepository(test_database()).find_by_hash(token.token_hash);
}

// The contract, answered for the challenge it has now.
store::AnswerOutcome accept_one(store::ContractRepository& contracts, const store::TokenRecord& farmer,
                                const store::ContractRecord& c, UnixMillis at) {
    return answer_one(contracts, farmer, c, {c.id, c.due_ms}, at);
}

}  // namespace

class StoreContractTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(StoreContractTest);
    CPPUNIT_TEST(drawsLargestFittingChunksFirst);
    CPPUNIT_TEST(respectsMaxChunksAndEmptyPool);
    CPPUNIT_TEST(respectsMaxSizePerAddressCountingLiveContracts);
    CPPUNIT_TEST(neverDrawsChunksOfAnotherSchemeOrKey);
    CPPUNIT_TEST(discardsUnusablePoolChunks);
    CPPUNIT_TEST(issuedContractMatchesThePoolChunk);
    CPPUNIT_TEST(refusesUnknownTokenAndRemovedAddress);
    CPPUNIT_TEST(hugeTagsArriveIntact);
    CPPUNIT_TEST(schemeValuesAreReadWholeOrNotAtAll);
    CPPUNIT_TEST(racingDrawsNeverShareAChunk);
    CPPUNIT_TEST(racingDrawsForOneAddressKeepItsLimit);
    CPPUNIT_TEST(racingAnswersCountOnce);
    CPPUNIT_TEST(answerOutcomes);
    CPPUNIT_TEST(groupWrittenAnswersOfManyFarmers);
    CPPUNIT_TEST(answerShowsTheFarmersRows);
    CPPUNIT_TEST(summaryAgreesWithOnlineIntervalOnHandTimelines);
    CPPUNIT_TEST(summaryAgreesWithOnlineIntervalOnRandomTimelines);
    CPPUNIT_TEST(sweepTakesExpiredContractsOffline);
    CPPUNIT_TEST(lateAnswerRevivesSweptContract);
    CPPUNIT_TEST(deleteExpiredRemovesContractsAndFiles);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override { reset_database(); }

    void drawsLargestFittingChunksFirst() {
        add_pool_chunks(kMiB, 3);
        add_pool_chunks(256 * kKiB, 5);
        add_pool_chunks(32 * kKiB, 10);
        add_pool_chunks(4 * kKiB, 10);
        const auto farmer = make_farmer(test_address(1), "10.0.0.1");
        store::ContractRepository contracts(test_database(), test_scheme());
        // 1.3 MiB: 1 MiB + 256 KiB + 32 KiB + 4 x 4 KiB (3276 bytes left over).
        auto issued = contracts.issue_from_pool(request(farmer.id, 1363148), kT0);
        CPPUNIT_ASSERT(issued.ok());
        const std::vector<std::int64_t> expected = {kMiB, 256 * kKiB, 32 * kKiB, 4 * kKiB,
                                                    4 * kKiB, 4 * kKiB, 4 * kKiB};
        CPPUNIT_ASSERT(sizes_of(*issued) == expected);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{28 - 7}, store::ChunkPoolRepository(test_database()).count_all());
        // Exactly the default 32 KiB.
        auto small = contracts.issue_from_pool(request(farmer.id, 32768), kT0);
        CPPUNIT_ASSERT(sizes_of(*small) == std::vector<std::int64_t>{32 * kKiB});
        // Less than the smallest chunk: nothing fits.
        CPPUNIT_ASSERT(contracts.issue_from_pool(request(farmer.id, 4095), kT0)->empty());
    }

    void respectsMaxChunksAndEmptyPool() {
        add_pool_chunks(4 * kKiB, 5);
        const auto farmer = make_farmer(test_address(1), "10.0.0.1");
        store::ContractRepository contracts(test_database(), test_scheme());
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, contracts.issue_from_pool(request(farmer.id, kMiB, 3), kT0)->size());
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, contracts.issue_from_pool(request(farmer.id, kMiB, 3), kT0)->size());
        CPPUNIT_ASSERT(contracts.issue_from_pool(request(farmer.id, kMiB, 3), kT0)->empty());
        const auto t = reload(farmer);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{5}, t.contracts_online);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{5 * 4 * kKiB}, t.size_online);
    }

    void respectsMaxSizePerAddressCountingLiveContracts() {
        add_pool_chunks(kMiB, 2);
        add_pool_chunks(32 * kKiB, 10);
        const std::string address = test_address(1);
        const auto one = make_farmer(address, "10.0.0.1");
        const auto two = make_farmer(address, "10.0.0.2");  // same address, other token
        store::ContractRepository contracts(test_database(), test_scheme());
        const std::int64_t cap = kMiB + 100 * kKiB;
        CPPUNIT_ASSERT(sizes_of(*contracts.issue_from_pool(request(one.id, kMiB, 10, cap), kT0)) ==
                       std::vector<std::int64_t>{kMiB});
        // 100 KiB left for the address, whichever token asks: three 32 KiB chunks.
        auto more = contracts.issue_from_pool(request(two.id, 10 * kMiB, 10, cap), kT0 + kSecond);
        CPPUNIT_ASSERT(sizes_of(*more) == std::vector<std::int64_t>(3, 32 * kKiB));
        CPPUNIT_ASSERT(contracts.issue_from_pool(request(one.id, kMiB, 10, cap), kT0 + 2 * kSecond)->empty());
        // Once those contracts expire (unanswered: at their due time) they no longer count.
        auto later = contracts.issue_from_pool(request(one.id, 10 * kMiB, 10, cap), kT0 + 62 * kSecond);
        CPPUNIT_ASSERT_EQUAL(kMiB + 32 * kKiB * 3, [&] {
            std::int64_t sum = 0;
            for (auto s : sizes_of(*later)) sum += s;
            return sum;
        }());
    }

    void neverDrawsChunksOfAnotherSchemeOrKey() {
        const node::ChunkGenerator generator(test_scheme());
        node::GenerationTime time;
        store::ChunkPoolRepository pool(test_database());
        pool.insert(store::PoolKey{"Swizzle", test_pool_key().key_fingerprint}, {generator.generate(kMiB, time)}, 1);
        pool.insert(store::PoolKey{"Merkle", crypto::sha256("another key")}, {generator.generate(kMiB, time)}, 1);
        add_pool_chunks(4 * kKiB, 1);
        const auto farmer = make_farmer(test_address(1), "10.0.0.1");
        store::ContractRepository contracts(test_database(), test_scheme());
        CPPUNIT_ASSERT(sizes_of(*contracts.issue_from_pool(request(farmer.id, 2 * kMiB), kT0)) ==
                       std::vector<std::int64_t>{4 * kKiB});
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, pool.count_all());
        CPPUNIT_ASSERT_EQUAL(std::size_t{0}, pool.counts_by_size(test_pool_key()).size());
    }

    void discardsUnusablePoolChunks() {
        store::ChunkPoolRepository pool(test_database());
        const node::ChunkGenerator generator(test_scheme());
        node::GenerationTime time;
        auto tampered = generator.generate(64 * kKiB, time);
        tampered.state[5] ^= 1;  // fails its HMAC
        // A Merkle state with one challenge, already issued: nothing left to challenge.
        const auto one_challenge = proof::make_merkle_scheme(std::string(32, 'k'), 0.01, 1).value();
        auto exhausted = node::ChunkGenerator(*one_challenge).generate(48 * kKiB, time);
        exhausted.state = (*one_challenge->gen_challenge(exhausted.state))->state;
        pool.insert(test_pool_key(), {tampered, exhausted}, 1);
        add_pool_chunks(4 * kKiB, 1);
        const auto farmer = make_farmer(test_address(1), "10.0.0.1");
        store::ContractRepository contracts(test_database(), test_scheme());
        auto issued = contracts.issue_from_pool(request(farmer.id, kMiB), kT0);
        CPPUNIT_ASSERT(sizes_of(*issued) == std::vector<std::int64_t>{4 * kKiB});
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, pool.count_all());  // the bad ones are gone too
    }

    void issuedContractMatchesThePoolChunk() {
        const node::ChunkGenerator generator(test_scheme());
        node::GenerationTime time;
        const auto chunk = generator.generate(8 * kKiB, time);
        store::ChunkPoolRepository(test_database()).insert(test_pool_key(), {chunk}, 1);
        const auto farmer = make_farmer(test_address(1), "10.0.0.1");
        store::ContractRepository contracts(test_database(), test_scheme());
        auto issued = contracts.issue_from_pool(request(farmer.id, kMiB), kT0);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, issued->size());
        const auto& c = (*issued)[0];
        CPPUNIT_ASSERT(c.file_hash == chunk.file_hash);
        CPPUNIT_ASSERT_EQUAL(chunk.seed, c.seed);
        CPPUNIT_ASSERT_EQUAL(chunk.tag_json, c.tag_json);
        CPPUNIT_ASSERT_EQUAL(kT0 + 60 * kSecond, static_cast<std::int64_t>(c.due_ms));
        const auto first = *test_scheme().gen_challenge(chunk.state);
        CPPUNIT_ASSERT_EQUAL(first->challenge_json, c.challenge_json);

        const auto stored = contracts.find(farmer.id, chunk.file_hash);
        CPPUNIT_ASSERT(stored.has_value());
        CPPUNIT_ASSERT(stored->state == first->state);  // the state after the first challenge
        CPPUNIT_ASSERT(stored->challenge == first->challenge);
        CPPUNIT_ASSERT(!stored->answered);
        CPPUNIT_ASSERT(stored->online);
        CPPUNIT_ASSERT_EQUAL(c.due_ms, stored->expiration_ms);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{60 * kSecond}, stored->interval_ms);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, query_number("SELECT COUNT(*) FROM files WHERE redundancy = 1"
                                                           " AND interval_ms = 60000 AND size = 8192"));
        CPPUNIT_ASSERT(!contracts.find(farmer.id, crypto::sha256("nothing")));
    }

    void schemeValuesAreReadWholeOrNotAtAll() {
        // Contract reads take state and challenges through a 4,096-byte SUBSTRING
        // (store/bounded_blob.h): a value of that length arrives whole, a longer one fails
        // every read of it instead of arriving cut.
        add_pool_chunks(4 * kKiB, 1);
        const auto farmer = make_farmer(test_address(1), "10.0.0.1");
        store::ContractRepository contracts(test_database(), test_scheme());
        const auto issued = contracts.issue_from_pool(request(farmer.id, kMiB), kT0);
        const std::string hash = (*issued)[0].file_hash;
        execute_sql("UPDATE contracts SET state = REPEAT('s', 4096), challenge = REPEAT('c', 4095),"
                    " challenge_json = REPEAT('j', 4096)");
        const auto whole = contracts.find(farmer.id, hash);
        CPPUNIT_ASSERT_EQUAL(std::string(4096, 's'), whole->state);
        CPPUNIT_ASSERT_EQUAL(std::string(4095, 'c'), whole->challenge);
        CPPUNIT_ASSERT_EQUAL(std::string(4096, 'j'), whole->challenge_json);
        CPPUNIT_ASSERT_EQUAL(std::string(4096, 's'), contracts.find_many(farmer.id, {hash}).at(0).state);

        for (const char* column : {"state", "challenge", "challenge_json"}) {
            execute_sql("UPDATE contracts SET state = 's', challenge = 'c', challenge_json = 'j'");
            execute_sql(std::string("UPDATE contracts SET ") + column + " = REPEAT('x', 4097)");
            CPPUNIT_ASSERT_THROW(contracts.find(farmer.id, hash), std::runtime_error);
            CPPUNIT_ASSERT_THROW(contracts.find_many(farmer.id, {hash}), std::runtime_error);
            CPPUNIT_ASSERT_THROW(contracts.find_for_token(farmer.id), std::runtime_error);
            CPPUNIT_ASSERT_THROW(answer_one(contracts, farmer, *whole, {whole->id, whole->due_ms}, kT0),
                                 std::runtime_error);
        }
        // The refused answer changed nothing.
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, query_number("SELECT heartbeats FROM tokens"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, query_number("SELECT answered FROM contracts"));
    }

    void refusesUnknownTokenAndRemovedAddress() {
        add_pool_chunks(4 * kKiB, 2);
        store::ContractRepository contracts(test_database(), test_scheme());
        auto unknown = contracts.issue_from_pool(request(424242, kMiB), kT0);
        CPPUNIT_ASSERT(!unknown.ok());
        CPPUNIT_ASSERT_EQUAL(std::string("token not found"), unknown.error().message);
        const auto farmer = make_farmer(test_address(1), "10.0.0.1");
        execute_sql("DELETE FROM addresses");
        auto removed = contracts.issue_from_pool(request(farmer.id, kMiB), kT0);
        CPPUNIT_ASSERT(!removed.ok());
        CPPUNIT_ASSERT(removed.error().message.find("no longer on the whitelist") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, store::ChunkPoolRepository(test_database()).count_all());
    }

    void hugeTagsArriveIntact() {
        // A Swizzle tag of a 32 MiB chunk is about 3.4 MB: read back in several pieces.
        const node::ChunkGenerator generator(test_scheme());
        node::GenerationTime time;
        auto chunk = generator.generate(4 * kKiB, time);
        std::mt19937 random(7);
        chunk.tag_json = "{\"sigma\":\"";
        while (chunk.tag_json.size() < 3500000) chunk.tag_json += static_cast<char>('A' + random() % 26);
        chunk.tag_json += "\"}";
        store::ChunkPoolRepository(test_database()).insert(test_pool_key(), {chunk}, 1);
        const auto farmer = make_farmer(test_address(1), "10.0.0.1");
        store::ContractRepository contracts(test_database(), test_scheme());
        auto issued = contracts.issue_from_pool(request(farmer.id, kMiB), kT0);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, issued->size());
        CPPUNIT_ASSERT_EQUAL(chunk.tag_json.size(), (*issued)[0].tag_json.size());
        CPPUNIT_ASSERT(chunk.tag_json == (*issued)[0].tag_json);
    }

    void racingDrawsNeverShareAChunk() {
        constexpr int kChunks = 240;
        add_pool_chunks(4 * kKiB, kChunks);
        std::vector<store::TokenRecord> farmers;
        for (int i = 0; i < 8; ++i) farmers.push_back(make_farmer(test_address(i), "10.0.1." + std::to_string(i)));
        std::mutex mutex;
        std::vector<std::string> hashes;
        run_in_threads(8, [&](int i) {
                store::ContractRepository contracts(test_database(), test_scheme());
                for (;;) {
                    auto issued = contracts.issue_from_pool(request(farmers[i].id, 3 * 4 * kKiB, 3), kT0);
                    CPPUNIT_ASSERT(issued.ok());
                    if (issued->empty()) break;
                    std::lock_guard<std::mutex> lock(mutex);
                    for (const auto& c : *issued) hashes.push_back(c.file_hash);
                }
            });
        const std::set<std::string> distinct(hashes.begin(), hashes.end());
        CPPUNIT_ASSERT_EQUAL(std::size_t{kChunks}, hashes.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t{kChunks}, distinct.size());
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, store::ChunkPoolRepository(test_database()).count_all());
        CPPUNIT_ASSERT_EQUAL(std::int64_t{kChunks}, query_number("SELECT COUNT(*) FROM contracts"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{kChunks}, query_number("SELECT COUNT(DISTINCT file_id) FROM contracts"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{kChunks}, query_number("SELECT SUM(contracts_online) FROM tokens"));
    }

    void racingDrawsForOneAddressKeepItsLimit() {
        add_pool_chunks(4 * kKiB, 100);
        const std::string address = test_address(1);
        std::vector<store::TokenRecord> farmers;
        for (int i = 0; i < 8; ++i) farmers.push_back(make_farmer(address, "10.0.2." + std::to_string(i)));
        const std::int64_t cap = 10 * 4 * kKiB;
        run_in_threads(8, [&](int i) {
            store::ContractRepository contracts(test_database(), test_scheme());
            for (int round = 0; round < 3; ++round)
                CPPUNIT_ASSERT(contracts.issue_from_pool(request(farmers[i].id, 3 * 4 * kKiB, 10, cap), kT0).ok());
        });
        CPPUNIT_ASSERT_EQUAL(cap, query_number("SELECT SUM(size) FROM contracts"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{90}, store::ChunkPoolRepository(test_database()).count_all());
    }

    void racingAnswersCountOnce() {
        add_pool_chunks(4 * kKiB, 1);
        const auto farmer = make_farmer(test_address(1), "10.0.0.1");
        store::ContractRepository contracts(test_database(), test_scheme());
        const auto issued = contracts.issue_from_pool(request(farmer.id, kMiB), kT0);
        const auto contract = contracts.find(farmer.id, (*issued)[0].file_hash);
        std::atomic<int> accepted{0}, duplicates{0};
        run_in_threads(8, [&](int) {
            store::ContractRepository mine(test_database(), test_scheme());
            const auto outcome = accept_one(mine, farmer, *contract, kT0 + 10 * kSecond);
            if (outcome == store::AnswerOutcome::Accepted) ++accepted;
            if (outcome == store::AnswerOutcome::AlreadyAnswered) ++duplicates;
        });
        CPPUNIT_ASSERT_EQUAL(1, accepted.load());
        CPPUNIT_ASSERT_EQUAL(7, duplicates.load());
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, reload(farmer).heartbeats);
        const auto after = contracts.find(farmer.id, (*issued)[0].file_hash);
        CPPUNIT_ASSERT(after->answered);
        CPPUNIT_ASSERT_EQUAL(contract->due_ms + 60 * kSecond, after->expiration_ms);
    }

    // answer from many threads on one repository: the calls are written in shared
    // transactions (group commit), yet each farmer's claims get their own outcomes and only
    // their own contracts are touched.
    void groupWrittenAnswersOfManyFarmers() {
        constexpr int kFarmers = 8, kEach = 3;
        add_pool_chunks(4 * kKiB, kFarmers * kEach);
        store::ContractRepository contracts(test_database(), test_scheme());
        std::vector<store::TokenRecord> farmers;
        std::vector<std::vector<store::ContractRecord>> held(kFarmers);
        for (int f = 0; f < kFarmers; ++f) {
            farmers.push_back(make_farmer(test_address(f + 1), "10.0.3." + std::to_string(f)));
            const auto issued = contracts.issue_from_pool(request(farmers[f].id, kEach * 4 * kKiB), kT0);
            CPPUNIT_ASSERT_EQUAL(std::size_t{kEach}, issued->size());
            for (const auto& c : *issued) held[f].push_back(*contracts.find(farmers[f].id, c.file_hash));
        }
        const UnixMillis at = kT0 + 10 * kSecond;
        std::vector<std::vector<store::AnswerOutcome>> outcomes(kFarmers), again(kFarmers);
        std::vector<std::vector<store::ContractRecord>> seen(kFarmers);
        run_in_threads(kFarmers, [&](int f) {
            std::vector<store::AnswerClaim> claims;
            std::vector<std::string> hashes;
            for (const auto& c : held[f]) {
                claims.push_back({c.id, c.due_ms});
                hashes.push_back(c.file_hash);
            }
            claims.push_back({held[f][0].id, held[f][0].due_ms});  // a duplicate in the batch
            const auto& other = held[(f + 1) % kFarmers][0];
            claims.push_back({other.id, other.due_ms});  // another farmer's contract
            hashes.push_back(other.file_hash);  // ... which is not among this farmer's rows
            outcomes[f] = *answer_claims(contracts, farmers[f].token_hash, hashes, claims, at, &seen[f]);
            again[f] = *answer_claims(contracts, farmers[f].token_hash, hashes,
                                      {claims.begin(), claims.begin() + kEach}, at);
        });
        using O = store::AnswerOutcome;
        for (int f = 0; f < kFarmers; ++f) {
            CPPUNIT_ASSERT(outcomes[f] == (std::vector<O>{O::Accepted, O::Accepted, O::Accepted,
                                                          O::AlreadyAnswered, O::NotFound}));
            CPPUNIT_ASSERT(again[f] == std::vector<O>(kEach, O::AlreadyAnswered));
            // The decision saw the farmer's own contracts only, each once, as issued.
            CPPUNIT_ASSERT_EQUAL(std::size_t{kEach}, seen[f].size());
            for (const auto& c : seen[f]) {
                CPPUNIT_ASSERT_EQUAL(farmers[f].id, c.token_id);
                CPPUNIT_ASSERT(!c.answered);
            }
            const auto farmer = reload(farmers[f]);
            CPPUNIT_ASSERT_EQUAL(std::int64_t{kEach}, farmer.heartbeats);
            CPPUNIT_ASSERT_EQUAL(std::int64_t{kEach}, farmer.contracts_online);
            CPPUNIT_ASSERT_EQUAL(held[f][0].due_ms + 60 * kSecond,
                                 static_cast<std::int64_t>(farmer.online.end()));
            for (const auto& c : held[f]) {
                const auto after = contracts.find(farmers[f].id, c.file_hash);
                CPPUNIT_ASSERT(after->answered);
                CPPUNIT_ASSERT_EQUAL(c.due_ms + 60 * kSecond, after->expiration_ms);
            }
        }
        CPPUNIT_ASSERT_EQUAL(std::int64_t{kFarmers * kEach},
                             query_number("SELECT COUNT(*) FROM contracts WHERE answered = 1"));
    }

    // What the decision is shown: the farmer's contracts among the hashes, whole and current;
    // an unknown token is told apart from a farmer with none of the contracts.
    void answerShowsTheFarmersRows() {
        add_pool_chunks(4 * kKiB, 3);
        const auto farmer = make_farmer(test_address(1), "10.0.0.1");
        const auto other = make_farmer(test_address(2), "10.0.0.2");
        store::ContractRepository contracts(test_database(), test_scheme());
        const auto issued = *contracts.issue_from_pool(request(farmer.id, 2 * 4 * kKiB), kT0);
        const auto theirs = *contracts.issue_from_pool(request(other.id, 4 * kKiB), kT0);
        const std::vector<std::string> wanted{issued[0].file_hash, issued[1].file_hash,
                                              theirs[0].file_hash, std::string(32, 'x')};
        std::vector<store::ContractRecord> seen;
        CPPUNIT_ASSERT(answer_claims(contracts, farmer.token_hash, wanted, {}, kT0, &seen)->empty());
        const auto by_id = contracts.find_many(farmer.id, wanted);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, seen.size());
        CPPUNIT_ASSERT_EQUAL(by_id.size(), seen.size());
        for (const auto& c : seen) {
            const auto& same = c.id == by_id[0].id ? by_id[0] : by_id[1];
            CPPUNIT_ASSERT_EQUAL(same.id, c.id);
            CPPUNIT_ASSERT_EQUAL(farmer.id, c.token_id);
            CPPUNIT_ASSERT_EQUAL(same.file_id, c.file_id);
            CPPUNIT_ASSERT(same.file_hash == c.file_hash);
            CPPUNIT_ASSERT_EQUAL(same.size, c.size);
            CPPUNIT_ASSERT(same.state == c.state && !c.state.empty());
            CPPUNIT_ASSERT(same.challenge == c.challenge && !c.challenge.empty());
            CPPUNIT_ASSERT(same.challenge_json == c.challenge_json);
            CPPUNIT_ASSERT_EQUAL(same.due_ms, c.due_ms);
            CPPUNIT_ASSERT_EQUAL(same.expiration_ms, c.expiration_ms);
            CPPUNIT_ASSERT_EQUAL(same.interval_ms, c.interval_ms);
            CPPUNIT_ASSERT(c.online && !c.answered);
            CPPUNIT_ASSERT_EQUAL(same.created_ms, c.created_ms);
        }
        // A known farmer holding none of them: shown nothing, told no error.
        const auto none = answer_claims(contracts, other.token_hash, {issued[0].file_hash}, {}, kT0, &seen);
        CPPUNIT_ASSERT(none && none->empty());
        CPPUNIT_ASSERT(seen.empty());
        // An unknown token: nullopt, and the decision is never asked.
        bool asked = false;
        const store::AnswerDecision decide = [&](const std::vector<store::ContractRecord>&) {
            asked = true;
            return std::vector<store::AnswerClaim>{};
        };
        CPPUNIT_ASSERT(!contracts.answer(std::string(32, 'y'), wanted, decide, kT0));
        CPPUNIT_ASSERT(!asked);
        // A token removed after this repository remembered its id: unknown as well.
        CPPUNIT_ASSERT(store::TokenRepository(test_database()).remove(other.token_hash, kT0));
        CPPUNIT_ASSERT(!contracts.answer(other.token_hash, wanted, decide, kT0));
        // What the decision throws reaches its caller, and nothing was counted.
        const store::AnswerDecision fails = [&](const std::vector<store::ContractRecord>&) -> std::vector<store::AnswerClaim> {
            throw std::runtime_error("decision failed");
        };
        CPPUNIT_ASSERT_THROW(contracts.answer(farmer.token_hash, wanted, fails, kT0), std::runtime_error);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, reload(farmer).heartbeats);
    }

    void answerOutcomes() {
        add_pool_chunks(4 * kKiB, 2);
        const auto farmer = make_farmer(test_address(1), "10.0.0.1");
        store::ContractRepository contracts(test_database(), test_scheme());
        const auto issued = *contracts.issue_from_pool(request(farmer.id, 2 * 4 * kKiB), kT0);
        const auto a = *contracts.find(farmer.id, issued[0].file_hash);
        const auto b = *contracts.find(farmer.id, issued[1].file_hash);
        // A claim for a contract that was not read (b's id, with only a read) is not found.
        CPPUNIT_ASSERT(answer_one(contracts, farmer, a, {b.id, b.due_ms}, kT0) == store::AnswerOutcome::NotFound);
        CPPUNIT_ASSERT(answer_one(contracts, farmer, a, {a.id, a.due_ms - 1}, kT0) == store::AnswerOutcome::ChallengeChanged);
        // At the due time the unanswered contract has expired.
        CPPUNIT_ASSERT(accept_one(contracts, farmer, a, a.due_ms) == store::AnswerOutcome::Expired);
        CPPUNIT_ASSERT(accept_one(contracts, farmer, b, b.due_ms - 1) == store::AnswerOutcome::Accepted);
        CPPUNIT_ASSERT(accept_one(contracts, farmer, b, b.due_ms - 1) == store::AnswerOutcome::AlreadyAnswered);
        // Answered: alive until due + interval, then expired for good.
        CPPUNIT_ASSERT(accept_one(contracts, farmer, b, b.due_ms + 60 * kSecond) == store::AnswerOutcome::Expired);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, reload(farmer).heartbeats);
    }

    // Applies the same events to SQL (through the repository) and to OnlineInterval.
    struct Timeline {
        store::TokenRecord farmer;
        store::OnlineInterval model;
        std::vector<store::ContractRecord> live;

        void issue(std::int64_t at) {
            store::ContractRepository contracts(test_database(), test_scheme());
            const auto issued = contracts.issue_from_pool(request(farmer.id, 4 * kKiB, 1), at);
            CPPUNIT_ASSERT_EQUAL(std::size_t{1}, issued->size());
            live.push_back(*contracts.find(farmer.id, (*issued)[0].file_hash));
            model.issue(at, at + 60 * kSecond);
            check();
        }
        void answer(std::size_t index, std::int64_t at) {
            store::ContractRepository contracts(test_database(), test_scheme());
            const auto& c = live.at(index);
            CPPUNIT_ASSERT(accept_one(contracts, farmer, c, at) == store::AnswerOutcome::Accepted);
            model.extend(c.due_ms + c.interval_ms);
            check();
        }
        void check() const {
            const auto row = reload(farmer);
            CPPUNIT_ASSERT(row.online == model);
            for (std::int64_t now : {kT0 + 1, kT0 + 100 * kSecond, kT0 + 1000 * kSecond})
                CPPUNIT_ASSERT_DOUBLES_EQUAL(model.uptime(now), row.online.uptime(now), 1e-12);
        }
    };

    void summaryAgreesWithOnlineIntervalOnHandTimelines() {
        add_pool_chunks(4 * kKiB, 20);
        // Overlapping contracts: A [0, 60) answered to 120, B [30, 90).
        Timeline overlap{make_farmer(test_address(1), "10.0.0.1"), {}, {}};
        overlap.issue(kT0);
        overlap.issue(kT0 + 30 * kSecond);
        overlap.answer(0, kT0 + 50 * kSecond);
        CPPUNIT_ASSERT_DOUBLES_EQUAL(0.6, reload(overlap.farmer).online.uptime(kT0 + 200 * kSecond), 1e-12);

        // A gap and a return: [0, 60), [100, 160) answered to 220, [500, 560).
        Timeline gap{make_farmer(test_address(2), "10.0.0.2"), {}, {}};
        gap.issue(kT0);
        gap.issue(kT0 + 100 * kSecond);
        gap.answer(1, kT0 + 150 * kSecond);
        gap.issue(kT0 + 500 * kSecond);
        const auto row = reload(gap.farmer);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{180 * kSecond}, static_cast<std::int64_t>(row.online.covered()));
        CPPUNIT_ASSERT_DOUBLES_EQUAL(0.4, row.online.uptime(kT0 + 600 * kSecond), 1e-12);

        // No contracts: 0 %.
        const auto idle = make_farmer(test_address(3), "10.0.0.3");
        CPPUNIT_ASSERT(!reload(idle).online.has_contracts());
        CPPUNIT_ASSERT_EQUAL(0.0, reload(idle).online.uptime(kT0));
    }

    void summaryAgreesWithOnlineIntervalOnRandomTimelines() {
        add_pool_chunks(4 * kKiB, 120);
        std::mt19937 random(12345);
        for (int farmer = 0; farmer < 3; ++farmer) {
            Timeline t{make_farmer(test_address(10 + farmer), "10.0.3." + std::to_string(farmer)), {}, {}};
            std::int64_t now = kT0;
            for (int step = 0; step < 35; ++step) {
                now += (random() % 90) * kSecond + random() % 1000;
                // Answer a live, unanswered contract before its due time, or issue a new one.
                std::vector<std::size_t> answerable;
                for (std::size_t i = 0; i < t.live.size(); ++i)
                    if (!t.live[i].answered && t.live[i].due_ms > now) answerable.push_back(i);
                if (!answerable.empty() && random() % 2 == 0) {
                    const std::size_t i = answerable[random() % answerable.size()];
                    t.answer(i, now);
                    t.live[i].answered = true;
                } else {
                    t.issue(now);
                }
            }
        }
    }

    void sweepTakesExpiredContractsOffline() {
        add_pool_chunks(4 * kKiB, 3);
        const auto farmer = make_farmer(test_address(1), "10.0.0.1");
        store::ContractRepository contracts(test_database(), test_scheme());
        CPPUNIT_ASSERT(contracts.issue_from_pool(request(farmer.id, 2 * 4 * kKiB), kT0).ok());
        CPPUNIT_ASSERT(contracts.issue_from_pool(request(farmer.id, 4 * kKiB), kT0 + 30 * kSecond).ok());
        CPPUNIT_ASSERT_EQUAL(std::size_t{0}, contracts.sweep_expired(kT0 + 59 * kSecond).contracts);
        auto swept = contracts.sweep_expired(kT0 + 60 * kSecond);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, swept.contracts);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, swept.tokens);
        auto row = reload(farmer);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, row.contracts_online);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{4 * kKiB}, row.size_online);
        CPPUNIT_ASSERT_EQUAL(kT0 + 60 * kSecond, static_cast<std::int64_t>(row.changed_ms));
        // Sweeping again changes nothing; small batches still reach everything.
        CPPUNIT_ASSERT_EQUAL(std::size_t{0}, contracts.sweep_expired(kT0 + 60 * kSecond).contracts);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, contracts.sweep_expired(kT0 + 999 * kSecond, 1).contracts);
        row = reload(farmer);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, row.contracts_online);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, row.size_online);
        // The uptime summary is untouched by the sweep: [0, 90) online.
        CPPUNIT_ASSERT_DOUBLES_EQUAL(0.5, row.online.uptime(kT0 + 180 * kSecond), 1e-12);
    }

    void lateAnswerRevivesSweptContract() {
        // A sweep on a host whose clock runs ahead takes the contract offline; an answer that
        // is still in time by the answering host's clock brings it back, counted once.
        add_pool_chunks(4 * kKiB, 1);
        const auto farmer = make_farmer(test_address(1), "10.0.0.1");
        store::ContractRepository contracts(test_database(), test_scheme());
        const auto issued = *contracts.issue_from_pool(request(farmer.id, 4 * kKiB), kT0);
        const auto c = *contracts.find(farmer.id, issued[0].file_hash);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, contracts.sweep_expired(c.due_ms + 500).contracts);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, reload(farmer).contracts_online);
        CPPUNIT_ASSERT(accept_one(contracts, farmer, c, c.due_ms - 500) == store::AnswerOutcome::Accepted);
        const auto row = reload(farmer);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, row.contracts_online);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{4 * kKiB}, row.size_online);
        CPPUNIT_ASSERT(contracts.find(farmer.id, issued[0].file_hash)->online);
    }

    void deleteExpiredRemovesContractsAndFiles() {
        add_pool_chunks(4 * kKiB, 3);
        const auto farmer = make_farmer(test_address(1), "10.0.0.1");
        store::ContractRepository contracts(test_database(), test_scheme());
        CPPUNIT_ASSERT(contracts.issue_from_pool(request(farmer.id, 2 * 4 * kKiB), kT0).ok());
        CPPUNIT_ASSERT(contracts.issue_from_pool(request(farmer.id, 4 * kKiB), kT0 + 100 * kSecond).ok());
        // Not swept yet: nothing is deleted, even if expired.
        CPPUNIT_ASSERT_EQUAL(std::size_t{0}, contracts.delete_expired(kT0 + 1000 * kSecond).contracts);
        contracts.sweep_expired(kT0 + 1000 * kSecond);
        // Keep contracts that expired after the cut-off (kT0 + 100 s).
        const auto deleted = contracts.delete_expired(kT0 + 100 * kSecond, 1);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, deleted.contracts);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, deleted.files);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, contracts.count_all());
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, query_number("SELECT COUNT(*) FROM files"));
        // A file left without contracts by other means is found by the orphan pass.
        execute_sql("DELETE FROM contracts");
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, store::ChunkPoolRepository(test_database()).delete_unreferenced_files());
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, query_number("SELECT COUNT(*) FROM files"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StoreContractTest);
