#include "store/token_id_cache.h"

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

using downstream::store::TokenIdCache;

class TokenIdCacheTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(TokenIdCacheTest);
    CPPUNIT_TEST(remembersAndForgets);
    CPPUNIT_TEST(startsOverWhenFull);
    CPPUNIT_TEST(sharedByThreads);
    CPPUNIT_TEST_SUITE_END();

public:
    void remembersAndForgets() {
        TokenIdCache cache(10);
        CPPUNIT_ASSERT(!cache.find("a"));
        cache.remember("a", 7);
        cache.remember("b", 8);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{7}, *cache.find("a"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{8}, *cache.find("b"));
        cache.forget("a");
        CPPUNIT_ASSERT(!cache.find("a"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{8}, *cache.find("b"));
    }

    void startsOverWhenFull() {
        TokenIdCache cache(3);
        for (int i = 0; i < 3; ++i) cache.remember("t" + std::to_string(i), i);
        cache.remember("t1", 11);  // already there: no room needed
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, cache.size());
        CPPUNIT_ASSERT_EQUAL(std::int64_t{11}, *cache.find("t1"));
        cache.remember("t3", 3);  // the fourth: the others go
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, cache.size());
        CPPUNIT_ASSERT(!cache.find("t0"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{3}, *cache.find("t3"));
    }

    void sharedByThreads() {
        TokenIdCache cache(100000);
        std::atomic<int> lost{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&cache, &lost, t] {
                for (int i = 0; i < 5000; ++i) {
                    const std::string key = std::to_string(t) + ":" + std::to_string(i);
                    cache.remember(key, i);
                    if (cache.find(key) != i) ++lost;
                }
            });
        for (auto& th : threads) th.join();
        CPPUNIT_ASSERT_EQUAL(0, lost.load());
        CPPUNIT_ASSERT_EQUAL(std::size_t{20000}, cache.size());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TokenIdCacheTest);
