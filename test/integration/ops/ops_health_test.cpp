// /health against the real node: 200 with the database, 503 with the reason while MariaDB is
// stopped, 200 again once it is back, without restarting the node.
#include "integration/http/stack_client.h"
#include "integration/ops/ops_stack.h"

#include <cppunit/extensions/HelperMacros.h>

#include <thread>

using namespace downstream::testing;
using namespace std::chrono_literals;

namespace {

void start_mariadb() {
    CPPUNIT_ASSERT_EQUAL(0, run_shell("scripts/mariadb.sh start '" + ops_dir() + "/mariadb' >/dev/null"));
}

// Starts MariaDB again when a test leaves it stopped (a failed assertion).
struct MariadbBack {
    ~MariadbBack() {
        if (run_shell("scripts/mariadb.sh status '" + ops_dir() + "/mariadb' >/dev/null 2>&1") != 0)
            run_shell("scripts/mariadb.sh start '" + ops_dir() + "/mariadb' >/dev/null");
    }
};

// Asks until `tries` answers in a row had `status` (every worker must agree, and a scrape
// reaches one at random); false if that did not happen within `within`.
bool health_settles(int status, int tries, std::chrono::seconds within) {
    const auto deadline = std::chrono::steady_clock::now() + within;
    int streak = 0;
    while (std::chrono::steady_clock::now() < deadline) {
        streak = health().status == status ? streak + 1 : 0;
        if (streak >= tries) return true;
        std::this_thread::sleep_for(50ms);
    }
    return false;
}

}  // namespace

class OpsHealthTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(OpsHealthTest);
    CPPUNIT_TEST(healthyWithTheDatabase);
    CPPUNIT_TEST(followsTheDatabaseWithoutARestart);
    CPPUNIT_TEST_SUITE_END();

public:
    void healthyWithTheDatabase() {
        const HealthReply h = health();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(h.body, 200, h.status);
        CPPUNIT_ASSERT(h.body.find("\"status\":\"ok\"") != std::string::npos);
        CPPUNIT_ASSERT(h.body.find("\"database\":\"ok\"") != std::string::npos);
        CPPUNIT_ASSERT(h.body.find("\"database_ms\":") != std::string::npos);
        // The node's own answer, through nginx: a live worker of a real generation.
        CPPUNIT_ASSERT(h.pid > 0 && !process_gone(static_cast<pid_t>(h.pid)));
        CPPUNIT_ASSERT(h.generation >= 1);
    }

    void followsTheDatabaseWithoutARestart() {
        MariadbBack guard;
        const pid_t master = stack_master_pid();
        const std::set<long> workers = answering_workers(0);
        const PromPage before = scrape_metrics();

        CPPUNIT_ASSERT_EQUAL(0, run_shell("scripts/mariadb.sh stop '" + ops_dir() + "/mariadb' >/dev/null"));
        CPPUNIT_ASSERT_MESSAGE("/health did not turn 503 with MariaDB stopped", health_settles(503, 10, 20s));
        const HealthReply down = health();
        CPPUNIT_ASSERT(down.body.find("\"database\":\"unavailable\"") != std::string::npos);
        CPPUNIT_ASSERT(down.body.find("database unavailable") != std::string::npos);
        // The API answers 503 too (never 500, never a hang), with the generic message.
        const HttpReply api = api_get("/heartbeat/" + std::string(32, 'a'));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(api.body, 503, api.status);
        CPPUNIT_ASSERT(api.body.find("temporarily unavailable") != std::string::npos);
        // /metrics still answers (counters come from shared memory; the pool is left out).
        const PromPage during = scrape_metrics();
        CPPUNIT_ASSERT(*during.value("downstream_db_errors_total") >= *before.value("downstream_db_errors_total") + 1);

        start_mariadb();
        CPPUNIT_ASSERT_MESSAGE("/health did not recover after MariaDB came back", health_settles(200, 20, 30s));
        const HttpReply again = api_get("/heartbeat/" + std::string(32, 'a'));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(again.body, 400, again.status);  // unknown token: the database answered
        // Same master, same workers: nothing was restarted.
        CPPUNIT_ASSERT_EQUAL(master, stack_master_pid());
        CPPUNIT_ASSERT(!process_gone(master));
        CPPUNIT_ASSERT(workers == answering_workers(0));
        const PromPage after = scrape_metrics();
        CPPUNIT_ASSERT_EQUAL(*before.value("downstream_worker_restarts_total"),
                             *after.value("downstream_worker_restarts_total"));
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(OpsHealthTest);
