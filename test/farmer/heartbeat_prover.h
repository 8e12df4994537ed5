// Proving challenges the way the shipped farmer does, for the heartbeat type a node announces
// in its token reply: Merkle (app/proof/merkle_heartbeat.h) or Swizzle
// (app/proof/swizzle_prove.h). Everything travels as the JSON text the node sent.
#pragma once

#include "base/result.h"
#include "json/json.h"

#include <memory>
#include <string>
#include <string_view>

namespace downstream::farmer {

class HeartbeatProver {
public:
    virtual ~HeartbeatProver() = default;

    // The prover for a token reply's "type" and "heartbeat" (JSON text). Fails for an unknown
    // type or a heartbeat that does not parse, as the shipped client would.
    static Result<std::unique_ptr<HeartbeatProver>> create(std::string_view type,
                                                           std::string_view heartbeat_json);

    // "Merkle" or "Swizzle".
    virtual std::string_view type() const = 0;

    // The proof (JSON text, the value of "proof" in an answer) of `challenge_json` over the
    // file's bytes with its `tag` (the value the node sent). Fails when the challenge does
    // not parse, the tag is not one of this scheme or the scheme cannot prove it. Safe to
    // call from several threads at once.
    virtual Result<std::string> prove(std::string_view file, std::string_view challenge_json,
                                      const json::Value& tag) const = 0;
};

}  // namespace downstream::farmer
