#include "api/status_index.h"

#include "api/fake_status_store.h"
#include "api/status_farmers.h"

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <thread>

using namespace downstream;
using testing::farmer_row;
using testing::FakeStatusStore;
using testing::kNow;

namespace {

store::TokenRecord simple(const std::string& id, std::int64_t heartbeats, std::int64_t changed) {
    return farmer_row(id, "1Addr", heartbeats, -1, 0, 0, 0, 0, 0, {}, changed);
}

}  // namespace

class StatusIndexTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(StatusIndexTest);
    CPPUNIT_TEST(firstReaderLoadsInPages);
    CPPUNIT_TEST(refreshesAtMostOncePerInterval);
    CPPUNIT_TEST(deltasCarryChangesAndDeletions);
    CPPUNIT_TEST(lateCommitsWithinTheMarginAreSeen);
    CPPUNIT_TEST(changesAreReadAgainOnlyWithinTheMargin);
    CPPUNIT_TEST(unchangedDeltasKeepTheSnapshot);
    CPPUNIT_TEST(sweepsThroughTheLease);
    CPPUNIT_TEST(failingStoreKeepsServingThePreviousSnapshot);
    CPPUNIT_TEST(withoutAnySnapshotTheFailurePropagates);
    CPPUNIT_TEST(fullReloadReplacesDeltas);
    CPPUNIT_TEST(backgroundRefreshNeverBlocksReaders);
    CPPUNIT_TEST_SUITE_END();

    FakeStatusStore store_;
    ManualClock clock_{kNow};

    api::StatusIndexOptions options() {
        api::StatusIndexOptions o;
        o.page_rows = 2;
        o.change_margin_ms = 5000;
        return o;
    }

public:
    void firstReaderLoadsInPages() {
        for (int i = 1; i <= 5; ++i) store_.rows.push_back(simple("0000000000000000000" + std::to_string(i), i, 100));
        api::StatusIndex index(store_, clock_, "k", options());
        auto s = index.snapshot();
        CPPUNIT_ASSERT_EQUAL(std::size_t{5}, s->farmers.size());
        CPPUNIT_ASSERT_EQUAL(3, store_.full_pages);  // 2 + 2 + 1 rows
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{1}, index.stats().full_loads);
        CPPUNIT_ASSERT_EQUAL(std::size_t{5}, index.stats().farmers);
        CPPUNIT_ASSERT(index.stats().memory_bytes >= 5 * sizeof(api::FarmerEntry));
    }

    void refreshesAtMostOncePerInterval() {
        store_.rows.push_back(simple("00000000000000000001", 1, 100));
        api::StatusIndex index(store_, clock_, "k", options());
        auto s1 = index.snapshot();
        clock_.advance(999);
        CPPUNIT_ASSERT(index.snapshot() == s1);
        CPPUNIT_ASSERT_EQUAL(0, store_.change_queries);
        clock_.advance(1);
        index.snapshot();
        CPPUNIT_ASSERT_EQUAL(1, store_.change_queries);
        index.snapshot();
        CPPUNIT_ASSERT_EQUAL(1, store_.change_queries);
    }

    void deltasCarryChangesAndDeletions() {
        store_.rows.push_back(simple("00000000000000000001", 1, 100));
        store_.rows.push_back(simple("00000000000000000002", 2, 100));
        store_.rows.push_back(simple("00000000000000000003", 3, 100));
        api::StatusIndex index(store_, clock_, "k", options());
        auto s1 = index.snapshot();
        // Five changes at one millisecond (a sweep stamps many rows alike): pages of 2 must
        // neither skip nor repeat rows of equal changed_ms.
        store_.row("00000000000000000001").heartbeats = 10;
        store_.row("00000000000000000001").changed_ms = 200;
        store_.row("00000000000000000002").heartbeats = 20;
        store_.row("00000000000000000002").changed_ms = 200;
        for (int i = 4; i <= 6; ++i) store_.rows.push_back(simple("0000000000000000000" + std::to_string(i), i, 200));
        store_.remove("00000000000000000003", 200);
        clock_.advance(1000);
        auto s2 = index.snapshot();
        CPPUNIT_ASSERT(s2 != s1);
        CPPUNIT_ASSERT_EQUAL(std::size_t{5}, s2->farmers.size());
        CPPUNIT_ASSERT_EQUAL(std::int64_t{10}, s2->find("00000000000000000001")->heartbeats);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{20}, s2->find("00000000000000000002")->heartbeats);
        CPPUNIT_ASSERT(!s2->find("00000000000000000003"));
        CPPUNIT_ASSERT(s2->find("00000000000000000006"));
        // The first query starts after the newest change known: it is older than the margin.
        CPPUNIT_ASSERT_EQUAL(std::int64_t{100}, store_.change_cursors.at(0).ms);
        // The old snapshot is untouched (readers still holding it see no change).
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, s1->farmers.size());
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, s1->find("00000000000000000001")->heartbeats);
    }

    void lateCommitsWithinTheMarginAreSeen() {
        store_.rows.push_back(simple("00000000000000000001", 1, kNow - 10000));
        api::StatusIndex index(store_, clock_, "k", options());
        index.snapshot();  // at kNow: the cursor is kNow - 10000, the newest change
        CPPUNIT_ASSERT_EQUAL(kNow - 10000, static_cast<std::int64_t>(store_.changed_after({0, 0}, 9).back().changed_ms));
        store_.rows.push_back(simple("00000000000000000002", 2, kNow + 500));
        clock_.advance(1000);  // kNow + 1000: reads after kNow - 10000; next cursor kNow - 4000
        std::size_t first_query = store_.change_cursors.size();
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, index.snapshot()->farmers.size());
        CPPUNIT_ASSERT_EQUAL(kNow - 10000, store_.change_cursors.at(first_query).ms);
        // A transaction that stamped kNow - 2000 commits only now, after kNow + 500 was read.
        store_.rows.push_back(simple("00000000000000000003", 3, kNow - 2000));
        clock_.advance(1000);  // kNow + 2000: reads after kNow - 4000
        first_query = store_.change_cursors.size();
        CPPUNIT_ASSERT(index.snapshot()->find("00000000000000000003"));
        CPPUNIT_ASSERT_EQUAL(kNow - 4000, store_.change_cursors.at(first_query).ms);
        // One stamped 7.5 s before it commits is beyond the margin: missed by deltas...
        store_.rows.push_back(simple("00000000000000000004", 4, kNow - 4500));
        clock_.advance(1000);  // kNow + 3000: reads after kNow - 3000
        CPPUNIT_ASSERT(!index.snapshot()->find("00000000000000000004"));
        // ...until the next full reload.
        clock_.advance(10 * 60 * 1000);
        CPPUNIT_ASSERT(index.snapshot()->find("00000000000000000004"));
    }

    void changesAreReadAgainOnlyWithinTheMargin() {
        // A bulk change (all rows stamped alike at kNow + 100) is read again by the refreshes
        // of the next margin (5 s) and then never: an idle node's refresh reads nothing.
        for (int i = 1; i <= 5; ++i) store_.rows.push_back(simple("0000000000000000000" + std::to_string(i), i, kNow - 100));
        api::StatusIndex index(store_, clock_, "k", options());
        index.snapshot();
        const int full_pages = store_.full_pages;
        for (int i = 1; i <= 5; ++i) store_.row("0000000000000000000" + std::to_string(i)).changed_ms = kNow + 100;
        std::size_t rows_read = 0;
        for (int second = 1; second <= 8; ++second) {
            clock_.advance(1000);
            const std::size_t first_query = store_.change_cursors.size();
            index.snapshot();
            rows_read = 0;
            for (const auto& r : store_.rows) rows_read += r.changed_ms > store_.change_cursors.at(first_query).ms;
            if (second <= 6) CPPUNIT_ASSERT_EQUAL_MESSAGE(std::to_string(second), std::size_t{5}, rows_read);
            else CPPUNIT_ASSERT_EQUAL_MESSAGE(std::to_string(second), std::size_t{0}, rows_read);
        }
        CPPUNIT_ASSERT_EQUAL(full_pages, store_.full_pages);
    }

    void unchangedDeltasKeepTheSnapshot() {
        store_.rows.push_back(simple("00000000000000000001", 1, 100));
        api::StatusIndex index(store_, clock_, "k", options());
        auto s1 = index.snapshot();
        store_.rows.push_back(simple("00000000000000000002", 2, 101));
        store_.remove("00000000000000000001", 101);
        clock_.advance(1000);
        auto s2 = index.snapshot();
        CPPUNIT_ASSERT(s2 != s1);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{1}, index.stats().delta_loads);
        // Read again within the margin: nothing new, so no new snapshot.
        clock_.advance(1000);
        CPPUNIT_ASSERT(index.snapshot() == s2);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{1}, index.stats().delta_loads);
        CPPUNIT_ASSERT_EQUAL(2, store_.change_queries);
    }

    void sweepsThroughTheLease() {
        api::StatusIndex index(store_, clock_, "k", options());
        index.snapshot();
        CPPUNIT_ASSERT_EQUAL(1, store_.sweeps);
        // Another worker took the lease meanwhile: this one does not sweep.
        clock_.advance(1000);
        store_.lease_ms = clock_.now_ms() - 10;
        index.snapshot();
        CPPUNIT_ASSERT_EQUAL(1, store_.sweeps);
        clock_.advance(1000);
        index.snapshot();
        CPPUNIT_ASSERT_EQUAL(2, store_.sweeps);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{2}, index.stats().sweeps);
    }

    void failingStoreKeepsServingThePreviousSnapshot() {
        store_.rows.push_back(simple("00000000000000000001", 1, 100));
        api::StatusIndex index(store_, clock_, "k", options());
        auto s1 = index.snapshot();
        store_.fail = true;
        clock_.advance(1000);
        CPPUNIT_ASSERT(index.snapshot() == s1);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{1}, index.stats().refresh_failures);
        // Not asked again before the interval has passed.
        CPPUNIT_ASSERT(index.snapshot() == s1);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{1}, index.stats().refresh_failures);
        store_.fail = false;
        store_.rows.push_back(simple("00000000000000000002", 2, 200));
        clock_.advance(1000);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, index.snapshot()->farmers.size());
    }

    void withoutAnySnapshotTheFailurePropagates() {
        store_.fail = true;
        api::StatusIndex index(store_, clock_, "k", options());
        CPPUNIT_ASSERT_THROW(index.snapshot(), std::runtime_error);
        CPPUNIT_ASSERT_THROW(index.refresh(), std::runtime_error);
        store_.fail = false;
        CPPUNIT_ASSERT(index.snapshot()->farmers.empty());
    }

    void fullReloadReplacesDeltas() {
        store_.rows.push_back(simple("00000000000000000001", 1, 100));
        api::StatusIndex index(store_, clock_, "k", options());
        index.snapshot();
        clock_.advance(10 * 60 * 1000 - 1);
        index.snapshot();
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{1}, index.stats().full_loads);
        clock_.advance(1);
        index.snapshot();
        index.snapshot();
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{1}, index.stats().full_loads);  // within the same interval
        clock_.advance(1000);
        index.snapshot();
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{2}, index.stats().full_loads);
    }

    void backgroundRefreshNeverBlocksReaders() {
        store_.rows.push_back(simple("00000000000000000001", 1, 100));
        api::StatusIndexOptions o = options();
        o.background_refresh = true;
        api::StatusIndex index(store_, clock_, "k", o);
        const auto first = index.snapshot();  // nothing to serve yet: loaded in place
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, first->farmers.size());
        // The store is not touched again until the clock moves (nothing runs meanwhile).
        store_.rows.push_back(simple("00000000000000000002", 2, 200));
        CPPUNIT_ASSERT(index.snapshot() == first);
        clock_.advance(1000);
        // The due refresh happens on the index's thread; readers keep the current snapshot
        // until it is published (bounded wait: a thread is involved).
        bool refreshed = false;
        for (int i = 0; i < 500 && !refreshed; ++i) {
            refreshed = index.snapshot()->farmers.size() == 2;
            if (!refreshed) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        CPPUNIT_ASSERT(refreshed);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, first->farmers.size());
        // After a quiet minute the snapshot is too old to hand out: the reader waits for the
        // refresh and sees the new farmer at once.
        store_.rows.push_back(simple("00000000000000000003", 3, 300));
        clock_.advance(60000);
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, index.snapshot()->farmers.size());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StatusIndexTest);
