#include "metrics/pool_gauge.h"

#include "base/clock.h"
#include "base/store_unavailable.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace downstream;
using metrics::PoolGauge;

class PoolGaugeTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PoolGaugeTest);
    CPPUNIT_TEST(countsAreReusedUntilTheyAreTooOld);
    CPPUNIT_TEST(aFailureIsRememberedAsLong);
    CPPUNIT_TEST(aClockSteppingBackQueriesAgain);
    CPPUNIT_TEST_SUITE_END();

public:
    void countsAreReusedUntilTheyAreTooOld() {
        ManualClock clock(1000000);
        int queries = 0;
        PoolGauge gauge([&] { ++queries; return PoolGauge::Counts{{32768, queries}}; }, clock, 5000);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, gauge.read()->at(32768));
        clock.advance(4999);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, gauge.read()->at(32768));
        CPPUNIT_ASSERT_EQUAL(1, queries);
        clock.advance(1);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, gauge.read()->at(32768));
        CPPUNIT_ASSERT_EQUAL(2, queries);
    }

    void aFailureIsRememberedAsLong() {
        ManualClock clock(1000000);
        int queries = 0;
        bool down = true;
        PoolGauge gauge(
            [&] {
                ++queries;
                if (down) throw StoreUnavailable("database unavailable");
                return PoolGauge::Counts{{1024, 7}};
            },
            clock, 5000);
        CPPUNIT_ASSERT(!gauge.read().has_value());
        down = false;
        clock.advance(1000);
        CPPUNIT_ASSERT(!gauge.read().has_value());  // no new query yet
        CPPUNIT_ASSERT_EQUAL(1, queries);
        clock.advance(4000);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{7}, gauge.read()->at(1024));
        CPPUNIT_ASSERT_EQUAL(2, queries);
    }

    void aClockSteppingBackQueriesAgain() {
        ManualClock clock(1000000);
        int queries = 0;
        PoolGauge gauge([&] { ++queries; return PoolGauge::Counts{}; }, clock, 5000);
        gauge.read();
        clock.set(900000);
        gauge.read();
        CPPUNIT_ASSERT_EQUAL(2, queries);
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(PoolGaugeTest);
