// The whitelist and tokens against a real MariaDB: replacement with cascades, the per-IP
// limit under concurrency, IP moves, revocation and the delta feeds of a status cache.
#include "integration/store/store_fixture.h"

#include "crypto/sha256.h"
#include "encoding/hex.h"
#include "store/address_repository.h"
#include "store/contract_repository.h"
#include "store/database.h"
#include "store/database_error.h"
#include "store/token_repository.h"

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <thread>

using namespace downstream;
using namespace downstream::testing;

namespace {

store::NewToken new_token(const std::string& address, const std::string& ip, int n) {
    store::NewToken t;
    t.token_hash = crypto::sha256("raw token " + std::to_string(n));
    t.farmer_id = encoding::hex_encode(t.token_hash).substr(0, 20);
    t.address = address;
    t.ip = ip;
    return t;
}

store::IssueRequest request(std::int64_t token_id, std::int64_t bytes) {
    store::IssueRequest r;
    r.token_id = token_id;
    r.requested_bytes = bytes;
    r.max_chunks = 10;
    r.max_size_per_address = std::int64_t{1} << 40;
    r.interval_ms = 60000;
    r.pool = test_pool_key();
    return r;
}

}  // namespace

class StoreAddressTokenTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(StoreAddressTokenTest);
    CPPUNIT_TEST(replaceAddsUpdatesAndRemovesWithTokens);
    CPPUNIT_TEST(addKeepsExistingBalance);
    CPPUNIT_TEST(createChecksWhitelistAndBalance);
    CPPUNIT_TEST(refusedCreateChangesNothingInEitherFrame);
    CPPUNIT_TEST(perIpLimitHoldsUnderConcurrency);
    CPPUNIT_TEST(moveToIpRespectsLimitAndMovesCounters);
    CPPUNIT_TEST(removeDeletesContractsFilesAndLeavesTombstone);
    CPPUNIT_TEST(changedSinceFeedsAStatusCache);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override { reset_database(); }

    void replaceAddsUpdatesAndRemovesWithTokens() {
        store::AddressRepository addresses(test_database());
        const std::string a = test_address(1), b = test_address(2), c = test_address(3);
        auto first = addresses.replace({{a, 100}, {b, 200}}, 1000);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, first.added);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, addresses.count());

        // b holds a token with a contract; it will leave the list.
        const auto farmer = make_farmer(b, "10.1.1.1");
        add_pool_chunks(4096, 2);
        store::ContractRepository contracts(test_database(), test_scheme());
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, contracts.issue_from_pool(request(farmer.id, 8192), 5000)->size());

        auto second = addresses.replace({{a, 150}, {c, 300}}, 2000);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, second.added);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, second.updated);
        CPPUNIT_ASSERT_EQUAL(std::size_t{0}, second.unchanged);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, second.removed);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, second.tokens_removed);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, second.contracts_removed);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{150}, addresses.find(a)->balance);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2000}, static_cast<std::int64_t>(addresses.find(a)->changed_ms));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1000}, static_cast<std::int64_t>(addresses.find(a)->created_ms));
        CPPUNIT_ASSERT(!addresses.find(b));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, query_number("SELECT COUNT(*) FROM tokens"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, query_number("SELECT COUNT(*) FROM contracts"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, query_number("SELECT COUNT(*) FROM files"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, query_number("SELECT tokens FROM ip_token_counts WHERE ip = '10.1.1.1'"));

        // The same list again changes nothing, not even changed_ms.
        auto third = addresses.replace({{a, 150}, {c, 300}}, 3000);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, third.unchanged);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2000}, static_cast<std::int64_t>(addresses.find(a)->changed_ms));
    }

    void addKeepsExistingBalance() {
        store::AddressRepository addresses(test_database());
        CPPUNIT_ASSERT(addresses.add({test_address(1), 10000}, 1));
        CPPUNIT_ASSERT(!addresses.add({test_address(1), 5}, 2));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{10000}, addresses.find(test_address(1))->balance);
    }

    void createChecksWhitelistAndBalance() {
        store::AddressRepository addresses(test_database());
        store::TokenRepository tokens(test_database());
        addresses.add({test_address(1), 500}, 1);
        const store::TokenLimits limits{5, 1000};
        auto unknown = tokens.create(new_token(test_address(9), "10.0.0.1", 1), limits, 1);
        CPPUNIT_ASSERT(!unknown.ok());
        CPPUNIT_ASSERT(unknown.error().message.find("not on the whitelist") != std::string::npos);
        auto poor = tokens.create(new_token(test_address(1), "10.0.0.1", 2), limits, 1);
        CPPUNIT_ASSERT(!poor.ok());
        CPPUNIT_ASSERT(poor.error().message.find("below the minimum of 1000") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, tokens.tokens_for_ip("10.0.0.1"));

        store::NewToken t = new_token(test_address(1), "10.0.0.1", 3);
        t.location.city = "Zürich";
        t.location.lat = 47.37;
        auto ok = tokens.create(t, store::TokenLimits{5, 500}, 1234);
        CPPUNIT_ASSERT_MESSAGE(ok ? "" : ok.error().message, ok.ok());
        CPPUNIT_ASSERT_EQUAL(t.farmer_id, ok->farmer_id);
        CPPUNIT_ASSERT(ok->token_hash == t.token_hash);
        CPPUNIT_ASSERT(ok->location == t.location);
        CPPUNIT_ASSERT(!ok->location.country);
        CPPUNIT_ASSERT(!ok->online.has_contracts());
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1234}, static_cast<std::int64_t>(ok->created_ms));
        auto found = tokens.find_by_farmer_id(t.farmer_id);
        CPPUNIT_ASSERT(found && found->id == ok->id);
        CPPUNIT_ASSERT_EQUAL(std::string("Zürich"), *found->location.city);
        // create() builds its record without reading the row back: it must be the row.
        CPPUNIT_ASSERT(found->location == ok->location);
        CPPUNIT_ASSERT_EQUAL(found->address, ok->address);
        CPPUNIT_ASSERT_EQUAL(found->ip, ok->ip);
        CPPUNIT_ASSERT_EQUAL(found->created_ms, ok->created_ms);
        CPPUNIT_ASSERT_EQUAL(found->changed_ms, ok->changed_ms);
        CPPUNIT_ASSERT_EQUAL(found->heartbeats, ok->heartbeats);
        CPPUNIT_ASSERT_EQUAL(found->contracts_online, ok->contracts_online);
        CPPUNIT_ASSERT_EQUAL(found->size_online, ok->size_online);
        CPPUNIT_ASSERT(found->last_due_ms == ok->last_due_ms);
        CPPUNIT_ASSERT(found->online.first_contract() == ok->online.first_contract());
        CPPUNIT_ASSERT_EQUAL(found->online.online_ms(5000), ok->online.online_ms(5000));
        CPPUNIT_ASSERT(!tokens.find_by_hash(crypto::sha256("other")));
    }

    // In the plain frame of a single server and in the guarded frame of a Galera member
    // (forced here), a refusal leaves the address's lock version, the IP's counter and the
    // tokens as they were.
    void refusedCreateChangesNothingInEitherFrame() {
        store::DatabaseOptions guarded_options;
        guarded_options.guard_transactions = true;
        store::Database guarded(test_db_settings(), guarded_options);
        int n = 0;
        for (store::Database* db : {&test_database(), &guarded}) {
            reset_database();
            store::TokenRepository tokens(*db);
            store::AddressRepository(test_database()).add({test_address(1), 500}, 1);
            const auto lock_version = [] {
                return query_number("SELECT lock_version FROM addresses");
            };
            auto poor = tokens.create(new_token(test_address(1), "10.0.0.1", ++n),
                                      store::TokenLimits{1, 501}, 1);
            CPPUNIT_ASSERT(!poor.ok());
            CPPUNIT_ASSERT_EQUAL(std::string("address ") + test_address(1) +
                                     " has a balance of 500, below the minimum of 501",
                                 poor.error().message);
            CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, lock_version());

            const int first_n = ++n;
            auto first = tokens.create(new_token(test_address(1), "10.0.0.1", first_n),
                                       store::TokenLimits{1, 500}, 1);
            CPPUNIT_ASSERT_MESSAGE(first ? "" : first.error().message, first.ok());
            CPPUNIT_ASSERT_EQUAL(first->id, tokens.find_by_farmer_id(first->farmer_id)->id);
            CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, lock_version());

            auto full = tokens.create(new_token(test_address(1), "10.0.0.1", ++n),
                                      store::TokenLimits{1, 500}, 1);
            CPPUNIT_ASSERT(!full.ok());
            CPPUNIT_ASSERT_EQUAL(std::string("this IP address already holds the maximum of 1 tokens"),
                                 full.error().message);
            CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, lock_version());
            CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, tokens.tokens_for_ip("10.0.0.1"));
            CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, query_number("SELECT COUNT(*) FROM tokens"));

            // A second token of the same hash is an error of the database, not a refusal,
            // and leaves no transaction open behind it.
            CPPUNIT_ASSERT_THROW(tokens.create(new_token(test_address(1), "10.0.0.2", first_n),
                                               store::TokenLimits{5, 500}, 1),
                                 store::DatabaseError);
            CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, tokens.tokens_for_ip("10.0.0.2"));
            CPPUNIT_ASSERT(tokens.create(new_token(test_address(1), "10.0.0.2", ++n),
                                         store::TokenLimits{5, 500}, 1).ok());
        }
    }

    void perIpLimitHoldsUnderConcurrency() {
        store::AddressRepository(test_database()).add({test_address(1), 100000}, 1);
        std::atomic<int> created{0}, refused{0};
        run_in_threads(16, [&](int i) {
            store::TokenRepository tokens(test_database());
            auto r = tokens.create(new_token(test_address(1), "192.0.2.7", 100 + i),
                                   store::TokenLimits{5, 0}, 1);
            (r.ok() ? created : refused)++;
            if (!r.ok())
                CPPUNIT_ASSERT(r.error().message.find("maximum of 5 tokens") != std::string::npos);
        });
        CPPUNIT_ASSERT_EQUAL(5, created.load());
        CPPUNIT_ASSERT_EQUAL(11, refused.load());
        CPPUNIT_ASSERT_EQUAL(std::int64_t{5}, query_number("SELECT COUNT(*) FROM tokens WHERE ip = '192.0.2.7'"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{5}, store::TokenRepository(test_database()).tokens_for_ip("192.0.2.7"));
    }

    void moveToIpRespectsLimitAndMovesCounters() {
        store::TokenRepository tokens(test_database());
        const auto a = make_farmer(test_address(1), "10.0.0.1");
        const auto b = make_farmer(test_address(2), "10.0.0.2");
        store::Location where;
        where.country = "Iceland";
        CPPUNIT_ASSERT(tokens.move_to_ip(a.id, "10.0.0.2", where, 1, 50) == store::MoveOutcome::TooManyTokens);
        CPPUNIT_ASSERT_EQUAL(std::string("10.0.0.1"), tokens.find_by_hash(a.token_hash)->ip);
        CPPUNIT_ASSERT(tokens.move_to_ip(a.id, "10.0.0.2", where, 2, 50) == store::MoveOutcome::Moved);
        const auto moved = tokens.find_by_hash(a.token_hash);
        CPPUNIT_ASSERT_EQUAL(std::string("10.0.0.2"), moved->ip);
        CPPUNIT_ASSERT_EQUAL(std::string("Iceland"), *moved->location.country);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{50}, static_cast<std::int64_t>(moved->changed_ms));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, tokens.tokens_for_ip("10.0.0.1"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, tokens.tokens_for_ip("10.0.0.2"));
        CPPUNIT_ASSERT(tokens.move_to_ip(a.id, "10.0.0.2", where, 2, 60) == store::MoveOutcome::Unchanged);
        CPPUNIT_ASSERT(tokens.move_to_ip(999999, "10.0.0.3", where, 2, 60) == store::MoveOutcome::NotFound);
        (void)b;
    }

    void removeDeletesContractsFilesAndLeavesTombstone() {
        store::TokenRepository tokens(test_database());
        const auto keep = make_farmer(test_address(1), "10.0.0.1");
        const auto gone = make_farmer(test_address(2), "10.0.0.1");
        add_pool_chunks(4096, 4);
        store::ContractRepository contracts(test_database(), test_scheme());
        CPPUNIT_ASSERT(contracts.issue_from_pool(request(keep.id, 8192), 10).ok());
        CPPUNIT_ASSERT(contracts.issue_from_pool(request(gone.id, 8192), 10).ok());
        CPPUNIT_ASSERT_EQUAL(std::int64_t{4}, contracts.count_all());

        CPPUNIT_ASSERT(tokens.remove(gone.token_hash, 777));
        CPPUNIT_ASSERT(!tokens.remove(gone.token_hash, 778));
        CPPUNIT_ASSERT(!tokens.find_by_hash(gone.token_hash));
        CPPUNIT_ASSERT(tokens.find_by_hash(keep.token_hash));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, contracts.count_all());
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, query_number("SELECT COUNT(*) FROM files"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, tokens.tokens_for_ip("10.0.0.1"));
        const auto deleted = tokens.deleted_since(0, 10);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, deleted.size());
        CPPUNIT_ASSERT_EQUAL(gone.farmer_id, deleted[0].first);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{777}, static_cast<std::int64_t>(deleted[0].second));
        // Housekeeping forgets old tombstones and empty IP counters.
        execute_sql("INSERT INTO ip_token_counts VALUES ('10.9.9.9', 0)");
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, tokens.forget_old_deletions(1000));
        CPPUNIT_ASSERT(tokens.deleted_since(0, 10).empty());
    }

    void changedSinceFeedsAStatusCache() {
        store::TokenRepository tokens(test_database());
        const auto a = make_farmer(test_address(1), "10.0.0.1");  // changed_ms 1
        const auto b = make_farmer(test_address(2), "10.0.0.2");
        add_pool_chunks(4096, 1);
        store::ContractRepository contracts(test_database(), test_scheme());
        CPPUNIT_ASSERT(contracts.issue_from_pool(request(b.id, 4096), 5000).ok());  // b changes at 5000
        auto all = tokens.changed_since(0, 10);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, all.size());
        CPPUNIT_ASSERT_EQUAL(a.id, all[0].id);
        CPPUNIT_ASSERT_EQUAL(b.id, all[1].id);
        auto later = tokens.changed_since(1, 10);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, later.size());
        CPPUNIT_ASSERT_EQUAL(b.id, later[0].id);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, later[0].contracts_online);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{4096}, later[0].size_online);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, tokens.changed_since(0, 1).size());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StoreAddressTokenTest);
