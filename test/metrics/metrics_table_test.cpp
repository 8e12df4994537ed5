#include "metrics/metrics_table.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cppunit/extensions/HelperMacros.h>

#include <stdexcept>
#include <thread>
#include <vector>

using namespace downstream::metrics;

namespace {

const std::vector<std::string> kLabels{"GET /api/downstream/v1/chunk/<token>", "POST /api/downstream/v1/answer/<token>",
                                       "GET /metrics"};

// Runs `body` in a child process and waits for it; the child's exit code must be 0.
template <class Body>
void in_child(Body body) {
    const pid_t pid = ::fork();
    CPPUNIT_ASSERT(pid >= 0);
    if (pid == 0) {
        body();
        ::_exit(0);
    }
    int status = 0;
    CPPUNIT_ASSERT_EQUAL(pid, ::waitpid(pid, &status, 0));
    CPPUNIT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

}  // namespace

class MetricsTableTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(MetricsTableTest);
    CPPUNIT_TEST(labelsGetSlotsInOrderAndTheRestGoToOther);
    CPPUNIT_TEST(duplicateLabelsShareOneSlot);
    CPPUNIT_TEST(aLabelWithoutMethodIsRefused);
    CPPUNIT_TEST(requestsAreCountedByClassAndLatency);
    CPPUNIT_TEST(countersAndProofsAreCounted);
    CPPUNIT_TEST(childProcessesAddToTheSameTable);
    CPPUNIT_TEST(concurrentThreadsLoseNoCount);
    CPPUNIT_TEST_SUITE_END();

public:
    void labelsGetSlotsInOrderAndTheRestGoToOther() {
        MetricsTable table(kLabels);
        CPPUNIT_ASSERT_EQUAL(std::size_t{0}, table.slot_of("GET /api/downstream/v1/chunk/<token>"));
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, table.slot_of("GET /metrics"));
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, table.other_slot());
        CPPUNIT_ASSERT_EQUAL(table.other_slot(), table.slot_of("GET /api/downstream/v1/<redacted>"));
        CPPUNIT_ASSERT_EQUAL(table.other_slot(), table.slot_of("HEAD /metrics"));
        const MetricsSnapshot s = table.snapshot();
        CPPUNIT_ASSERT_EQUAL(std::size_t{4}, s.routes.size());
        CPPUNIT_ASSERT_EQUAL(std::string("POST"), s.routes[1].method);
        CPPUNIT_ASSERT_EQUAL(std::string("/api/downstream/v1/answer/<token>"), s.routes[1].route);
        CPPUNIT_ASSERT_EQUAL(std::string("<other>"), s.routes[3].route);
    }

    void duplicateLabelsShareOneSlot() {
        MetricsTable table({"GET /a", "GET /b", "GET /a"});
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, table.other_slot());
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, table.slot_of("GET /b"));
    }

    void aLabelWithoutMethodIsRefused() {
        CPPUNIT_ASSERT_THROW(MetricsTable({"/metrics"}), std::invalid_argument);
        CPPUNIT_ASSERT_THROW(MetricsTable({"GET "}), std::invalid_argument);
    }

    void requestsAreCountedByClassAndLatency() {
        MetricsTable table(kLabels);
        table.record_request(0, 200, 400);
        table.record_request(0, 204, 20000);
        table.record_request(0, 404, 20001);
        table.record_request(0, 503, 99000000);
        table.record_request(0, 0, 1);  // never sent a status
        table.record_request(table.other_slot() + 5, 200, 1);  // out of range: other
        const MetricsSnapshot s = table.snapshot();
        const RouteFigures& r = s.routes[0];
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{2}, r.by_class[1]);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{1}, r.by_class[3]);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{1}, r.by_class[4]);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{1}, r.by_class[5]);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{5}, r.requests());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{2}, r.latency[0]);   // 400 us and 1 us
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{1}, r.latency[6]);   // 20 ms exactly
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{1}, r.latency[7]);   // just above
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{1}, r.latency[16]);  // 99 s: +Inf
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{400 + 20000 + 20001 + 99000000 + 1}, r.latency_sum_us);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{1}, s.routes.back().requests());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{0}, s.routes[1].requests());
    }

    void countersAndProofsAreCounted() {
        MetricsTable table(kLabels);
        table.add(Counter::TokensIssued);
        table.add(Counter::ContractBytesIssued, 65536);
        table.add(Counter::DbErrors, 3);
        table.add(Counter::DbSessionsOpened, 2);
        table.add_proof(ProofResult::Invalid);
        table.add_proof(ProofResult::Invalid);
        table.add_proof(ProofResult::StateInvalid);
        const MetricsSnapshot s = table.snapshot();
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{1}, s.tokens_issued);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{0}, s.contracts_issued);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{65536}, s.contract_bytes_issued);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{3}, s.database.errors);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{2}, s.database.sessions_opened);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{0}, s.database.transactions);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{2}, s.proofs[static_cast<std::size_t>(ProofResult::Invalid)]);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{1}, s.proofs[static_cast<std::size_t>(ProofResult::StateInvalid)]);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{0}, s.proofs[static_cast<std::size_t>(ProofResult::Ok)]);
    }

    void childProcessesAddToTheSameTable() {
        // As the worker pool uses it: created before fork, counted in children.
        MetricsTable table(kLabels);
        table.add(Counter::TokensIssued);
        for (int child = 0; child < 3; ++child) {
            in_child([&] {
                table.add(Counter::TokensIssued, 10);
                table.record_request(1, 200, 1000);
                table.add_proof(ProofResult::Ok);
            });
        }
        const MetricsSnapshot s = table.snapshot();
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{31}, s.tokens_issued);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{3}, s.routes[1].by_class[1]);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{3}, s.routes[1].latency[1]);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{3}, s.proofs[0]);
    }

    void concurrentThreadsLoseNoCount() {
        MetricsTable table(kLabels);
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&] {
                for (int i = 0; i < 10000; ++i) table.record_request(2, 200, 3000);
            });
        for (auto& t : threads) t.join();
        const MetricsSnapshot s = table.snapshot();
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{40000}, s.routes[2].by_class[1]);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{40000}, s.routes[2].latency[3]);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{120000000}, s.routes[2].latency_sum_us);
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(MetricsTableTest);
