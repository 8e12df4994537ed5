#include "node/pool_plan.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace downstream::node;

class PoolPlanTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PoolPlanTest);
    CPPUNIT_TEST(spreadsOverOrdersOfMagnitude);
    CPPUNIT_TEST(stopsAtMaxWhenMaxIsNotAPower);
    CPPUNIT_TEST(rejectsBadArguments);
    CPPUNIT_TEST(topsUpTheLeastFullSizeFirst);
    CPPUNIT_TEST(respectsChunkAndByteLimits);
    CPPUNIT_TEST(nothingWhenFull);
    CPPUNIT_TEST_SUITE_END();

public:
    void spreadsOverOrdersOfMagnitude() {
        // 32 KiB .. 32 MiB in base 32: 32 KiB, 1 MiB, 32 MiB; 96 MiB total: 32 MiB each.
        auto plan = plan_pool(32768, 32 << 20, 96 << 20, 32);
        CPPUNIT_ASSERT(plan.ok());
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, plan->size());
        CPPUNIT_ASSERT_EQUAL(std::int64_t{32768}, (*plan)[0].size);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1024}, (*plan)[0].count);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1 << 20}, (*plan)[1].size);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{32}, (*plan)[1].count);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{32 << 20}, (*plan)[2].size);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, (*plan)[2].count);
    }

    void stopsAtMaxWhenMaxIsNotAPower() {
        // 1000 .. 50000 base 10: 1000, 10000 (100000 > MAX); 1 MB: 500000 bytes each.
        auto plan = plan_pool(1000, 50000, 1000000, 10);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, plan->size());
        CPPUNIT_ASSERT_EQUAL(std::int64_t{500}, (*plan)[0].count);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{50}, (*plan)[1].count);
        // MIN == MAX: one size.
        auto single = plan_pool(4096, 4096, 40960, 2);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, single->size());
        CPPUNIT_ASSERT_EQUAL(std::int64_t{10}, (*single)[0].count);
        // A share too small for the biggest size leaves it empty, the others still count.
        auto lopsided = plan_pool(1, 1000, 1500, 10);  // 1, 10, 100, 1000: 375 bytes each
        CPPUNIT_ASSERT_EQUAL(std::int64_t{375}, (*lopsided)[0].count);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{3}, (*lopsided)[2].count);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, (*lopsided)[3].count);
    }

    void rejectsBadArguments() {
        CPPUNIT_ASSERT(!plan_pool(0, 10, 100, 2).ok());
        CPPUNIT_ASSERT(!plan_pool(100, 10, 1000, 2).ok());
        CPPUNIT_ASSERT(!plan_pool(10, 100, 1000, 1).ok());
        CPPUNIT_ASSERT(!plan_pool(1024, 1 << 20, 100, 2).ok());  // TOTAL < one chunk per size
        // Huge bases do not overflow.
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, plan_pool(1 << 20, std::int64_t{1} << 62,
                                                       std::int64_t{1} << 40, std::int64_t{1} << 62)->size());
    }

    void topsUpTheLeastFullSizeFirst() {
        const std::vector<PoolTarget> targets = {{100, 10}, {1000, 2}};
        // Empty pool: alternate by fill ratio, ties to the smaller size.
        auto sizes = next_chunk_sizes(targets, {}, 4, 1 << 30);
        CPPUNIT_ASSERT_EQUAL(std::size_t{4}, sizes.size());
        CPPUNIT_ASSERT_EQUAL(std::int64_t{100}, sizes[0]);   // 0/10 vs 0/2: tie -> smaller
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1000}, sizes[1]);  // 1/10 vs 0/2: the big size is emptier
        CPPUNIT_ASSERT_EQUAL(std::int64_t{100}, sizes[2]);   // 1/10 vs 1/2
        CPPUNIT_ASSERT_EQUAL(std::int64_t{100}, sizes[3]);   // 2/10 vs 1/2
        // A pool holding the big ones already gets only small ones.
        auto small_only = next_chunk_sizes(targets, {{1000, 2}, {100, 7}}, 100, 1 << 30);
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, small_only.size());
        for (auto s : small_only) CPPUNIT_ASSERT_EQUAL(std::int64_t{100}, s);
    }

    void respectsChunkAndByteLimits() {
        const std::vector<PoolTarget> targets = {{100, 100}};
        CPPUNIT_ASSERT_EQUAL(std::size_t{5}, next_chunk_sizes(targets, {}, 5, 1 << 30).size());
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, next_chunk_sizes(targets, {}, 50, 350).size());
        // The first chunk is always allowed, even past the byte limit.
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, next_chunk_sizes(targets, {}, 50, 10).size());
    }

    void nothingWhenFull() {
        const std::vector<PoolTarget> targets = {{100, 3}, {1000, 0}};
        CPPUNIT_ASSERT(next_chunk_sizes(targets, {{100, 3}}, 10, 1 << 30).empty());
        CPPUNIT_ASSERT(next_chunk_sizes(targets, {{100, 9}, {50, 4}}, 10, 1 << 30).empty());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PoolPlanTest);
