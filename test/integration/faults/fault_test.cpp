// Faults under a steady farmer load (operations issue, item 4), through the real stack of
// scripts/test-faults.sh: kill -9 of a worker, a clean MariaDB restart, a kill -9 of mariadbd,
// an nginx reload, SIGHUP of the pool, kill -9 of every worker at once, one after another
// while farmers keep answering (started spread over one interval; each fault is injected the
// moment some farmer has an answer on its way). After each the node must serve again within
// seconds without anyone restarting it; at the end every heartbeat the node acknowledged with
// "ok" must be counted in the database and none twice (integration/faults/load_farmer.h
// explains the ledger), and some request must have failed, so that the faults did hit the
// load. The tests run in order and share one load; FaultLoadTest::start begins it. Each
// prints what it saw: seconds to inject, to serve again and to be acknowledged again,
// answers acknowledged and farmer requests failed meanwhile; the last one the totals.
#include "integration/api/api_stack.h"
#include "integration/faults/load_farmer.h"
#include "integration/store/store_fixture.h"
#include "json/json_parse.h"

#include <signal.h>

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <thread>

namespace downstream::testing {
namespace {

using Seconds = std::chrono::duration<double>;
using SteadyClock = std::chrono::steady_clock;

constexpr int kFarmers = 6;
constexpr std::size_t kContractsPerFarmer = 3;
constexpr std::int64_t kChunkSize = 4096;
// The node must answer a database-backed request again this soon after a fault began ...
constexpr double kServeAgainWithin = 15.0;
// ... and farmers must get answers acknowledged again this soon after that.
constexpr double kAnsweringAgainWithin = 15.0;

// The load shared by the tests of this suite, in order.
struct FaultLoad {
    std::vector<std::unique_ptr<LoadFarmer>> farmers;
    std::string probe_token;  // a farmer outside the load, for GET /heartbeat/<token>
    std::vector<std::string> report;
};

FaultLoad& load() {
    static FaultLoad shared;
    return shared;
}

std::int64_t acknowledged_total() {
    std::int64_t total = 0;
    for (const auto& f : load().farmers) total += f->acknowledged();
    return total;
}

std::int64_t failed_total() {
    std::int64_t total = 0;
    for (const auto& f : load().farmers) total += f->failed_requests();
    return total;
}

void run_command(const std::string& command) {
    const int status = std::system((command + " >>" + stack_dir() + "/faults-commands.log 2>&1").c_str());
    if (status != 0) CPPUNIT_FAIL("'" + command + "' failed (status " + std::to_string(status) + "); see " +
                                  stack_dir() + "/faults-commands.log");
}

pid_t pid_in(const std::string& file) {
    std::ifstream in(file);
    long pid = 0;
    in >> pid;
    if (pid <= 0) CPPUNIT_FAIL("no pid in " + file);
    return static_cast<pid_t>(pid);
}

// Polls a database-backed route (GET /heartbeat/<token>) until it answers 200; the seconds
// since `since`. Fails the test after kServeAgainWithin.
double wait_until_serving(SteadyClock::time_point since) {
    for (;;) {
        try {
            if (api_get("/heartbeat/" + load().probe_token).status == 200)
                return Seconds(SteadyClock::now() - since).count();
        } catch (const std::exception&) {
            // nginx itself may be between two processes: keep polling.
        }
        if (Seconds(SteadyClock::now() - since).count() > kServeAgainWithin)
            CPPUNIT_FAIL("the node did not serve GET /heartbeat again within " +
                         std::to_string(static_cast<int>(kServeAgainWithin)) + " s");
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

// Waits until every farmer of the load had an answer acknowledged after this call; the
// seconds since `since`.
double wait_until_answering(SteadyClock::time_point since) {
    std::vector<std::int64_t> before;
    for (const auto& f : load().farmers) before.push_back(f->acknowledged());
    const auto start = SteadyClock::now();
    for (;;) {
        bool all = true;
        for (std::size_t i = 0; i < before.size(); ++i) all = all && load().farmers[i]->acknowledged() > before[i];
        if (all) return Seconds(SteadyClock::now() - since).count();
        if (Seconds(SteadyClock::now() - start).count() > kAnsweringAgainWithin)
            CPPUNIT_FAIL("not every farmer had an answer acknowledged within " +
                         std::to_string(static_cast<int>(kAnsweringAgainWithin)) + " s of the node serving again");
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

// Waits (at most two intervals) until some farmer has an answer on its way, so that the
// fault lands on requests in flight rather than between two rounds of answers; how many
// farmers were answering then.
int wait_for_answers_in_flight() {
    const auto deadline = SteadyClock::now() + std::chrono::milliseconds(2 * interval_ms());
    while (SteadyClock::now() < deadline) {
        int answering = 0;
        for (const auto& f : load().farmers) answering += f->answering() ? 1 : 0;
        if (answering > 0) return answering;
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    return 0;
}

// Injects a fault while answers are in flight (timed from the injection), then waits for the
// node to serve and for farmers to be acknowledged again; records one line for the closing
// report.
void survive(const std::string& name, const std::function<void()>& inject) {
    if (load().farmers.empty()) CPPUNIT_FAIL("the load did not start");
    const int in_flight = wait_for_answers_in_flight();
    const std::int64_t before = acknowledged_total();
    const std::int64_t failed_before = failed_total();
    const auto since = SteadyClock::now();
    inject();
    const double injected = Seconds(SteadyClock::now() - since).count();
    const double serving = wait_until_serving(since);
    const double answering = wait_until_answering(since);
    std::ostringstream line;
    line.precision(2);
    line << std::fixed << name << ": injected in " << injected << " s while " << in_flight
         << " farmers were answering, serving again after " << serving
         << " s, farmers acknowledged again after " << answering << " s (" << (acknowledged_total() - before)
         << " acknowledged meanwhile, " << (failed_total() - failed_before) << " farmer requests failed)";
    load().report.push_back(line.str());
    std::cout << "  " << line.str() << std::endl;
}

}  // namespace

class FaultLoadTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(FaultLoadTest);
    CPPUNIT_TEST(start);
    CPPUNIT_TEST(kill9_worker);
    CPPUNIT_TEST(restart_mariadb);
    CPPUNIT_TEST(kill9_mariadb);
    CPPUNIT_TEST(reload_nginx);
    CPPUNIT_TEST(sighup_pool);
    CPPUNIT_TEST(kill9_every_worker);
    CPPUNIT_TEST(every_acknowledged_heartbeat_is_counted_once);
    CPPUNIT_TEST_SUITE_END();

public:
    void start() {
        TestFarmer probe = new_farmer();
        load().probe_token = probe->token();
        for (int i = 0; i < kFarmers; ++i)
            load().farmers.push_back(std::make_unique<LoadFarmer>(i, kContractsPerFarmer, kChunkSize));
        // Spread over one interval, so that some farmer answers at almost any moment.
        for (std::size_t i = 0; i < load().farmers.size(); ++i)
            load().farmers[i]->start(std::chrono::milliseconds(interval_ms() * static_cast<std::int64_t>(i) / kFarmers));
        // Steady: every farmer answered at least twice.
        const auto since = SteadyClock::now();
        for (;;) {
            bool steady = true;
            for (const auto& f : load().farmers) steady = steady && f->acknowledged() >= 2 * static_cast<std::int64_t>(kContractsPerFarmer);
            if (steady) break;
            if (Seconds(SteadyClock::now() - since).count() > 40) CPPUNIT_FAIL("the load did not get going in 40 s");
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }

    void kill9_worker() {
        const auto workers = serve_worker_pids();
        CPPUNIT_ASSERT(!workers.empty());
        const pid_t master = serve_master_pid();
        survive("kill -9 of one worker (pid " + std::to_string(workers.front()) + ")",
                [&] { CPPUNIT_ASSERT_EQUAL(0, kill(workers.front(), SIGKILL)); });
        CPPUNIT_ASSERT_EQUAL(master, serve_master_pid());
    }

    void restart_mariadb() {
        const std::string dir = stack_dir() + "/mariadb";
        survive("MariaDB clean restart (stop + start on the same data)", [&] {
            run_command("scripts/mariadb.sh stop " + dir);
            run_command("scripts/mariadb.sh start " + dir);
        });
    }

    void kill9_mariadb() {
        const std::string dir = stack_dir() + "/mariadb";
        const pid_t server = pid_in(dir + "/run/mysqld.pid");
        survive("kill -9 of mariadbd (pid " + std::to_string(server) + ") + start, crash recovery", [&] {
            CPPUNIT_ASSERT_EQUAL(0, kill(server, SIGKILL));
            for (int i = 0; i < 100 && kill(server, 0) == 0; ++i)
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            run_command("scripts/mariadb.sh start " + dir);
        });
    }

    void reload_nginx() {
        survive("nginx reload (SIGHUP to its master)",
                [&] { run_command("scripts/nginx.sh reload " + stack_dir() + "/nginx"); });
    }

    void sighup_pool() {
        const pid_t master = serve_master_pid();
        const auto before = serve_worker_pids();
        survive("SIGHUP of the pool (workers replaced one by one)",
                [&] { CPPUNIT_ASSERT_EQUAL(0, kill(master, SIGHUP)); });
        CPPUNIT_ASSERT_EQUAL(master, serve_master_pid());
        // The replacement finishes by itself; the old workers are gone within seconds.
        const auto deadline = SteadyClock::now() + std::chrono::seconds(20);
        for (;;) {
            const auto now = serve_worker_pids();
            bool fresh = now.size() == before.size();
            for (pid_t p : now) fresh = fresh && std::find(before.begin(), before.end(), p) == before.end();
            if (fresh) break;
            if (SteadyClock::now() > deadline) CPPUNIT_FAIL("the pool did not replace every worker after SIGHUP");
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }

    void kill9_every_worker() {
        const auto workers = serve_worker_pids();
        survive("kill -9 of every worker at once (" + std::to_string(workers.size()) + ")", [&] {
            for (pid_t p : workers) CPPUNIT_ASSERT_EQUAL(0, kill(p, SIGKILL));
        });
    }

    void every_acknowledged_heartbeat_is_counted_once() {
        CPPUNIT_ASSERT_EQUAL(static_cast<std::size_t>(kFarmers), load().farmers.size());
        // A last stretch without faults, then the load stops with nothing in flight.
        std::this_thread::sleep_for(std::chrono::seconds(2));
        for (auto& f : load().farmers) f->stop();

        FarmerLedger sum;
        std::vector<std::string> problems;
        std::int64_t db_total = 0;
        std::size_t contracts_checked = 0;
        for (const auto& f : load().farmers) {
            const FarmerLedger& l = f->ledger();
            problems.insert(problems.end(), l.violations.begin(), l.violations.end());
            const std::int64_t counted = db_heartbeats(f->token());
            db_total += counted;
            if (counted != l.expected_heartbeats())
                problems.push_back("farmer " + farmer_id_of(f->token()) + ": the database counts " +
                                   std::to_string(counted) + " heartbeats, the farmer's ledger " +
                                   std::to_string(l.acknowledged) + " acknowledged + " +
                                   std::to_string(l.counted_unreplied) + " counted without a reply");
            for (const LoadFarmer::HeldState& held : f->held()) {
                ++contracts_checked;
                const std::string where = " FROM contracts WHERE file_hash = UNHEX('" + held.file_hash + "')";
                const auto answered = query_strings("SELECT CAST(answered AS CHAR)" + where);
                const auto challenge = query_strings("SELECT CAST(challenge_json AS CHAR(8000))" + where);
                if (answered.size() != 1 || challenge.size() != 1) {
                    problems.push_back("contract " + held.file_hash + " is not in the database once");
                    continue;
                }
                if ((answered.front() == "1") != held.answered)
                    problems.push_back("contract " + held.file_hash + ": answered is " + answered.front() +
                                       " in the database, " + (held.answered ? "1" : "0") + " for the farmer");
                auto doc = json::parse_json(challenge.front());
                json::Buffer buffer;
                json::Writer writer(buffer);
                if (doc) (*doc)->Accept(writer);
                if (!doc || std::string(buffer.GetString(), buffer.GetSize()) != held.challenge_json)
                    problems.push_back("contract " + held.file_hash + ": the database holds another challenge");
            }
            sum.acknowledged += l.acknowledged;
            sum.counted_unreplied += l.counted_unreplied;
            sum.settled_uncounted += l.settled_uncounted;
            sum.failed_requests += l.failed_requests;
            sum.batch_answers += l.batch_answers;
            sum.single_answers += l.single_answers;
            sum.challenges_fetched += l.challenges_fetched;
            sum.contracts_taken += l.contracts_taken;
            sum.contracts_lost += l.contracts_lost;
        }
        std::cout << "  faults injected: " << load().report.size() << "\n";
        for (const auto& line : load().report) std::cout << "    " << line << "\n";
        std::cout << "  load: " << kFarmers << " farmers, " << sum.contracts_taken << " contracts taken, "
                  << sum.batch_answers << " batch and " << sum.single_answers << " single answers decided, "
                  << sum.challenges_fetched << " challenges fetched, " << sum.failed_requests
                  << " requests failed during faults\n"
                  << "  ledger: " << sum.acknowledged << " acknowledged + " << sum.counted_unreplied
                  << " counted without a reply (" << sum.settled_uncounted << " failed answers not counted, "
                  << sum.contracts_lost << " contracts lost to faults); database: " << db_total
                  << " heartbeats; " << contracts_checked << " held contracts compared" << std::endl;
        std::string all;
        for (const auto& p : problems) all += "\n  " + p;
        CPPUNIT_ASSERT_MESSAGE("accounting problems:" + all, problems.empty());
        CPPUNIT_ASSERT_EQUAL(sum.expected_heartbeats(), db_total);
        CPPUNIT_ASSERT(sum.acknowledged > 0);
        // The faults hit requests (else they proved nothing about accounting under faults).
        CPPUNIT_ASSERT_MESSAGE("no farmer request failed during the faults", sum.failed_requests > 0);
        CPPUNIT_ASSERT(contracts_checked > 0);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(FaultLoadTest);

}  // namespace downstream::testing
