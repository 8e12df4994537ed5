// What answers get: each proof checked against its contract's current challenge (contract
// timing first, then the scheme's verify), and the valid ones recorded in one transaction so
// that an answer is counted once however many requests race. Decided and committed before any
// reply is sent.
#pragma once

#include "api/api_context.h"
#include "json/json.h"

#include <optional>
#include <string>
#include <vector>

namespace downstream::api {

// One proof to check: the contract's file hash (32 raw bytes, absent when the farmer sent
// something else) and the proof as received (null when missing).
struct AnswerTarget {
    std::optional<std::string> file_hash;
    const json::Value* proof = nullptr;
};

enum class AnswerResult {
    Ok,               // counted: a heartbeat
    ProofInvalid,     // "proof invalid"
    ProofCorrupted,   // "proof corrupted": not a proof of this scheme at all
    Expired,          // "contract expired"
    NotFound,         // "contract not found"
    AlreadyAnswered,  // "challenge already answered"
    StateInvalid,     // the stored state failed its authentication (logged)
};

// The words a farmer sees for a result ("ok" for Ok).
const char* answer_message(AnswerResult result);

// One result per target, in order, at `now`, for the farmer whose token has the storage hash
// `token_hash`; nullopt when no token has it. The proofs are checked on the contracts as they
// stand under the locks of the transaction that counts them (ContractStore::answer).
std::optional<std::vector<AnswerResult>> resolve_answers(const ApiContext& context,
                                                         const std::string& token_hash,
                                                         const std::vector<AnswerTarget>& targets,
                                                         UnixMillis now);

}  // namespace downstream::api
