// The worker pool's lifecycle with the real node: kill -9 of a worker, SIGHUP after a config
// change. The stack runs DOWNSTREAM_OPS_WORKERS workers.
#include "integration/http/stack_client.h"
#include "integration/ops/ops_stack.h"
#include "integration/store/store_fixture.h"

#include <signal.h>

#include <cppunit/extensions/HelperMacros.h>

#include <thread>

using namespace downstream::testing;
using namespace std::chrono_literals;

namespace {

std::string describe(const SteadyClient& client) {
    std::string text = std::to_string(client.failed()) + " failed requests";
    for (const std::string& f : client.failures()) text += "; " + f;
    return text;
}

}  // namespace

class OpsLifecycleTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(OpsLifecycleTest);
    CPPUNIT_TEST(aKilledWorkerIsReplaced);
    CPPUNIT_TEST(sighupAppliesTheNewConfigWithoutFailingARequest);
    CPPUNIT_TEST_SUITE_END();

public:
    void aKilledWorkerIsReplaced() {
        const std::set<long> before = answering_workers(0);
        const double restarts = *scrape_metrics().value("downstream_worker_restarts_total");
        const long victim = *before.begin();
        SteadyClient client(1);
        std::this_thread::sleep_for(300ms);
        CPPUNIT_ASSERT_EQUAL(0, ::kill(static_cast<pid_t>(victim), SIGKILL));
        long polling_failures = 0;
        std::set<long> after;
        const auto deadline = std::chrono::steady_clock::now() + 20s;
        while (std::chrono::steady_clock::now() < deadline) {
            after = answering_workers(0, &polling_failures);
            if (after.count(victim) == 0) break;
        }
        std::this_thread::sleep_for(300ms);
        client.finish();
        CPPUNIT_ASSERT_EQUAL(std::size_t{0}, after.count(victim));
        CPPUNIT_ASSERT_EQUAL(static_cast<std::size_t>(ops_workers()), after.size());
        const PromPage page = scrape_metrics();
        CPPUNIT_ASSERT_EQUAL(restarts + 1, *page.value("downstream_worker_restarts_total"));
        CPPUNIT_ASSERT_EQUAL(static_cast<double>(ops_workers()), *page.value("downstream_workers"));
        // Two sequential clients (the load and the poller) had at most one request each in
        // the killed worker: only those may fail.
        CPPUNIT_ASSERT_MESSAGE(describe(client) + ", " + std::to_string(polling_failures) + " polls failed",
                               client.failed() + polling_failures <= 2);
        CPPUNIT_ASSERT(client.ok() > 10);
    }

    void sighupAppliesTheNewConfigWithoutFailingARequest() {
        const std::string address = test_address(9002);
        run_node_cli("whitelist " + address);
        // The stack runs without signatures: GET /new works before the reload.
        new_token(address);

        const int generation = health().generation;
        const std::set<long> before = answering_workers(generation);
        const PromPage metrics_before = scrape_metrics();
        SteadyClient client(3);
        std::this_thread::sleep_for(300ms);
        write_ops_config("# written by OpsLifecycleTest\nlimits.require_signature = true\nthreads = 3\n");
        CPPUNIT_ASSERT_EQUAL(0, ::kill(stack_master_pid(), SIGHUP));
        const std::set<long> after = answering_workers(generation + 1);
        std::this_thread::sleep_for(300ms);
        client.finish();

        for (long pid : after) CPPUNIT_ASSERT_EQUAL(std::size_t{0}, before.count(pid));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(describe(client), 0L, client.failed());
        CPPUNIT_ASSERT(client.ok() > 50);
        const PromPage metrics_after = scrape_metrics();
        CPPUNIT_ASSERT_EQUAL(*metrics_before.value("downstream_reloads_total") + 1,
                             *metrics_after.value("downstream_reloads_total"));
        CPPUNIT_ASSERT_EQUAL(*metrics_before.value("downstream_worker_starts_total") + ops_workers(),
                             *metrics_after.value("downstream_worker_starts_total"));
        CPPUNIT_ASSERT_EQUAL(*metrics_before.value("downstream_worker_restarts_total"),
                             *metrics_after.value("downstream_worker_restarts_total"));
        // The new setting is in force in every worker.
        for (int i = 0; i < 10; ++i) {
            const HttpReply refused = api_get("/new/" + address);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(refused.body, 400, refused.status);
            CPPUNIT_ASSERT(refused.body.find("requires a signature") != std::string::npos);
        }

        // Back to the stack's own settings for the suites that follow.
        write_ops_config("");
        CPPUNIT_ASSERT_EQUAL(0, ::kill(stack_master_pid(), SIGHUP));
        answering_workers(generation + 2);
        new_token(address);
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(OpsLifecycleTest);
