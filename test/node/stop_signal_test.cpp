#include "node/stop_signal.h"

#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <csignal>
#include <thread>

using namespace downstream::node;

class StopSignalTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(StopSignalTest);
    CPPUNIT_TEST(waitTimesOutWithoutSignal);
    CPPUNIT_TEST(sigtermEndsAWaitAtOnce);
    CPPUNIT_TEST_SUITE_END();

public:
    void tearDown() override { clear_stop_request(); }

    void waitTimesOutWithoutSignal() {
        clear_stop_request();
        const auto start = std::chrono::steady_clock::now();
        CPPUNIT_ASSERT(!wait_for_stop(std::chrono::milliseconds(30)));
        CPPUNIT_ASSERT(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(30));
        CPPUNIT_ASSERT(!stop_requested());
    }

    void sigtermEndsAWaitAtOnce() {
        install_stop_signal_handlers();
        clear_stop_request();
        std::thread sender([] {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            std::raise(SIGTERM);
        });
        const auto start = std::chrono::steady_clock::now();
        const bool stopped = wait_for_stop(std::chrono::seconds(10));
        const auto waited = std::chrono::steady_clock::now() - start;
        sender.join();
        CPPUNIT_ASSERT(stopped);
        CPPUNIT_ASSERT(stop_requested());
        CPPUNIT_ASSERT(waited < std::chrono::seconds(5));
        // Restore the default dispositions for the rest of the test run.
        std::signal(SIGTERM, SIG_DFL);
        std::signal(SIGINT, SIG_DFL);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StopSignalTest);
