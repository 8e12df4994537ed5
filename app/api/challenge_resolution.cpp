#include "api/challenge_resolution.h"

#include "base/log.h"
#include "contract/contract_timing.h"
#include "encoding/hex.h"

#include <algorithm>

namespace downstream::api {
namespace {

using Kind = ChallengeOutcome::Kind;

contract::ContractTiming timing_of(const store::ContractRecord& c) {
    return contract::ContractTiming{c.due_ms, c.answered, c.interval_ms};
}

ChallengeOutcome current(const store::ContractRecord& c) {
    return ChallengeOutcome{Kind::Current, c.challenge_json, c.due_ms, c.answered};
}

// The outcome of a contract as stored, without issuing anything.
ChallengeOutcome as_stored(const store::ContractRecord& c, UnixMillis now) {
    if (contract::challenge_step(timing_of(c), now) == contract::ChallengeStep::Expired)
        return ChallengeOutcome{Kind::Expired, {}, 0, false};
    return current(c);
}

}  // namespace

std::vector<ChallengeOutcome> resolve_challenges(
    const ApiContext& context, std::int64_t token_id,
    const std::vector<std::optional<store::ContractRecord>>& contracts, UnixMillis now) {
    std::vector<ChallengeOutcome> outcomes(contracts.size());
    std::vector<store::ChallengeAdvance> advances;
    std::vector<std::size_t> advanced_entry;  // outcome index of each advance

    for (std::size_t i = 0; i < contracts.size(); ++i) {
        if (!contracts[i]) continue;  // NotFound
        const store::ContractRecord& c = *contracts[i];
        switch (contract::challenge_step(timing_of(c), now)) {
        case contract::ChallengeStep::Expired:
            outcomes[i].kind = Kind::Expired;
            break;
        case contract::ChallengeStep::Current:
            outcomes[i] = current(c);
            break;
        case contract::ChallengeStep::IssueNext: {
            auto next = context.scheme.gen_challenge(c.state);
            if (!next) {
                log::error("contract " + std::to_string(c.id) + " (file " +
                           encoding::hex_encode(c.file_hash).substr(0, 16) +
                           "): stored state refused: " + next.error().message);
                outcomes[i].kind = Kind::StateInvalid;
            } else if (!next->has_value()) {
                outcomes[i].kind = Kind::NoMore;
            } else {
                const proof::IssuedChallenge& issued = **next;
                advances.push_back(store::ChallengeAdvance{c.id, c.due_ms, issued.state,
                                                           issued.challenge, issued.challenge_json});
                advanced_entry.push_back(i);
            }
            break;
        }
        }
    }
    if (advances.empty()) return outcomes;

    const std::vector<bool> applied = context.contracts.advance_challenges(token_id, advances, now);
    context.events.challenges_issued(
        static_cast<std::size_t>(std::count(applied.begin(), applied.end(), true)));
    std::vector<std::string> raced_hashes;
    for (std::size_t k = 0; k < advances.size(); ++k) {
        const std::size_t i = advanced_entry[k];
        const store::ContractRecord& c = *contracts[i];
        if (applied[k]) {
            const contract::ContractTiming next = contract::next_challenge(timing_of(c));
            outcomes[i] = ChallengeOutcome{Kind::Current, advances[k].challenge_json, next.due_ms,
                                           next.answered};
        } else {
            raced_hashes.push_back(c.file_hash);
        }
    }
    if (raced_hashes.empty()) return outcomes;

    // Another request advanced (or removed) these contracts first: report what it stored.
    const auto reread = context.contracts.find_many(token_id, raced_hashes);
    for (std::size_t k = 0; k < advances.size(); ++k) {
        if (applied[k]) continue;
        const std::size_t i = advanced_entry[k];
        outcomes[i] = ChallengeOutcome{Kind::NotFound, {}, 0, false};
        for (const store::ContractRecord& fresh : reread)
            if (fresh.id == contracts[i]->id) outcomes[i] = as_stored(fresh, now);
    }
    return outcomes;
}

}  // namespace downstream::api
