#include "api/answer_resolution.h"

#include "base/log.h"
#include "contract/contract_timing.h"
#include "encoding/hex.h"

#include <map>

namespace downstream::api {

const char* answer_message(AnswerResult result) {
    switch (result) {
    case AnswerResult::Ok: return "ok";
    case AnswerResult::ProofInvalid: return "proof invalid";
    case AnswerResult::ProofCorrupted: return "proof corrupted";
    case AnswerResult::Expired: return "contract expired";
    case AnswerResult::NotFound: return "contract not found";
    case AnswerResult::AlreadyAnswered: return "challenge already answered";
    case AnswerResult::StateInvalid: return "contract state invalid";
    }
    return "internal error";
}

std::optional<std::vector<AnswerResult>> resolve_answers(const ApiContext& context,
                                                         const std::string& token_hash,
                                                         const std::vector<AnswerTarget>& targets,
                                                         UnixMillis now) {
    std::vector<std::string> wanted;
    for (const AnswerTarget& t : targets)
        if (t.file_hash) wanted.push_back(*t.file_hash);
    std::vector<store::ContractRecord> found;
    if (!wanted.empty()) found = context.contracts.find_many_by_token_hash(token_hash, wanted);
    std::vector<AnswerResult> results(targets.size(), AnswerResult::NotFound);
    // No contract found: the token itself may be unknown, which is what the farmer hears then.
    if (found.empty()) {
        if (!context.tokens.find_by_hash(token_hash)) return std::nullopt;
        return results;
    }
    const std::int64_t token_id = found.front().token_id;
    std::map<std::string, store::ContractRecord> by_hash;
    for (store::ContractRecord& c : found) by_hash.emplace(c.file_hash, std::move(c));

    std::vector<store::AnswerClaim> claims;
    std::vector<std::size_t> claimed_entry;
    for (std::size_t i = 0; i < targets.size(); ++i) {
        const AnswerTarget& t = targets[i];
        const auto it = t.file_hash ? by_hash.find(*t.file_hash) : by_hash.end();
        if (it == by_hash.end()) continue;  // NotFound
        const store::ContractRecord& c = it->second;
        const contract::ContractTiming timing{c.due_ms, c.answered, c.interval_ms};
        switch (contract::answer_step(timing, now)) {
        case contract::AnswerStep::Expired:
            results[i] = AnswerResult::Expired;
            continue;
        case contract::AnswerStep::AlreadyAnswered:
            results[i] = AnswerResult::AlreadyAnswered;
            continue;
        case contract::AnswerStep::Verify:
            break;
        }
        if (!t.proof) {
            results[i] = AnswerResult::ProofCorrupted;
            continue;
        }
        const auto verdict = context.scheme.verify(*t.proof, c.challenge, c.state);
        if (!verdict) {
            log::error("contract " + std::to_string(c.id) + " (file " +
                       encoding::hex_encode(c.file_hash).substr(0, 16) +
                       "): stored state refused: " + verdict.error().message);
            results[i] = AnswerResult::StateInvalid;
            continue;
        }
        switch (*verdict) {
        case proof::Verdict::Invalid:
            results[i] = AnswerResult::ProofInvalid;
            continue;
        case proof::Verdict::Corrupted:
            results[i] = AnswerResult::ProofCorrupted;
            continue;
        case proof::Verdict::Valid:
            claims.push_back(store::AnswerClaim{c.id, c.due_ms});
            claimed_entry.push_back(i);
            continue;
        }
    }
    if (claims.empty()) return results;

    const auto outcomes = context.contracts.accept_answers(token_id, claims, now);
    for (std::size_t k = 0; k < claims.size(); ++k) {
        AnswerResult& r = results[claimed_entry[k]];
        switch (outcomes[k]) {
        case store::AnswerOutcome::Accepted: r = AnswerResult::Ok; break;
        case store::AnswerOutcome::Expired: r = AnswerResult::Expired; break;
        case store::AnswerOutcome::NotFound: r = AnswerResult::NotFound; break;
        // A newer challenge means this one was answered and fell due meanwhile.
        case store::AnswerOutcome::ChallengeChanged:
        case store::AnswerOutcome::AlreadyAnswered: r = AnswerResult::AlreadyAnswered; break;
        }
    }
    return results;
}

}  // namespace downstream::api
