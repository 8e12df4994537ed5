// The worker pool under kill -9, through the real stack: a killed worker is replaced and the
// node keeps answering farmers meanwhile (DESIGN.md §1 "Workers").
#include "integration/api/api_stack.h"

#include <signal.h>

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <thread>

namespace downstream::testing {
namespace {

// A farmer's whole cycle: token, contracts, an accepted answer.
void farm_once() {
    TestFarmer farmer = new_farmer();
    auto contracts = contracts_for(*farmer, 4096, 1);
    auto report = farmer->answer({&contracts[0]});
    CPPUNIT_ASSERT(report.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("ok"), report->front().message);
}

// Waits until the pool runs `count` workers none of which is in `gone`; returns them.
std::vector<pid_t> wait_for_workers(std::size_t count, const std::vector<pid_t>& gone) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    std::vector<pid_t> now;
    while (std::chrono::steady_clock::now() < deadline) {
        now = serve_worker_pids();
        const bool clean = std::none_of(now.begin(), now.end(), [&](pid_t p) {
            return std::find(gone.begin(), gone.end(), p) != gone.end();
        });
        if (now.size() == count && clean) return now;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    CPPUNIT_FAIL("the pool did not get back to " + std::to_string(count) + " fresh workers (it runs " +
                 std::to_string(now.size()) + ")");
    return now;
}

}  // namespace

class ApiWorkersTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ApiWorkersTest);
    CPPUNIT_TEST(killed_workers_are_replaced_and_farmers_keep_being_served);
    CPPUNIT_TEST_SUITE_END();

public:
    void killed_workers_are_replaced_and_farmers_keep_being_served() {
        const auto workers = static_cast<std::size_t>(stack_config().workers);
        CPPUNIT_ASSERT(workers >= 2);
        const std::vector<pid_t> original = wait_for_workers(workers, {});
        const pid_t master = serve_master_pid();

        CPPUNIT_ASSERT_EQUAL(0, kill(original[0], SIGKILL));
        // Served meanwhile by the others, and after the replacement.
        farm_once();
        wait_for_workers(workers, {original[0]});
        farm_once();

        // Every original worker killed: the pool still comes back.
        for (std::size_t i = 1; i < original.size(); ++i) CPPUNIT_ASSERT_EQUAL(0, kill(original[i], SIGKILL));
        wait_for_workers(workers, original);
        for (int i = 0; i < 3; ++i) farm_once();
        CPPUNIT_ASSERT_EQUAL(master, serve_master_pid());
        CPPUNIT_ASSERT_EQUAL(0, kill(master, 0));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ApiWorkersTest);

}  // namespace downstream::testing
