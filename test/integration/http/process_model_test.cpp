// The master/worker process model under signals, through real nginx: kill -9 of a worker,
// SIGHUP replacing every worker under steady load, SIGTERM draining an in-flight request.
// Needs the stack of scripts/test-http.sh (see integration/http/stack_client.h); the echo
// app runs 2 workers. HttpStackDrainTest stops the app: the script runs it last, alone.
#include "integration/http/stack_client.h"

#include <signal.h>
#include <unistd.h>

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <set>
#include <thread>
#include <vector>

using downstream::testing::api_get;
using downstream::testing::json_member;
using downstream::testing::stack_master_pid;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t kWorkers = 2;

struct WhoAmI {
    long pid = 0;
    int generation = 0;
    long restarts = 0;
};

WhoAmI parse_whoami(const std::string& body) {
    return WhoAmI{std::stol(json_member(body, "pid")), std::stoi(json_member(body, "generation")),
                  std::stol(json_member(body, "restarts"))};
}

WhoAmI whoami() {
    auto reply = api_get("/whoami");
    CPPUNIT_ASSERT_EQUAL(200, reply.status);
    return parse_whoami(reply.body);
}

// The worker pids answering now: asks until `kWorkers` distinct pids of `generation` (or
// of any generation when 0) were seen and the last 30 answers came only from such pids.
// A failed request (a worker killed while answering it) is counted in `failures` when
// given, else it fails the test.
std::set<long> current_workers(int generation, long* failures = nullptr, std::chrono::seconds within = 15s) {
    const auto deadline = std::chrono::steady_clock::now() + within;
    std::set<long> seen;
    int clean_streak = 0;
    while (std::chrono::steady_clock::now() < deadline) {
        auto reply = api_get("/whoami");
        if (reply.status != 200 && failures != nullptr) {
            ++*failures;
            seen.clear();
            clean_streak = 0;
            continue;
        }
        CPPUNIT_ASSERT_EQUAL(200, reply.status);
        const WhoAmI w = parse_whoami(reply.body);
        if (generation != 0 && w.generation != generation) {
            seen.clear();
            clean_streak = 0;
            std::this_thread::sleep_for(20ms);
            continue;
        }
        seen.insert(w.pid);
        ++clean_streak;
        if (seen.size() >= kWorkers && clean_streak >= 30) return seen;
    }
    CPPUNIT_FAIL("workers of generation " + std::to_string(generation) + " did not all answer in time");
    return {};
}

// A client hammering the node from `threads` threads until stopped, counting outcomes.
class SteadyLoad {
public:
    explicit SteadyLoad(int threads) {
        for (int i = 0; i < threads; ++i) {
            threads_.emplace_back([this] {
                while (!stop_.load()) {
                    try {
                        auto reply = api_get("/hello");
                        (reply.status == 200 && reply.body.size() == 100 ? ok_ : failed_).fetch_add(1);
                    } catch (...) {
                        failed_.fetch_add(1);
                    }
                }
            });
        }
    }
    ~SteadyLoad() { finish(); }
    void finish() {
        stop_.store(true);
        for (auto& t : threads_) {
            if (t.joinable()) t.join();
        }
    }
    long ok() const { return ok_.load(); }
    long failed() const { return failed_.load(); }

private:
    std::atomic<bool> stop_{false};
    std::atomic<long> ok_{0}, failed_{0};
    std::vector<std::thread> threads_;
};

bool process_gone(pid_t pid) {
    if (::kill(pid, 0) != 0) return true;
    // A zombie has exited; only its parent has not collected it yet.
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string pid_text, name, state;
    stat >> pid_text >> name >> state;
    return state == "Z";
}

}  // namespace

class HttpStackProcessTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(HttpStackProcessTest);
    CPPUNIT_TEST(killedWorkerIsReplaced);
    CPPUNIT_TEST(sighupReplacesEveryWorkerWithoutFailures);
    CPPUNIT_TEST_SUITE_END();

public:
    void killedWorkerIsReplaced() {
        const std::set<long> before = current_workers(0);
        const long restarts_before = whoami().restarts;
        const long victim = *before.begin();
        SteadyLoad load(1);
        std::this_thread::sleep_for(200ms);
        CPPUNIT_ASSERT_EQUAL(0, ::kill(static_cast<pid_t>(victim), SIGKILL));
        // The replacement appears and the victim never answers again.
        const auto deadline = std::chrono::steady_clock::now() + 15s;
        std::set<long> after;
        long polling_failures = 0;
        while (std::chrono::steady_clock::now() < deadline) {
            after = current_workers(0, &polling_failures);
            if (after.count(victim) == 0) break;
        }
        std::this_thread::sleep_for(200ms);
        load.finish();
        CPPUNIT_ASSERT_EQUAL(std::size_t{0}, after.count(victim));
        CPPUNIT_ASSERT_EQUAL(kWorkers, after.size());
        CPPUNIT_ASSERT(whoami().restarts >= restarts_before + 1);
        // Two sequential clients (the load and this poller) have at most one request each in
        // flight in the killed worker: nothing else may fail.
        const long failures = load.failed() + polling_failures;
        CPPUNIT_ASSERT_MESSAGE("failed requests: " + std::to_string(failures), failures <= 2);
        CPPUNIT_ASSERT(load.ok() > 10);
    }
    void sighupReplacesEveryWorkerWithoutFailures() {
        const int generation = whoami().generation;
        const std::set<long> before = current_workers(generation);
        SteadyLoad load(3);
        std::this_thread::sleep_for(300ms);
        CPPUNIT_ASSERT_EQUAL(0, ::kill(stack_master_pid(), SIGHUP));
        const std::set<long> after = current_workers(generation + 1);
        std::this_thread::sleep_for(300ms);
        load.finish();
        for (long pid : after) CPPUNIT_ASSERT_EQUAL(std::size_t{0}, before.count(pid));
        CPPUNIT_ASSERT_EQUAL(kWorkers, after.size());
        CPPUNIT_ASSERT_EQUAL_MESSAGE("requests failed during the reload", 0L, load.failed());
        CPPUNIT_ASSERT(load.ok() > 50);
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(HttpStackProcessTest);

class HttpStackDrainTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(HttpStackDrainTest);
    CPPUNIT_TEST(sigtermDrainsAnInFlightRequest);
    CPPUNIT_TEST_SUITE_END();

public:
    void sigtermDrainsAnInFlightRequest() {
        const pid_t master = stack_master_pid();
        int status = 0;
        std::string body;
        std::thread slow([&] {
            try {
                auto reply = api_get("/sleep/2000");
                status = reply.status;
                body = reply.body;
            } catch (...) {
                status = -1;
            }
        });
        std::this_thread::sleep_for(400ms);
        const auto signalled = std::chrono::steady_clock::now();
        CPPUNIT_ASSERT_EQUAL(0, ::kill(master, SIGTERM));
        slow.join();
        CPPUNIT_ASSERT_EQUAL(200, status);
        CPPUNIT_ASSERT_EQUAL(std::string("{\"slept\":2000}"), body);
        const auto deadline = std::chrono::steady_clock::now() + 10s;
        while (!process_gone(master) && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(50ms);
        }
        CPPUNIT_ASSERT_MESSAGE("the master did not exit after draining", process_gone(master));
        // It waited for the request rather than cutting it off.
        CPPUNIT_ASSERT(std::chrono::steady_clock::now() - signalled >= 1s);
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(HttpStackDrainTest);
