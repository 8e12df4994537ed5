#include "store/online_interval.h"

#include <cppunit/extensions/HelperMacros.h>

using downstream::store::OnlineInterval;

// Hand-worked timelines (times in seconds written as ms; interval 60 s unless said).
class OnlineIntervalTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(OnlineIntervalTest);
    CPPUNIT_TEST(noContractsIsZero);
    CPPUNIT_TEST(oneContractAnsweredTwice);
    CPPUNIT_TEST(overlappingContracts);
    CPPUNIT_TEST(touchingContractsMerge);
    CPPUNIT_TEST(gapThenReturn);
    CPPUNIT_TEST(queryInsideAndBeforeInterval);
    CPPUNIT_TEST(extendWithoutContractsIsIgnored);
    CPPUNIT_TEST(storedFormRoundTrips);
    CPPUNIT_TEST_SUITE_END();

    static constexpr long long s = 1000;
    static constexpr long long t0 = 1700000000000LL;

public:
    void noContractsIsZero() {
        OnlineInterval o;
        CPPUNIT_ASSERT(!o.has_contracts());
        CPPUNIT_ASSERT_EQUAL(0.0, o.uptime(t0));
        CPPUNIT_ASSERT_EQUAL(0LL, static_cast<long long>(o.online_ms(t0)));
    }

    void oneContractAnsweredTwice() {
        // Issued at 0, due 60; answered at 50 -> expires 120; answered at 110 -> 180.
        OnlineInterval o;
        o.issue(t0, t0 + 60 * s);
        o.extend(t0 + 120 * s);
        o.extend(t0 + 180 * s);
        CPPUNIT_ASSERT_EQUAL(t0 + 180 * s, static_cast<long long>(o.end()));
        // At 240 s: online 180 of 240 s.
        CPPUNIT_ASSERT_DOUBLES_EQUAL(0.75, o.uptime(t0 + 240 * s), 1e-12);
        // At 150 s: online the whole time.
        CPPUNIT_ASSERT_DOUBLES_EQUAL(1.0, o.uptime(t0 + 150 * s), 1e-12);
    }

    void overlappingContracts() {
        // A: [0, 60) answered -> [0, 120); B issued at 30 -> [30, 90) never answered.
        // Union [0, 120); at 200 s: 120 / 200.
        OnlineInterval o;
        o.issue(t0, t0 + 60 * s);
        o.issue(t0 + 30 * s, t0 + 90 * s);
        o.extend(t0 + 120 * s);
        CPPUNIT_ASSERT_EQUAL(t0, static_cast<long long>(o.start()));
        CPPUNIT_ASSERT_EQUAL(0LL, static_cast<long long>(o.covered()));
        CPPUNIT_ASSERT_DOUBLES_EQUAL(0.6, o.uptime(t0 + 200 * s), 1e-12);
        // A later-issued contract with an earlier end does not shrink the interval.
        o.issue(t0 + 100 * s, t0 + 110 * s);
        CPPUNIT_ASSERT_EQUAL(t0 + 120 * s, static_cast<long long>(o.end()));
    }

    void touchingContractsMerge() {
        // B issued exactly when A expires: one interval [0, 120).
        OnlineInterval o;
        o.issue(t0, t0 + 60 * s);
        o.issue(t0 + 60 * s, t0 + 120 * s);
        CPPUNIT_ASSERT_EQUAL(0LL, static_cast<long long>(o.covered()));
        CPPUNIT_ASSERT_DOUBLES_EQUAL(1.0, o.uptime(t0 + 120 * s), 1e-12);
    }

    void gapThenReturn() {
        // Online [0, 60), offline until 100, back [100, 160), answered to 220, then gone.
        OnlineInterval o;
        o.issue(t0, t0 + 60 * s);
        o.issue(t0 + 100 * s, t0 + 160 * s);
        CPPUNIT_ASSERT_EQUAL(60 * s, static_cast<long long>(o.covered()));
        CPPUNIT_ASSERT_EQUAL(t0 + 100 * s, static_cast<long long>(o.start()));
        o.extend(t0 + 220 * s);
        // At 400 s: 60 + 120 = 180 of 400 s.
        CPPUNIT_ASSERT_DOUBLES_EQUAL(0.45, o.uptime(t0 + 400 * s), 1e-12);
        // A third stint after another gap: [500, 560); at 600 s: 180 + 60 = 240 of 600.
        o.issue(t0 + 500 * s, t0 + 560 * s);
        CPPUNIT_ASSERT_EQUAL(180 * s, static_cast<long long>(o.covered()));
        CPPUNIT_ASSERT_DOUBLES_EQUAL(0.4, o.uptime(t0 + 600 * s), 1e-12);
    }

    void queryInsideAndBeforeInterval() {
        OnlineInterval o;
        o.issue(t0 + 100 * s, t0 + 160 * s);
        CPPUNIT_ASSERT_EQUAL(0.0, o.uptime(t0 + 100 * s));  // now == first contract
        CPPUNIT_ASSERT_EQUAL(0.0, o.uptime(t0 + 50 * s));   // a clock behind the first contract
        CPPUNIT_ASSERT_DOUBLES_EQUAL(1.0, o.uptime(t0 + 130 * s), 1e-12);
        CPPUNIT_ASSERT_EQUAL(30 * s, static_cast<long long>(o.online_ms(t0 + 130 * s)));
    }

    void extendWithoutContractsIsIgnored() {
        OnlineInterval o;
        o.extend(t0 + 100 * s);
        CPPUNIT_ASSERT(!o.has_contracts());
        CPPUNIT_ASSERT_EQUAL(0.0, o.uptime(t0 + 200 * s));
    }

    void storedFormRoundTrips() {
        OnlineInterval o;
        o.issue(t0, t0 + 60 * s);
        o.issue(t0 + 100 * s, t0 + 160 * s);
        const OnlineInterval copy(o.first_contract(), o.start(), o.end(), o.covered());
        CPPUNIT_ASSERT(copy == o);
        // NULL first contract: the other columns are ignored.
        CPPUNIT_ASSERT(OnlineInterval(std::nullopt, 5, 6, 7) == OnlineInterval());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(OnlineIntervalTest);
