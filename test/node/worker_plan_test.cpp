#include "node/worker_plan.h"

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>

using downstream::node::plan_workers;
using downstream::node::WorkerPlan;
using downstream::node::WorkerView;

namespace {

WorkerView worker(int id, int generation, bool ready, bool stopping = false) {
    return WorkerView{id, generation, ready, stopping};
}

}  // namespace

class WorkerPlanTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(WorkerPlanTest);
    CPPUNIT_TEST(startupStartsEveryWorkerAtOnce);
    CPPUNIT_TEST(steadyStateDoesNothing);
    CPPUNIT_TEST(deadWorkerIsReplaced);
    CPPUNIT_TEST(backoffHoldsTheReplacement);
    CPPUNIT_TEST(reloadReplacesOneByOne);
    CPPUNIT_TEST(reloadShrinkingThePool);
    CPPUNIT_TEST(reloadGrowingThePool);
    CPPUNIT_TEST(stoppingWorkersDoNotCount);
    CPPUNIT_TEST_SUITE_END();

public:
    void startupStartsEveryWorkerAtOnce() {
        WorkerPlan plan = plan_workers({}, 1, 4, true);
        CPPUNIT_ASSERT_EQUAL(4, plan.start);
        CPPUNIT_ASSERT(plan.stop.empty());
    }
    void steadyStateDoesNothing() {
        WorkerPlan plan = plan_workers({worker(1, 1, true), worker(2, 1, false)}, 1, 2, true);
        CPPUNIT_ASSERT_EQUAL(0, plan.start);
        CPPUNIT_ASSERT(plan.stop.empty());
    }
    void deadWorkerIsReplaced() {
        WorkerPlan plan = plan_workers({worker(1, 1, true)}, 1, 2, true);
        CPPUNIT_ASSERT_EQUAL(1, plan.start);
    }
    void backoffHoldsTheReplacement() {
        WorkerPlan plan = plan_workers({worker(1, 1, true)}, 1, 2, false);
        CPPUNIT_ASSERT_EQUAL(0, plan.start);
    }
    void reloadReplacesOneByOne() {
        // Simulate the master: two generation-1 workers, reload to generation 2, target 2.
        std::vector<WorkerView> pool = {worker(1, 1, true), worker(2, 1, true)};
        int next_id = 10;
        int min_ready = 2;
        for (int step = 0; step < 20; ++step) {
            WorkerPlan plan = plan_workers(pool, 2, 2, true);
            CPPUNIT_ASSERT(plan.start <= 1);  // one new worker at a time while old ones serve
            for (int id : plan.stop) {
                auto it = std::find_if(pool.begin(), pool.end(), [id](const WorkerView& w) { return w.id == id; });
                CPPUNIT_ASSERT(it != pool.end());
                it->stopping = true;
            }
            // Stopped workers exit; the ready capacity never drops below the target.
            pool.erase(std::remove_if(pool.begin(), pool.end(), [](const WorkerView& w) { return w.stopping; }),
                       pool.end());
            int ready = 0;
            for (const auto& w : pool) ready += w.ready ? 1 : 0;
            min_ready = std::min(min_ready, ready);
            for (int i = 0; i < plan.start; ++i) pool.push_back(worker(next_id++, 2, false));
            // New workers become ready before the next decision.
            for (auto& w : pool) w.ready = true;
        }
        CPPUNIT_ASSERT_EQUAL(2, min_ready);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, pool.size());
        for (const auto& w : pool) CPPUNIT_ASSERT_EQUAL(2, w.generation);
        CPPUNIT_ASSERT_EQUAL(12, next_id);  // exactly two forks
    }
    void reloadShrinkingThePool() {
        WorkerPlan first = plan_workers({worker(1, 1, true), worker(2, 1, true), worker(3, 1, true)}, 2, 1, true);
        // Down to the new target at once, but the last old worker serves until a new one is
        // ready: capacity never falls below the target.
        CPPUNIT_ASSERT_EQUAL(1, first.start);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, first.stop.size());
        WorkerPlan second = plan_workers({worker(1, 1, true, true), worker(2, 1, true, true),
                                          worker(3, 1, true), worker(4, 2, true)}, 2, 1, true);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, second.stop.size());
        CPPUNIT_ASSERT_EQUAL(3, second.stop[0]);
        CPPUNIT_ASSERT_EQUAL(0, second.start);
    }
    void reloadGrowingThePool() {
        WorkerPlan plan = plan_workers({worker(1, 1, true), worker(2, 2, true)}, 2, 3, true);
        CPPUNIT_ASSERT(plan.stop.empty());  // 1 new ready + 1 old = 2 < 3
        CPPUNIT_ASSERT_EQUAL(1, plan.start);
        WorkerPlan done = plan_workers({worker(1, 1, true), worker(2, 2, true), worker(3, 2, true), worker(4, 2, true)},
                                       2, 3, true);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, done.stop.size());
        CPPUNIT_ASSERT_EQUAL(1, done.stop[0]);
    }
    void stoppingWorkersDoNotCount() {
        WorkerPlan plan = plan_workers({worker(1, 1, true, true), worker(2, 1, true)}, 1, 2, true);
        CPPUNIT_ASSERT_EQUAL(1, plan.start);
        CPPUNIT_ASSERT(plan.stop.empty());
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(WorkerPlanTest);
