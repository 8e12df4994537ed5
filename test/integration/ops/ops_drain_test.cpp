// SIGTERM with a request in flight in the real node: the request completes, then the pool
// exits. The request is held in flight the way a slow database holds it: another session
// locks the row GET /new must update, and releases it only after the SIGTERM. This suite
// stops the node: scripts/test-ops.sh runs it last.
#include "integration/http/stack_client.h"
#include "integration/ops/ops_stack.h"
#include "integration/store/store_fixture.h"

#include <signal.h>

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <thread>

using namespace downstream::testing;
using namespace std::chrono_literals;

class OpsDrainTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(OpsDrainTest);
    CPPUNIT_TEST(sigtermDrainsARequestHeldByTheDatabase);
    CPPUNIT_TEST_SUITE_END();

public:
    void sigtermDrainsARequestHeldByTheDatabase() {
        const std::string address = test_address(9003);
        run_node_cli("whitelist " + address);
        new_token(address);  // the per-IP counter row of 127.0.0.1 exists from now on
        const pid_t master = stack_master_pid();

        // Holds every per-IP counter row for 3 s: a token request waits for it.
        std::thread holder([] {
            run_shell("scripts/mariadb.sh sql '" + ops_dir() + "/mariadb' downstream -e "
                      "'START TRANSACTION; SELECT * FROM ip_token_counts FOR UPDATE; DO SLEEP(3); COMMIT;'"
                      " >/dev/null");
        });
        std::this_thread::sleep_for(800ms);  // the lock is taken

        std::atomic<int> status{0};
        std::string body;
        const auto sent = std::chrono::steady_clock::now();
        std::thread request([&] {
            try {
                const HttpReply reply = api_get("/new/" + address);
                body = reply.body;
                status = reply.status;
            } catch (const std::exception& e) {
                body = e.what();
                status = -1;
            }
        });
        std::this_thread::sleep_for(500ms);
        const auto signalled = std::chrono::steady_clock::now();
        const bool in_flight_at_signal = status.load() == 0;
        CPPUNIT_ASSERT_EQUAL(0, ::kill(master, SIGTERM));
        request.join();
        holder.join();
        const auto answered = std::chrono::steady_clock::now();

        CPPUNIT_ASSERT_MESSAGE("the request was not in flight when SIGTERM came", in_flight_at_signal);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(body, 200, status.load());
        CPPUNIT_ASSERT_EQUAL(std::size_t{32}, json_member(body, "token").size());
        // It waited for the lock, after the signal, rather than being cut off.
        CPPUNIT_ASSERT(answered - signalled >= 1s);
        CPPUNIT_ASSERT(answered - sent >= 2s);

        const auto deadline = std::chrono::steady_clock::now() + 15s;
        while (!process_gone(master) && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(50ms);
        CPPUNIT_ASSERT_MESSAGE("the master did not exit after draining", process_gone(master));
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(OpsDrainTest);
