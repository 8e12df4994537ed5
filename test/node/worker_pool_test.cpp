// WorkerPool as a process: each test forks a child that runs a pool (the test runner itself
// must not block its signals), lets it live for a while, stops it with SIGTERM and reads the
// pool's counters back through a pipe. Worker bodies here use no FastCGI; the HTTP stack
// tests (scripts/test-http.sh) cover the pool with real nginx.
#include "node/worker_pool.h"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <cstdio>
#include <thread>

using downstream::node::WorkerContext;
using downstream::node::WorkerMain;
using downstream::node::WorkerPool;
using downstream::node::WorkerPoolOptions;
using namespace std::chrono_literals;

namespace {

struct PoolOutcome {
    int exit_code = -1;           // run()'s return value
    unsigned long starts = 0;
    unsigned long restarts = 0;
};

// Runs a pool in a child for `lifetime`, then SIGTERM; returns what the child reported.
PoolOutcome run_pool(WorkerPoolOptions options, WorkerMain main, std::chrono::milliseconds lifetime) {
    int report[2];
    CPPUNIT_ASSERT_EQUAL(0, ::pipe(report));
    std::fflush(nullptr);
    const pid_t child = ::fork();
    CPPUNIT_ASSERT(child >= 0);
    if (child == 0) {
        ::close(report[0]);
        int code = -1;
        unsigned long starts = 0, restarts = 0;
        {
            WorkerPool pool(-1, options, main);
            code = pool.run();
            starts = pool.counters().worker_starts.load();
            restarts = pool.counters().worker_restarts.load();
        }
        char line[96];
        const int n = std::snprintf(line, sizeof line, "%d %lu %lu\n", code, starts, restarts);
        if (::write(report[1], line, static_cast<size_t>(n)) != n) ::_exit(99);
        ::_exit(0);
    }
    ::close(report[1]);
    std::this_thread::sleep_for(lifetime);
    ::kill(child, SIGTERM);
    PoolOutcome outcome;
    char buffer[96] = {};
    ssize_t got = 0;
    pollfd p{report[0], POLLIN, 0};
    if (::poll(&p, 1, 20000) > 0) got = ::read(report[0], buffer, sizeof buffer - 1);
    ::close(report[0]);
    int status = 0;
    ::waitpid(child, &status, 0);
    CPPUNIT_ASSERT_MESSAGE("the pool did not report", got > 0);
    std::sscanf(buffer, "%d %lu %lu", &outcome.exit_code, &outcome.starts, &outcome.restarts);
    return outcome;
}

// A well-behaved worker: ready at once, returns when told to stop.
int serve_until_stopped(WorkerContext& context) {
    context.ready();
    pollfd p{context.stop_fd(), POLLIN, 0};
    while (::poll(&p, 1, -1) <= 0) {
    }
    return 0;
}

}  // namespace

class WorkerPoolTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(WorkerPoolTest);
    CPPUNIT_TEST(healthyWorkersDrainOnSigterm);
    CPPUNIT_TEST(crashLoopIsSlowedByBackoff);
    CPPUNIT_TEST(workerThatNeverGetsReadyIsReplaced);
    CPPUNIT_TEST(slowDrainIsCutOffAfterTheTimeout);
    CPPUNIT_TEST_SUITE_END();

public:
    void healthyWorkersDrainOnSigterm() {
        WorkerPoolOptions options;
        options.workers = 3;
        const PoolOutcome outcome = run_pool(options, serve_until_stopped, 300ms);
        CPPUNIT_ASSERT_EQUAL(0, outcome.exit_code);
        CPPUNIT_ASSERT_EQUAL(3ul, outcome.starts);
        CPPUNIT_ASSERT_EQUAL(0ul, outcome.restarts);
    }
    void crashLoopIsSlowedByBackoff() {
        // Every worker dies at once. Without backoff this forks thousands of times a second;
        // with waits of 100, 200, 400, 800 ms it forks about five times in 1.2 s.
        WorkerPoolOptions options;
        options.workers = 1;
        const PoolOutcome outcome = run_pool(options, [](WorkerContext&) { return 3; }, 1200ms);
        CPPUNIT_ASSERT_EQUAL(0, outcome.exit_code);
        CPPUNIT_ASSERT_MESSAGE("starts: " + std::to_string(outcome.starts), outcome.starts >= 2 && outcome.starts <= 8);
        CPPUNIT_ASSERT(outcome.restarts >= outcome.starts - 1);
    }
    void workerThatNeverGetsReadyIsReplaced() {
        WorkerPoolOptions options;
        options.workers = 1;
        options.ready_timeout = 200ms;
        const PoolOutcome outcome = run_pool(
            options,
            [](WorkerContext& context) {
                pollfd p{context.stop_fd(), POLLIN, 0};
                while (::poll(&p, 1, -1) <= 0) {
                }
                return 0;
            },
            700ms);
        CPPUNIT_ASSERT(outcome.starts >= 2);
        CPPUNIT_ASSERT(outcome.restarts >= 1);
    }
    void slowDrainIsCutOffAfterTheTimeout() {
        WorkerPoolOptions options;
        options.workers = 1;
        options.drain_timeout = 300ms;
        const auto started = std::chrono::steady_clock::now();
        const PoolOutcome outcome = run_pool(
            options,
            [](WorkerContext& context) {
                context.ready();
                for (;;) ::pause();  // ignores the stop fd: a request that never ends
                return 0;
            },
            200ms);
        CPPUNIT_ASSERT_EQUAL(1, outcome.exit_code);  // a worker had to be killed
        CPPUNIT_ASSERT(std::chrono::steady_clock::now() - started < 10s);
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(WorkerPoolTest);
