// The seam between the node and a heartbeat scheme (Merkle, Swizzle).
//
// Everything above app/proof treats a scheme's objects as opaque: tags and challenges travel as
// ready-made JSON text that the node splices into its replies, states and challenges are kept as
// opaque bytes in the database, and proofs come in as parsed JSON values. A node runs one scheme
// at a time (config `heartbeat.type`).
#pragma once

#include "base/result.h"
#include "json/json.h"

#include <optional>
#include <string>
#include <string_view>

namespace downstream::proof {

// The outcome of checking a proof. A bad proof is a normal result, not an error.
enum class Verdict {
    Valid,      // the proof answers the challenge for this file
    Invalid,    // well-formed, but wrong
    Corrupted,  // not a proof of this scheme at all (wrong types, bad base64, bad sizes)
};

// One file encoded for a contract: what the farmer gets and what the node keeps.
struct EncodedFile {
    std::string tag_json;  // the tag as compact JSON text, sent verbatim to the farmer
    std::string state;     // opaque, authenticated per-file state, kept by the node only
};

// A challenge as issued: the farmer's JSON form and the node's own form for verification.
struct IssuedChallenge {
    std::string challenge_json;  // compact JSON text sent to the farmer
    std::string challenge;       // opaque bytes the node keeps to verify the answer
    std::string state;           // the file's state after issuing (may equal the old one)
};

class HeartbeatScheme {
public:
    virtual ~HeartbeatScheme() = default;

    // The `type` the node announces to farmers: "Merkle" or "Swizzle".
    virtual std::string_view type_name() const = 0;

    // The public heartbeat as compact JSON text: the value of "heartbeat" in token replies.
    virtual std::string public_heartbeat_json() const = 0;

    // Encodes a whole file (its bytes) into a tag and an initial state.
    virtual EncodedFile encode(std::string_view file) const = 0;

    // The next challenge for a file. nullopt when the state has no challenges left; an Error
    // when the state fails its authentication (it must then never be used).
    virtual Result<std::optional<IssuedChallenge>> gen_challenge(std::string_view state) const = 0;

    // Checks a farmer's proof (as received, any JSON value) against an issued challenge and
    // the file's state. An Error only when the state fails its authentication.
    virtual Result<Verdict> verify(const json::Value& proof, std::string_view challenge,
                                   std::string_view state) const = 0;
};

}  // namespace downstream::proof
