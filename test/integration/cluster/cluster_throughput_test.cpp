// ClusterThroughput: the same closed-loop load of new farmers (token, chunk draw, answer,
// status: four requests, three certified writes per cycle) through pool A alone and through
// both pools, on the same cluster. Prints the figures; asserts only that every cycle was
// clean and every acknowledged answer counted (speed targets live in benchmarks, and on one
// shared machine both pools compete for the same cores).
#include "integration/cluster/cluster_env.h"
#include "integration/cluster/onboarding_load.h"

#include <cppunit/extensions/HelperMacros.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <set>

namespace downstream::testing::cluster {
namespace {

int threads_from_env() {
    const char* text = std::getenv("DOWNSTREAM_CLUSTER_LOAD_THREADS");
    return text && *text ? std::max(1, std::atoi(text)) : 8;
}

std::chrono::milliseconds duration_from_env() {
    const char* text = std::getenv("DOWNSTREAM_CLUSTER_LOAD_SECONDS");
    return std::chrono::milliseconds(text && *text ? std::max(1, std::atoi(text)) * 1000 : 8000);
}

// Runs the load through `via` and checks what it left in the database.
OnboardingTally measured_run(Via via, std::int64_t max_cycles) {
    Member& reader = member(3);
    const std::int64_t pool_before = node_pool_chunks(reader);
    OnboardingPlan plan;
    plan.via = via;
    plan.threads = threads_from_env();
    plan.duration = duration_from_env();
    plan.max_cycles = max_cycles;
    OnboardingTally tally = run_onboarding(plan);

    const std::string problems = tally.problems.empty() ? "" : tally.problems.front();
    CPPUNIT_ASSERT_MESSAGE(describe(via) + ": no cycle completed", tally.cycles > 0);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(describe(via) + ": " + problems, std::int64_t{0}, tally.failed_cycles);
    CPPUNIT_ASSERT_EQUAL(tally.cycles, tally.answers_ok);
    std::set<std::string> seeds(tally.seeds.begin(), tally.seeds.end());
    CPPUNIT_ASSERT_EQUAL(tally.seeds.size(), seeds.size());
    CPPUNIT_ASSERT_EQUAL(static_cast<std::int64_t>(seeds.size()), pool_before - node_pool_chunks(reader));
    for (const auto& [farmer_id, oks] : tally.ok_by_farmer)
        CPPUNIT_ASSERT_EQUAL(oks, reader.number("SELECT heartbeats FROM tokens WHERE farmer_id = '" + farmer_id + "'"));
    return tally;
}

void print(const char* label, const OnboardingTally& t) {
    std::printf("ClusterThroughput: %-11s %5lld cycles in %5.1f s = %6.1f cycles/s, %7.1f requests/s\n",
                label, static_cast<long long>(t.cycles), t.seconds, t.cycles_per_second(),
                t.requests_per_second());
    std::fflush(stdout);
}

}  // namespace

class ClusterThroughput : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ClusterThroughput);
    CPPUNIT_TEST(twoPoolsAgainstOne);
    CPPUNIT_TEST_SUITE_END();

public:
    void twoPoolsAgainstOne() {
        // A third of the 4 KiB chunks for each run (test-cluster.sh fills the pool for it; the
        // last third is for ClusterFailover's background load).
        const std::int64_t each = member(3).number(
            "SELECT COUNT(*) FROM chunk_pool WHERE size = 4096") / 3;
        CPPUNIT_ASSERT(each > 0);
        const OnboardingTally one = measured_run(Via::PoolA, each);
        const OnboardingTally two = measured_run(Via::BothPools, each);
        const int threads = threads_from_env();
        std::printf("ClusterThroughput: %d client threads, each cycle = GET /new, GET /chunk (1 x 4 KiB),"
                    " POST /answer, GET /status/show\n", threads);
        print("one pool", one);
        print("two pools", two);
        std::printf("ClusterThroughput: two pools / one pool = %.2f\n",
                    one.cycles_per_second() > 0 ? two.cycles_per_second() / one.cycles_per_second() : 0.0);
        std::fflush(stdout);
        if (one.cycles >= each || two.cycles >= each)
            std::cout << "ClusterThroughput: a run used up its share of the pool (" << each
                      << " chunks) before its time: fill more 4 KiB chunks for a longer run" << std::endl;
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ClusterThroughput);

}  // namespace downstream::testing::cluster
