#include "metrics/metrics_events.h"

#include "api/answer_resolution.h"
#include "metrics/metrics_table.h"

namespace downstream::metrics {

ProofResult proof_result_of(api::AnswerResult result) {
    using api::AnswerResult;
    switch (result) {
    case AnswerResult::Ok: return ProofResult::Ok;
    case AnswerResult::ProofInvalid: return ProofResult::Invalid;
    case AnswerResult::ProofCorrupted: return ProofResult::Corrupted;
    case AnswerResult::Expired: return ProofResult::Expired;
    case AnswerResult::NotFound: return ProofResult::NotFound;
    case AnswerResult::AlreadyAnswered: return ProofResult::AlreadyAnswered;
    case AnswerResult::StateInvalid: return ProofResult::StateInvalid;
    }
    return ProofResult::StateInvalid;
}

void MetricsEvents::token_issued() { table_.add(Counter::TokensIssued); }

void MetricsEvents::contracts_issued(std::size_t count, std::int64_t bytes) {
    if (count == 0) return;
    table_.add(Counter::ContractsIssued, count);
    table_.add(Counter::ContractBytesIssued, static_cast<std::uint64_t>(bytes > 0 ? bytes : 0));
}

void MetricsEvents::challenges_issued(std::size_t count) {
    if (count > 0) table_.add(Counter::ChallengesIssued, count);
}

void MetricsEvents::answer_checked(api::AnswerResult result) {
    table_.add_proof(proof_result_of(result));
}

}  // namespace downstream::metrics
