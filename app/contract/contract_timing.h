// The contract state machine of the wire protocol (design notes §2 "Contract timing"), as pure
// functions of a contract's timing and the current time. Routes decide with these; the store
// makes the chosen transition atomic.
//
// A contract's current challenge is due at `due_ms`. It is *answered* once a valid proof for that
// challenge arrived before `due_ms`. Its expiration is `due_ms` while unanswered and
// `due_ms + interval_ms` once answered; at or after the expiration it is expired for good.
#pragma once

#include "base/clock.h"

namespace downstream::contract {

struct ContractTiming {
    UnixMillis due_ms = 0;
    bool answered = false;
    UnixMillis interval_ms = 0;
};

// When the contract expires for good.
UnixMillis expiration_ms(const ContractTiming& timing);

// True at or after the expiration.
bool is_expired(const ContractTiming& timing, UnixMillis now_ms);

// What a challenge request at `now_ms` gets.
enum class ChallengeStep {
    Current,    // before due: the current challenge, with its answered flag
    IssueNext,  // answered and at or after due: a new challenge, due = old due + interval
    Expired,    // "contract expired"
};
ChallengeStep challenge_step(const ContractTiming& timing, UnixMillis now_ms);

// The contract after IssueNext: the next challenge, unanswered, due one interval later.
ContractTiming next_challenge(const ContractTiming& timing);

// What an answer at `now_ms` gets.
enum class AnswerStep {
    Verify,           // unanswered and before due: verify the proof
    AlreadyAnswered,  // "challenge already answered"
    Expired,          // "contract expired"
};
AnswerStep answer_step(const ContractTiming& timing, UnixMillis now_ms);

// The contract after a valid proof: answered, so it lives one interval past its due time.
ContractTiming answered(const ContractTiming& timing);

}  // namespace downstream::contract
