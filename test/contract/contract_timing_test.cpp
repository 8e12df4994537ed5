#include "contract/contract_timing.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace downstream::contract;

// Hand-worked timelines of the design notes' state machine: interval 60 s, a contract issued at
// t = 1,000,000 ms, so its first challenge is due at 1,060,000.
class ContractTimingTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ContractTimingTest);
    CPPUNIT_TEST(unansweredContractExpiresAtDue);
    CPPUNIT_TEST(answerBeforeDueIsVerified);
    CPPUNIT_TEST(answerAtDueIsLate);
    CPPUNIT_TEST(answeredContractLivesOneMoreInterval);
    CPPUNIT_TEST(secondAnswerIsAlreadyAnswered);
    CPPUNIT_TEST(challengeBeforeDueIsTheCurrentOne);
    CPPUNIT_TEST(challengeAfterDueOfAnsweredContractIssuesNext);
    CPPUNIT_TEST(nextChallengeKeepsTheExpiration);
    CPPUNIT_TEST(fullLifecycle);
    CPPUNIT_TEST_SUITE_END();

    const ContractTiming issued{1060000, false, 60000};

public:
    void unansweredContractExpiresAtDue() {
        CPPUNIT_ASSERT_EQUAL(1060000LL, static_cast<long long>(expiration_ms(issued)));
        CPPUNIT_ASSERT(!is_expired(issued, 1059999));
        CPPUNIT_ASSERT(is_expired(issued, 1060000));
        CPPUNIT_ASSERT(challenge_step(issued, 1060000) == ChallengeStep::Expired);
    }
    void answerBeforeDueIsVerified() {
        CPPUNIT_ASSERT(answer_step(issued, 1000000) == AnswerStep::Verify);
        CPPUNIT_ASSERT(answer_step(issued, 1059999) == AnswerStep::Verify);
    }
    void answerAtDueIsLate() {
        CPPUNIT_ASSERT(answer_step(issued, 1060000) == AnswerStep::Expired);
    }
    void answeredContractLivesOneMoreInterval() {
        const ContractTiming a = answered(issued);
        CPPUNIT_ASSERT_EQUAL(1120000LL, static_cast<long long>(expiration_ms(a)));
        CPPUNIT_ASSERT(!is_expired(a, 1119999));
        CPPUNIT_ASSERT(is_expired(a, 1120000));
    }
    void secondAnswerIsAlreadyAnswered() {
        CPPUNIT_ASSERT(answer_step(answered(issued), 1050000) == AnswerStep::AlreadyAnswered);
        // Past due, the answered challenge is still "already answered" until it expires.
        CPPUNIT_ASSERT(answer_step(answered(issued), 1070000) == AnswerStep::AlreadyAnswered);
        CPPUNIT_ASSERT(answer_step(answered(issued), 1120000) == AnswerStep::Expired);
    }
    void challengeBeforeDueIsTheCurrentOne() {
        CPPUNIT_ASSERT(challenge_step(issued, 1000000) == ChallengeStep::Current);
        CPPUNIT_ASSERT(challenge_step(answered(issued), 1059999) == ChallengeStep::Current);
    }
    void challengeAfterDueOfAnsweredContractIssuesNext() {
        CPPUNIT_ASSERT(challenge_step(answered(issued), 1060000) == ChallengeStep::IssueNext);
        CPPUNIT_ASSERT(challenge_step(answered(issued), 1119999) == ChallengeStep::IssueNext);
        CPPUNIT_ASSERT(challenge_step(answered(issued), 1120000) == ChallengeStep::Expired);
    }
    void nextChallengeKeepsTheExpiration() {
        const ContractTiming next = next_challenge(answered(issued));
        CPPUNIT_ASSERT_EQUAL(1120000LL, static_cast<long long>(next.due_ms));
        CPPUNIT_ASSERT(!next.answered);
        CPPUNIT_ASSERT_EQUAL(static_cast<long long>(expiration_ms(answered(issued))),
                             static_cast<long long>(expiration_ms(next)));
    }
    void fullLifecycle() {
        // issued → answered at 1,030,000 → next challenge at 1,065,000 (due 1,120,000) →
        // answered at 1,100,000 → nobody asks → expired at 1,180,000.
        ContractTiming c = issued;
        CPPUNIT_ASSERT(answer_step(c, 1030000) == AnswerStep::Verify);
        c = answered(c);
        CPPUNIT_ASSERT(challenge_step(c, 1065000) == ChallengeStep::IssueNext);
        c = next_challenge(c);
        CPPUNIT_ASSERT(challenge_step(c, 1065001) == ChallengeStep::Current);
        CPPUNIT_ASSERT(answer_step(c, 1100000) == AnswerStep::Verify);
        c = answered(c);
        CPPUNIT_ASSERT(!is_expired(c, 1179999));
        CPPUNIT_ASSERT(is_expired(c, 1180000));
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(ContractTimingTest);
