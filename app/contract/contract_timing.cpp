#include "contract/contract_timing.h"

namespace downstream::contract {

UnixMillis expiration_ms(const ContractTiming& timing) {
    return timing.answered ? timing.due_ms + timing.interval_ms : timing.due_ms;
}

bool is_expired(const ContractTiming& timing, UnixMillis now_ms) {
    return now_ms >= expiration_ms(timing);
}

ChallengeStep challenge_step(const ContractTiming& timing, UnixMillis now_ms) {
    if (is_expired(timing, now_ms)) return ChallengeStep::Expired;
    // Not expired and at or after due implies answered (an unanswered contract expires at due).
    if (now_ms >= timing.due_ms) return ChallengeStep::IssueNext;
    return ChallengeStep::Current;
}

ContractTiming next_challenge(const ContractTiming& timing) {
    return ContractTiming{timing.due_ms + timing.interval_ms, false, timing.interval_ms};
}

AnswerStep answer_step(const ContractTiming& timing, UnixMillis now_ms) {
    if (is_expired(timing, now_ms)) return AnswerStep::Expired;
    if (timing.answered) return AnswerStep::AlreadyAnswered;
    return AnswerStep::Verify;
}

ContractTiming answered(const ContractTiming& timing) {
    return ContractTiming{timing.due_ms, true, timing.interval_ms};
}

}  // namespace downstream::contract
