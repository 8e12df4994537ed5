// What a challenge request for a set of contracts gets, decided and committed before anything
// is sent: the contract timing state machine (contract/contract_timing.h) applied to each
// contract at one instant, with the next challenges of answered contracts that fell due
// issued by the scheme and stored atomically.
#pragma once

#include "api/api_context.h"

#include <optional>
#include <string>
#include <vector>

namespace downstream::api {

struct ChallengeOutcome {
    enum class Kind {
        Current,       // challenge_json / due_ms / answered describe the challenge to answer
        NoMore,        // "no more challenges"
        Expired,       // "contract expired"
        NotFound,      // "contract not found"
        StateInvalid,  // the stored state failed its authentication (logged; never used)
    };
    Kind kind = Kind::NotFound;
    std::string challenge_json;
    UnixMillis due_ms = 0;
    bool answered = false;
};

// One outcome per entry of `contracts` (nullopt: no such contract for this farmer), in
// order, at `now`. Racing requests for one contract issue its next challenge once: the loser
// reports the winner's challenge.
std::vector<ChallengeOutcome> resolve_challenges(
    const ApiContext& context, std::int64_t token_id,
    const std::vector<std::optional<store::ContractRecord>>& contracts, UnixMillis now);

}  // namespace downstream::api
