// ClusterLoad: farmers through nginx over both pools (so over members 1 and 2; member 3 filled
// the pool and is read here), their contract draws released at the same moment. Afterwards
// the database must hold exactly what the node acknowledged, identically on every member: no
// chunk handed out twice, every "ok" counted once, the same farmers and contracts, the same
// status through either pool.
#include "integration/cluster/cluster_env.h"
#include "integration/cluster/ledger_farmer.h"
#include "integration/cluster/start_gate.h"

#include "farmer/http_client.h"

#include <cppunit/extensions/HelperMacros.h>

#include <iostream>
#include <set>
#include <thread>

namespace downstream::testing::cluster {
namespace {

constexpr int kFarmers = 12;
constexpr std::int64_t kBytes = 32768;  // four 8 KiB chunks each
constexpr int kChunksEach = 4;
constexpr int kRounds = 3;

// /status/show/<id> through `via` with "uptime" removed (it moves with the clock).
std::string status_without_uptime(Via via, const std::string& farmer_id) {
    farmer::HttpClientOptions options;
    options.endpoint = endpoint(via);
    farmer::HttpClient client(options);
    const farmer::HttpResponse r = client.get("/api/downstream/v1/status/show/" + farmer_id);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
    std::string body = r.body;
    const auto at = body.find(",\"uptime\":");
    CPPUNIT_ASSERT(at != std::string::npos);
    body.erase(at, body.find('}', at) - at);
    return body;
}

}  // namespace

class ClusterLoad : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ClusterLoad);
    CPPUNIT_TEST(farmersOverBothPoolsAreCountedOnceOnEveryMember);
    CPPUNIT_TEST_SUITE_END();

public:
    void farmersOverBothPoolsAreCountedOnceOnEveryMember() {
        Member& reader = member(3);
        const std::int64_t pool_before = node_pool_chunks(reader);
        const std::int64_t contracts_before = reader.number("SELECT COUNT(*) FROM contracts");
        CPPUNIT_ASSERT_MESSAGE("the pool is too small for the test", pool_before >= kFarmers * kChunksEach);
        std::int64_t commits_before[3];
        for (int n = 1; n <= 3; ++n) commits_before[n - 1] = member(n).status("wsrep_local_commits");
        const std::size_t log_from = access_log_lines();

        std::vector<FarmerLedger> ledgers(kFarmers);
        StartGate gate(kFarmers);
        std::vector<std::thread> threads;
        for (int i = 0; i < kFarmers; ++i)
            threads.emplace_back([&, i] {
                FarmerPlan plan;
                plan.size = kBytes;
                plan.rounds = kRounds;
                plan.before_contracts = &gate;
                run_farmer(plan, ledgers[static_cast<std::size_t>(i)]);
            });
        for (auto& t : threads) t.join();

        // Every farmer farmed cleanly: all contracts, every answer accepted, every round.
        std::int64_t oks = 0;
        std::set<std::string> seeds;
        std::size_t seeds_received = 0;
        for (const FarmerLedger& l : ledgers) {
            const std::string problems = l.problems.empty() ? "" : l.problems.front();
            CPPUNIT_ASSERT_MESSAGE("farmer without a token: " + problems, !l.token.empty());
            // Four 8 KiB chunks, or 4 KiB ones in place of some when a draw skipped 8 KiB
            // chunks that other draws held locked at that moment (SKIP LOCKED).
            CPPUNIT_ASSERT_EQUAL_MESSAGE(problems, kBytes, l.contract_bytes);
            CPPUNIT_ASSERT_MESSAGE(problems, l.seeds.size() >= std::size_t{kChunksEach});
            CPPUNIT_ASSERT_EQUAL_MESSAGE(problems, static_cast<std::int64_t>(l.seeds.size()) * kRounds, l.answers_ok);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(problems, std::int64_t{0}, l.answers_unknown + l.answers_refused);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(problems, std::int64_t{0}, l.request_failures);
            CPPUNIT_ASSERT_EQUAL(kRounds, l.rounds_done);
            oks += l.answers_ok;
            seeds_received += l.seeds.size();
            seeds.insert(l.seeds.begin(), l.seeds.end());
        }

        // No chunk handed out twice: distinct seeds for the farmers, and the pool lost exactly
        // the chunks that became contracts.
        CPPUNIT_ASSERT_EQUAL(seeds_received, seeds.size());
        const std::int64_t contracts = reader.number("SELECT COUNT(*) FROM contracts") - contracts_before;
        const std::int64_t drawn = pool_before - node_pool_chunks(reader);
        CPPUNIT_ASSERT_EQUAL(static_cast<std::int64_t>(seeds.size()), contracts);
        CPPUNIT_ASSERT_EQUAL(contracts, drawn);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, reader.number("SELECT COUNT(*) FROM (SELECT seed FROM files"
                                                            " GROUP BY seed HAVING COUNT(*) > 1) d"));

        // Every ok counted exactly once, per farmer, on every member.
        for (int n = 1; n <= 3; ++n) {
            std::int64_t counted = 0;
            for (const FarmerLedger& l : ledgers) {
                const std::int64_t heartbeats = member(n).number(
                    "SELECT heartbeats FROM tokens WHERE farmer_id = '" + l.farmer_id + "'");
                CPPUNIT_ASSERT_EQUAL_MESSAGE("member " + std::to_string(n) + ", farmer " + l.farmer_id,
                                             l.answers_ok, heartbeats);
                counted += heartbeats;
            }
            CPPUNIT_ASSERT_EQUAL(oks, counted);
        }

        // The same data on every member, and the same status through either pool.
        const TableSnapshot reference = snapshot(member(1));
        for (int n = 2; n <= 3; ++n) {
            const TableSnapshot other = snapshot(member(n));
            CPPUNIT_ASSERT_MESSAGE("member " + std::to_string(n) + "'s tokens differ from member 1's",
                                   reference.tokens == other.tokens);
            CPPUNIT_ASSERT_MESSAGE("member " + std::to_string(n) + "'s contracts differ from member 1's",
                                   reference.contracts == other.contracts);
            CPPUNIT_ASSERT_EQUAL(reference.pool_chunks, other.pool_chunks);
        }
        for (const FarmerLedger& l : ledgers) {
            const std::string a = status_without_uptime(Via::PoolA, l.farmer_id);
            const std::string b = status_without_uptime(Via::PoolB, l.farmer_id);
            // "online" can flip between the two reads when a contract expires just then.
            if (a != b) CPPUNIT_ASSERT_EQUAL(status_without_uptime(Via::PoolA, l.farmer_id), b);
        }

        // Both pools served, writes started on members 1 and 2 (the pools'), none on 3.
        const auto per_pool = requests_per_pool(log_from);
        std::int64_t commits[3];
        for (int n = 1; n <= 3; ++n) commits[n - 1] = member(n).status("wsrep_local_commits") - commits_before[n - 1];
        CPPUNIT_ASSERT(per_pool.at("A") > 0);
        CPPUNIT_ASSERT(per_pool.at("B") > 0);
        CPPUNIT_ASSERT(commits[0] > 0);
        CPPUNIT_ASSERT(commits[1] > 0);
        std::int64_t cert_failures = 0;
        for (int n = 1; n <= 3; ++n) cert_failures += member(n).status("wsrep_local_cert_failures");

        std::cout << "ClusterLoad: " << kFarmers << " farmers, " << contracts << " contracts from "
                  << drawn << " pool chunks (" << seeds.size() << " distinct seeds), " << oks
                  << " answers ok = " << oks << " heartbeats counted on each of 3 members; requests via pool A "
                  << per_pool.at("A") << ", via pool B " << per_pool.at("B")
                  << "; transactions committed through member 1: " << commits[0] << ", 2: " << commits[1]
                  << ", 3: " << commits[2] << "; certification failures so far (all members): "
                  << cert_failures << "; " << reference.tokens.size()
                  << " farmer rows identical on 3 members, status/show identical through both pools"
                  << std::endl;
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ClusterLoad);

}  // namespace downstream::testing::cluster
