#include "api/answer_resolution.h"

#include "base/log.h"
#include "contract/contract_timing.h"
#include "encoding/hex.h"

#include <map>
#include <string_view>

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

namespace {

// One proof against its contract as it stands: timing first, then the scheme's verdict. Ok
// means "valid, to be claimed", not yet counted.
AnswerResult check_answer(const ApiContext& context, const AnswerTarget& t,
                          const store::ContractRecord& c, UnixMillis now) {
    const contract::ContractTiming timing{c.due_ms, c.answered, c.interval_ms};
    switch (contract::answer_step(timing, now)) {
    case contract::AnswerStep::Expired: return AnswerResult::Expired;
    case contract::AnswerStep::AlreadyAnswered: return AnswerResult::AlreadyAnswered;
    case contract::AnswerStep::Verify: break;
    }
    if (!t.proof) return AnswerResult::ProofCorrupted;
    const auto verdict = context.scheme.verify(*t.proof, c.challenge, c.state);
    if (!verdict) {
        log::error("contract " + std::to_string(c.id) + " (file " +
                   encoding::hex_encode(c.file_hash).substr(0, 16) +
                   "): stored state refused: " + verdict.error().message);
        return AnswerResult::StateInvalid;
    }
    switch (*verdict) {
    case proof::Verdict::Invalid: return AnswerResult::ProofInvalid;
    case proof::Verdict::Corrupted: return AnswerResult::ProofCorrupted;
    case proof::Verdict::Valid: return AnswerResult::Ok;
    }
    return AnswerResult::ProofInvalid;
}

}  // namespace

std::optional<std::vector<AnswerResult>> resolve_answers(const ApiContext& context,
                                                         const std::string& token_hash,
                                                         const std::vector<AnswerTarget>& targets,
                                                         UnixMillis now) {
    std::vector<std::string> wanted;
    for (const AnswerTarget& t : targets)
        if (t.file_hash) wanted.push_back(*t.file_hash);
    std::vector<AnswerResult> results(targets.size(), AnswerResult::NotFound);
    // No well-formed file hash: only the token itself is left to look up.
    if (wanted.empty()) {
        if (!context.tokens.find_by_hash(token_hash)) return std::nullopt;
        return results;
    }

    // Decided under the row locks of the transaction that records the claims, on the rows as
    // they stand then; decide runs again if that transaction is retried.
    std::vector<std::size_t> claimed_entry;
    const store::AnswerDecision decide = [&](const std::vector<store::ContractRecord>& found) {
        results.assign(targets.size(), AnswerResult::NotFound);
        claimed_entry.clear();
        std::map<std::string_view, const store::ContractRecord*> by_hash;
        for (const store::ContractRecord& c : found) by_hash.emplace(c.file_hash, &c);
        std::vector<store::AnswerClaim> claims;
        for (std::size_t i = 0; i < targets.size(); ++i) {
            const AnswerTarget& t = targets[i];
            const auto it = t.file_hash ? by_hash.find(*t.file_hash) : by_hash.end();
            if (it == by_hash.end()) continue;  // NotFound
            const store::ContractRecord& c = *it->second;
            results[i] = check_answer(context, t, c, now);
            if (results[i] == AnswerResult::Ok) {
                claims.push_back(store::AnswerClaim{c.id, c.due_ms});
                claimed_entry.push_back(i);
            }
        }
        return claims;
    };
    const auto outcomes = context.contracts.answer(token_hash, wanted, decide, now);
    if (!outcomes) return std::nullopt;
    for (std::size_t k = 0; k < outcomes->size(); ++k) {
        AnswerResult& r = results[claimed_entry[k]];
        switch ((*outcomes)[k]) {
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
