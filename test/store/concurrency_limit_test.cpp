#include "store/concurrency_limit.h"
#include "support/wait_until.h"

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

using downstream::store::ConcurrencyLimit;
using downstream::testing::wait_until;

class ConcurrencyLimitTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ConcurrencyLimitTest);
    CPPUNIT_TEST(aCallerBeyondTheLimitWaitsForAFreedSlot);
    CPPUNIT_TEST(manyThreadsNeverExceedTheLimit);
    CPPUNIT_TEST(zeroSlotsMeansOne);
    CPPUNIT_TEST_SUITE_END();

public:
    void aCallerBeyondTheLimitWaitsForAFreedSlot() {
        ConcurrencyLimit limit(2);
        std::atomic<bool> third_in{false};
        auto first = std::make_unique<ConcurrencyLimit::Slot>(limit);
        const ConcurrencyLimit::Slot second(limit);
        std::atomic<bool> started{false};
        std::thread third([&] {
            started = true;
            const ConcurrencyLimit::Slot slot(limit);
            third_in = true;
        });
        wait_until([&] { return started.load(); });
        // The third caller cannot have a slot while both are held; give it time to (wrongly) get one.
        for (int i = 0; i < 1000; ++i) std::this_thread::yield();
        CPPUNIT_ASSERT(!third_in);
        first.reset();
        third.join();
        CPPUNIT_ASSERT(third_in);
    }

    void manyThreadsNeverExceedTheLimit() {
        ConcurrencyLimit limit(3);
        std::atomic<int> inside{0}, most{0};
        std::atomic<long> entries{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 12; ++t)
            threads.emplace_back([&] {
                for (int i = 0; i < 2000; ++i) {
                    const ConcurrencyLimit::Slot slot(limit);
                    const int now = ++inside;
                    for (int seen = most.load(); now > seen && !most.compare_exchange_weak(seen, now);) {}
                    std::this_thread::yield();
                    --inside;
                    ++entries;
                }
            });
        for (auto& th : threads) th.join();
        CPPUNIT_ASSERT_EQUAL(24000L, entries.load());
        CPPUNIT_ASSERT(most.load() <= 3);
        CPPUNIT_ASSERT(most.load() >= 2);  // the slots were shared, not taken one at a time
    }

    void zeroSlotsMeansOne() {
        ConcurrencyLimit limit(0);
        { const ConcurrencyLimit::Slot slot(limit); }
        const ConcurrencyLimit::Slot again(limit);  // would wait forever if the slot leaked
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConcurrencyLimitTest);
