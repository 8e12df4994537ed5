#include "store/group_commit.h"
#include "support/wait_until.h"

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

using downstream::store::GroupCommit;
using downstream::testing::wait_until;

namespace {

struct Request {
    int value = 0;
    std::size_t weight = 1;
    int written_in_batch = -1;  // set by the batch writer
};

}  // namespace

class GroupCommitTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(GroupCommitTest);
    CPPUNIT_TEST(loneWriterWritesAtOnce);
    CPPUNIT_TEST(writersQueuedDuringABatchShareTheNext);
    CPPUNIT_TEST(batchStopsAtItsWeight);
    CPPUNIT_TEST(aFailedBatchFailsEachOfItsWritersOnly);
    CPPUNIT_TEST(manyThreadsEachWrittenExactlyOnce);
    CPPUNIT_TEST_SUITE_END();

    using Commit = GroupCommit<Request>;
    static std::size_t weight_of(const Request& r) { return r.weight; }

public:
    void loneWriterWritesAtOnce() {
        std::vector<std::size_t> sizes;
        Commit commit([&](const std::vector<Request*>& batch) {
            sizes.push_back(batch.size());
            for (Request* r : batch) r->written_in_batch = static_cast<int>(sizes.size());
        }, weight_of, 100);
        Request a{1};
        commit.write(a);
        Request b{2};
        commit.write(b);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, commit.batches());
        CPPUNIT_ASSERT_EQUAL(1, a.written_in_batch);
        CPPUNIT_ASSERT_EQUAL(2, b.written_in_batch);
        CPPUNIT_ASSERT_EQUAL(std::size_t{0}, commit.queued());
    }

    // Writes `first`, then `rest` in this order, all queued before the first batch (which
    // holds until they are) ends; returns the values of each batch written.
    static std::vector<std::vector<int>> write_queued(std::size_t max_weight, std::vector<Request>& rest) {
        std::vector<std::vector<int>> batches;
        Commit* self = nullptr;
        const std::size_t everyone = rest.size() + 1;
        Commit commit([&](const std::vector<Request*>& batch) {
            if (batches.empty()) wait_until([&] { return self->queued() == everyone; });
            batches.emplace_back();
            for (Request* r : batch) batches.back().push_back(r->value);
        }, weight_of, max_weight);
        self = &commit;
        Request first{0};
        std::thread leader([&] { commit.write(first); });
        wait_until([&] { return commit.queued() == 1; });
        std::vector<std::thread> followers;
        for (std::size_t i = 0; i < rest.size(); ++i) {
            followers.emplace_back([&, i] { commit.write(rest[i]); });
            // Arrival order is known. (The last arrival releases the first batch, after which
            // the queue drains: the leader waits for it, this thread must not.)
            if (i + 1 < rest.size()) wait_until([&] { return commit.queued() == i + 2; });
        }
        leader.join();
        for (auto& t : followers) t.join();
        return batches;
    }

    // The first batch holds until four more writers queue behind it: they are written
    // together, in arrival order, as the second batch.
    void writersQueuedDuringABatchShareTheNext() {
        std::vector<Request> rest{{1}, {2}, {3}, {4}};
        const auto batches = write_queued(100, rest);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, batches.size());
        CPPUNIT_ASSERT(batches[0] == std::vector<int>{0});
        CPPUNIT_ASSERT(batches[1] == (std::vector<int>{1, 2, 3, 4}));
    }

    void batchStopsAtItsWeight() {
        // Weights 3, 2, 4, 9: batches {3, 2} (5), {4}, {9} (over the limit alone, still written).
        std::vector<Request> rest{{1, 3}, {2, 2}, {3, 4}, {4, 9}};
        const auto batches = write_queued(5, rest);
        CPPUNIT_ASSERT_EQUAL(std::size_t{4}, batches.size());
        CPPUNIT_ASSERT(batches[1] == (std::vector<int>{1, 2}));
        CPPUNIT_ASSERT(batches[2] == std::vector<int>{3});
        CPPUNIT_ASSERT(batches[3] == std::vector<int>{4});
    }

    void aFailedBatchFailsEachOfItsWritersOnly() {
        int calls = 0;
        Commit* self = nullptr;
        Commit commit([&](const std::vector<Request*>& batch) {
            ++calls;
            if (calls == 1) {
                wait_until([&] { return self->queued() == 3; });
                return;
            }
            if (calls == 2) throw std::runtime_error("database down");
            for (Request* r : batch) r->written_in_batch = calls;
        }, weight_of, 100);
        self = &commit;
        Request first{0};
        std::thread leader([&] { commit.write(first); });
        wait_until([&] { return commit.queued() == 1; });
        Request second{1}, third{2};
        std::atomic<int> failures{0};
        auto write = [&](Request& r) {
            try {
                commit.write(r);
            } catch (const std::runtime_error&) {
                ++failures;
            }
        };
        std::thread t2([&] { write(second); });
        wait_until([&] { return commit.queued() == 2; });
        std::thread t3([&] { write(third); });
        leader.join();
        t2.join();
        t3.join();
        CPPUNIT_ASSERT_EQUAL(2, failures.load());
        // The commit still works for the next writer.
        Request fourth{3};
        commit.write(fourth);
        CPPUNIT_ASSERT_EQUAL(3, fourth.written_in_batch);
    }

    void manyThreadsEachWrittenExactlyOnce() {
        constexpr int kThreads = 8, kWrites = 500;
        std::vector<int> seen(kThreads * kWrites, 0);
        std::size_t largest = 0;
        Commit commit([&](const std::vector<Request*>& batch) {
            largest = std::max(largest, batch.size());
            for (Request* r : batch) ++seen[static_cast<std::size_t>(r->value)];
        }, weight_of, 6);
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t)
            threads.emplace_back([&, t] {
                for (int i = 0; i < kWrites; ++i) {
                    Request r{t * kWrites + i};
                    commit.write(r);
                }
            });
        for (auto& t : threads) t.join();
        for (int count : seen) CPPUNIT_ASSERT_EQUAL(1, count);
        CPPUNIT_ASSERT(largest <= 6);
        CPPUNIT_ASSERT(commit.batches() <= static_cast<std::size_t>(kThreads * kWrites));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(GroupCommitTest);
