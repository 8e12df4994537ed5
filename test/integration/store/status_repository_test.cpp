// The status index's queries against a real MariaDB: paging by row id and by change cursor
// (rows sharing a time neither skipped nor repeated), deletions, the sweep lease under racing
// callers, and hand-worked uptime timelines through the whole path the status routes use
// (SQL events, the sweep the index runs, the index's figures at a given time).
#include "integration/store/store_fixture.h"

#include "api/farmer_json.h"
#include "api/status_index.h"
#include "api/status_query.h"
#include "store/contract_repository.h"
#include "store/node_settings_repository.h"
#include "store/status_repository.h"
#include "store/token_repository.h"

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <set>

using namespace downstream;
using namespace downstream::testing;

namespace {

constexpr std::int64_t kSecond = 1000;
constexpr std::int64_t kT0 = 1700000000000;

store::IssueRequest one_chunk(std::int64_t token_id) {
    store::IssueRequest r;
    r.token_id = token_id;
    r.requested_bytes = 4096;
    r.max_chunks = 1;
    r.max_size_per_address = std::int64_t{1} << 40;
    r.interval_ms = 60 * kSecond;
    r.pool = test_pool_key();
    return r;
}

}  // namespace

class StoreStatusTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(StoreStatusTest);
    CPPUNIT_TEST(farmersAfterPagesByRowId);
    CPPUNIT_TEST(changeCursorNeverSkipsEqualTimes);
    CPPUNIT_TEST(deletionsAndWatermarks);
    CPPUNIT_TEST(exactlyOneRacingCallerTakesTheLease);
    CPPUNIT_TEST(sweepRunsOnlyWithTheLease);
    CPPUNIT_TEST(uptimeTimelinesThroughTheIndex);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override { reset_database(); }

    void farmersAfterPagesByRowId() {
        std::set<std::string> made;
        for (int i = 0; i < 7; ++i) made.insert(make_farmer(test_address(i), "10.1.0." + std::to_string(i)).farmer_id);
        store::ContractRepository contracts(test_database(), test_scheme());
        store::StatusRepository status(test_database(), contracts);
        std::set<std::string> seen;
        std::int64_t after = 0;
        int pages = 0;
        for (;;) {
            const auto rows = status.farmers_after(after, 3);
            ++pages;
            for (const auto& r : rows) {
                CPPUNIT_ASSERT(r.id > after);
                CPPUNIT_ASSERT(r.token_hash.empty());
                CPPUNIT_ASSERT(seen.insert(r.farmer_id).second);
                after = r.id;
            }
            if (rows.size() < 3) break;
        }
        CPPUNIT_ASSERT_EQUAL(3, pages);
        CPPUNIT_ASSERT(seen == made);
        // Same values as the token repository reads.
        const auto row = status.farmers_after(0, 1).at(0);
        const auto token = *store::TokenRepository(test_database()).find_by_farmer_id(row.farmer_id);
        CPPUNIT_ASSERT_EQUAL(token.address, row.address);
        CPPUNIT_ASSERT_EQUAL(token.ip, row.ip);
        CPPUNIT_ASSERT(token.location == row.location);
        CPPUNIT_ASSERT(token.online == row.online);
        CPPUNIT_ASSERT_EQUAL(token.changed_ms, row.changed_ms);
    }

    void changeCursorNeverSkipsEqualTimes() {
        for (int i = 0; i < 9; ++i) make_farmer(test_address(i), "10.2.0." + std::to_string(i));
        // Three changes at 500, four at 700 (a sweep stamps many rows alike), two left at 1.
        execute_sql("UPDATE tokens SET changed_ms = 500 WHERE id IN (SELECT id FROM (SELECT id FROM tokens ORDER BY id LIMIT 3) t)");
        execute_sql("UPDATE tokens SET changed_ms = 700 WHERE changed_ms = 1 ORDER BY id DESC LIMIT 4");
        store::ContractRepository contracts(test_database(), test_scheme());
        store::StatusRepository status(test_database(), contracts);
        std::vector<std::pair<std::int64_t, std::int64_t>> order;
        store::FeedCursor cursor{1, std::numeric_limits<std::int64_t>::max()};
        for (;;) {
            const auto rows = status.changed_after(cursor, 2);
            for (const auto& r : rows) order.emplace_back(r.changed_ms, r.id);
            if (rows.size() < 2) break;
            cursor = store::FeedCursor{rows.back().changed_ms, rows.back().id};
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t{7}, order.size());
        CPPUNIT_ASSERT(std::is_sorted(order.begin(), order.end()));
        CPPUNIT_ASSERT(std::adjacent_find(order.begin(), order.end()) == order.end());
        CPPUNIT_ASSERT_EQUAL(std::int64_t{500}, order.front().first);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{700}, order.back().first);
        // From the middle of the 700s: only the rows behind the cursor.
        const auto rest = status.changed_after(store::FeedCursor{700, order[4].second}, 100);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, rest.size());
    }

    void deletionsAndWatermarks() {
        store::ContractRepository contracts(test_database(), test_scheme());
        store::StatusRepository status(test_database(), contracts);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, static_cast<std::int64_t>(status.watermarks().changed_ms));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, static_cast<std::int64_t>(status.watermarks().deleted_ms));
        const auto a = make_farmer(test_address(1), "10.3.0.1");
        const auto b = make_farmer(test_address(2), "10.3.0.2");
        execute_sql("UPDATE tokens SET changed_ms = 3000 WHERE farmer_id = '" + b.farmer_id + "'");
        CPPUNIT_ASSERT_EQUAL(std::int64_t{3000}, static_cast<std::int64_t>(status.watermarks().changed_ms));
        store::TokenRepository tokens(test_database());
        CPPUNIT_ASSERT(tokens.remove(b.token_hash, 4000));
        CPPUNIT_ASSERT(tokens.remove(a.token_hash, 4000));
        const auto marks = status.watermarks();
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, static_cast<std::int64_t>(marks.changed_ms));  // no token left
        CPPUNIT_ASSERT_EQUAL(std::int64_t{4000}, static_cast<std::int64_t>(marks.deleted_ms));
        const auto all = status.deleted_after(store::FeedCursor{3999, 0}, 10);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, all.size());
        CPPUNIT_ASSERT_EQUAL(b.farmer_id, all[0].farmer_id);  // in the order of deletion
        CPPUNIT_ASSERT_EQUAL(a.farmer_id, all[1].farmer_id);
        const auto second = status.deleted_after(store::FeedCursor{4000, all[0].id}, 10);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, second.size());
        CPPUNIT_ASSERT_EQUAL(a.farmer_id, second[0].farmer_id);
        CPPUNIT_ASSERT(status.deleted_after(store::FeedCursor{4000, all[1].id}, 10).empty());
    }

    void exactlyOneRacingCallerTakesTheLease() {
        store::NodeSettingsRepository settings(test_database());
        for (int round = 0; round < 3; ++round) {
            const std::int64_t now = kT0 + round * 1000;
            std::atomic<int> winners{0};
            run_in_threads(6, [&](int i) {
                if (store::NodeSettingsRepository(test_database())
                        .try_take_lease(store::kStatusSweepLease, "w" + std::to_string(i), now, 1000))
                    ++winners;
            });
            CPPUNIT_ASSERT_EQUAL(1, winners.load());
            // Within the period nobody else gets it.
            CPPUNIT_ASSERT(!settings.try_take_lease(store::kStatusSweepLease, "late", now + 999, 1000));
        }
        CPPUNIT_ASSERT(settings.get(store::kStatusSweepLease).value().rfind("w", 0) == 0);
    }

    void sweepRunsOnlyWithTheLease() {
        add_pool_chunks(4096, 2);
        const auto farmer = make_farmer(test_address(1), "10.4.0.1");
        store::ContractRepository contracts(test_database(), test_scheme());
        store::StatusRepository status(test_database(), contracts);
        CPPUNIT_ASSERT(contracts.issue_from_pool(one_chunk(farmer.id), kT0).ok());
        CPPUNIT_ASSERT(contracts.issue_from_pool(one_chunk(farmer.id), kT0 + 10 * kSecond).ok());
        auto report = status.sweep_if_due(kT0 + 65 * kSecond, 1000, "a");
        CPPUNIT_ASSERT(report);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, report->contracts);
        // Another worker 0.5 s later: the lease is taken, nothing swept.
        CPPUNIT_ASSERT(!status.sweep_if_due(kT0 + 75 * kSecond - 9500, 1000, "b"));
        report = status.sweep_if_due(kT0 + 75 * kSecond, 1000, "b");
        CPPUNIT_ASSERT(report);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, report->contracts);
        const auto row = *store::TokenRepository(test_database()).find_by_farmer_id(farmer.farmer_id);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, row.contracts_online);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, row.size_online);
    }

    // Contract interval 60 s; every figure below is worked out by hand.
    void uptimeTimelinesThroughTheIndex() {
        add_pool_chunks(4096, 10);
        store::ContractRepository contracts(test_database(), test_scheme());
        store::StatusRepository status(test_database(), contracts);
        ManualClock clock(kT0);
        api::StatusIndexOptions options;
        options.change_margin_ms = 3600 * kSecond;  // the test moves time in big steps
        api::StatusIndex index(status, clock, "k", options);

        const auto overlap = make_farmer(test_address(1), "10.5.0.1");
        const auto returns = make_farmer(test_address(2), "10.5.0.2");
        const auto idle = make_farmer(test_address(3), "10.5.0.3");
        // overlap: A issued at 0 (due 60), B at 30 (due 90); A answered at 50 -> alive to 120.
        CPPUNIT_ASSERT(contracts.issue_from_pool(one_chunk(overlap.id), kT0).ok());
        // returns: online [0, 60), gone, back at 100 with [100, 160).
        CPPUNIT_ASSERT(contracts.issue_from_pool(one_chunk(returns.id), kT0).ok());
        CPPUNIT_ASSERT(contracts.issue_from_pool(one_chunk(overlap.id), kT0 + 30 * kSecond).ok());
        const auto a = contracts.find_for_token(overlap.id).at(0);
        CPPUNIT_ASSERT(answer_one(contracts, overlap, a, {a.id, a.due_ms}, kT0 + 50 * kSecond) == store::AnswerOutcome::Accepted);

        auto figures = [&](const store::TokenRecord& farmer) {
            auto s = index.snapshot();
            const auto* e = s->find(farmer.farmer_id);
            CPPUNIT_ASSERT(e);
            return api::farmer_figures(e->online(), e->contracts_online, e->size_online, clock.now_ms());
        };
        // At 70 s: returns went offline at 60 (its only contract expired; the index's sweep
        // takes it out of the counters); overlap holds both contracts.
        clock.set(kT0 + 70 * kSecond);
        auto f = figures(returns);
        CPPUNIT_ASSERT(!f.online);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, f.contracts);
        CPPUNIT_ASSERT_DOUBLES_EQUAL(85.71, f.uptime, 1e-9);  // 60 of 70 s
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0},
                             store::TokenRepository(test_database()).find_by_farmer_id(returns.farmer_id)->contracts_online);
        f = figures(overlap);
        CPPUNIT_ASSERT(f.online);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, f.contracts);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{8192}, f.size);
        CPPUNIT_ASSERT_DOUBLES_EQUAL(100.0, f.uptime, 1e-9);
        CPPUNIT_ASSERT_EQUAL(0.0, figures(idle).uptime);

        // At 100 s: returns comes back; B of overlap expired at 90 (unanswered).
        CPPUNIT_ASSERT(contracts.issue_from_pool(one_chunk(returns.id), kT0 + 100 * kSecond).ok());
        clock.set(kT0 + 101 * kSecond);
        f = figures(overlap);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, f.contracts);
        f = figures(returns);
        CPPUNIT_ASSERT(f.online);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, f.contracts);
        CPPUNIT_ASSERT_DOUBLES_EQUAL(60.4, f.uptime, 1e-9);  // 60 + 1 of 101 s = 60.396 %

        // At 200 s: overlap was online [0, 120): 60 %; returns [0, 60) + [100, 160): 60 %.
        clock.set(kT0 + 200 * kSecond);
        f = figures(overlap);
        CPPUNIT_ASSERT(!f.online);
        CPPUNIT_ASSERT_DOUBLES_EQUAL(60.0, f.uptime, 1e-9);
        f = figures(returns);
        CPPUNIT_ASSERT(!f.online);
        CPPUNIT_ASSERT_DOUBLES_EQUAL(60.0, f.uptime, 1e-9);
        const auto row = *store::TokenRepository(test_database()).find_by_farmer_id(overlap.farmer_id);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, row.contracts_online);  // swept
        CPPUNIT_ASSERT_EQUAL(0.0, figures(idle).uptime);

        // The list the routes would serve, at 200 s by uptime descending: 60 %, 60 % (ties by
        // id), then the idle farmer.
        api::ListQuery q;
        q.key = api::SortKey::Uptime;
        q.descending = true;
        auto s = index.snapshot();
        const auto rows = api::select_farmers(*s, q, clock.now_ms());
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, rows.size());
        const std::string first(s->farmers[rows[0]].farmer_id());
        const std::string second(s->farmers[rows[1]].farmer_id());
        CPPUNIT_ASSERT_EQUAL(std::min(overlap.farmer_id, returns.farmer_id), first);
        CPPUNIT_ASSERT_EQUAL(std::max(overlap.farmer_id, returns.farmer_id), second);
        CPPUNIT_ASSERT_EQUAL(idle.farmer_id, std::string(s->farmers[rows[2]].farmer_id()));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StoreStatusTest);
