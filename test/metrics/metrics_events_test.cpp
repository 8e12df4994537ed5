#include "metrics/metrics_events.h"

#include "api/answer_resolution.h"
#include "metrics/metrics_table.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace downstream;
using api::AnswerResult;
using metrics::ProofResult;

class MetricsEventsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(MetricsEventsTest);
    CPPUNIT_TEST(everyAnswerResultHasItsOwnName);
    CPPUNIT_TEST(eventsLandInTheTable);
    CPPUNIT_TEST(theDefaultSinkIgnoresEverything);
    CPPUNIT_TEST_SUITE_END();

public:
    void everyAnswerResultHasItsOwnName() {
        // The farmer's words (answer_message) and the metric's label for each result.
        const std::pair<AnswerResult, std::string> expected[] = {
            {AnswerResult::Ok, "ok"},
            {AnswerResult::ProofInvalid, "invalid"},
            {AnswerResult::ProofCorrupted, "corrupted"},
            {AnswerResult::Expired, "expired"},
            {AnswerResult::NotFound, "not_found"},
            {AnswerResult::AlreadyAnswered, "already_answered"},
            {AnswerResult::StateInvalid, "state_invalid"},
        };
        CPPUNIT_ASSERT_EQUAL(metrics::kProofResults, std::size(expected));
        for (const auto& [result, name] : expected)
            CPPUNIT_ASSERT_EQUAL(name, std::string(metrics::proof_result_name(metrics::proof_result_of(result))));
    }

    void eventsLandInTheTable() {
        metrics::MetricsTable table({"GET /x"});
        metrics::MetricsEvents events(table);
        api::ApiEvents& sink = events;
        sink.token_issued();
        sink.token_issued();
        sink.contracts_issued(3, 3 * 32768);
        sink.contracts_issued(0, 0);
        sink.challenges_issued(2);
        sink.challenges_issued(0);
        sink.answer_checked(AnswerResult::Ok);
        sink.answer_checked(AnswerResult::AlreadyAnswered);
        sink.answer_checked(AnswerResult::AlreadyAnswered);
        const metrics::MetricsSnapshot s = table.snapshot();
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{2}, s.tokens_issued);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{3}, s.contracts_issued);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{98304}, s.contract_bytes_issued);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{2}, s.challenges_issued);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{1}, s.proofs[static_cast<std::size_t>(ProofResult::Ok)]);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{2}, s.proofs[static_cast<std::size_t>(ProofResult::AlreadyAnswered)]);
    }

    void theDefaultSinkIgnoresEverything() {
        api::ApiEvents& none = api::ApiEvents::none();
        none.token_issued();
        none.answer_checked(AnswerResult::Ok);
        CPPUNIT_ASSERT_EQUAL(&none, &api::ApiEvents::none());
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(MetricsEventsTest);
