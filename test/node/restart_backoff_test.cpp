#include "node/restart_backoff.h"

#include <cppunit/extensions/HelperMacros.h>

using downstream::node::RestartBackoff;
using std::chrono::milliseconds;

class RestartBackoffTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RestartBackoffTest);
    CPPUNIT_TEST(healthyWorkerIsReplacedAtOnce);
    CPPUNIT_TEST(earlyCrashesDoubleUpToTheCeiling);
    CPPUNIT_TEST(aHealthyRunResetsTheCount);
    CPPUNIT_TEST_SUITE_END();

public:
    void healthyWorkerIsReplacedAtOnce() {
        RestartBackoff backoff;
        CPPUNIT_ASSERT_EQUAL(0L, static_cast<long>(backoff.on_crash(milliseconds(60000)).count()));
        CPPUNIT_ASSERT_EQUAL(0, backoff.consecutive_crashes());
    }
    void earlyCrashesDoubleUpToTheCeiling() {
        RestartBackoff backoff(RestartBackoff::Policy{milliseconds(100), milliseconds(1000), milliseconds(10000)});
        const long expected[] = {100, 200, 400, 800, 1000, 1000, 1000};
        for (long e : expected) {
            CPPUNIT_ASSERT_EQUAL(e, static_cast<long>(backoff.on_crash(milliseconds(50)).count()));
        }
        CPPUNIT_ASSERT_EQUAL(7, backoff.consecutive_crashes());
        // Many more: still bounded, no overflow.
        for (int i = 0; i < 100; ++i) backoff.on_crash(milliseconds(0));
        CPPUNIT_ASSERT_EQUAL(1000L, static_cast<long>(backoff.on_crash(milliseconds(0)).count()));
    }
    void aHealthyRunResetsTheCount() {
        RestartBackoff backoff;
        backoff.on_crash(milliseconds(10));
        backoff.on_crash(milliseconds(10));
        CPPUNIT_ASSERT_EQUAL(0L, static_cast<long>(backoff.on_crash(milliseconds(10000)).count()));
        CPPUNIT_ASSERT_EQUAL(100L, static_cast<long>(backoff.on_crash(milliseconds(10)).count()));
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(RestartBackoffTest);
