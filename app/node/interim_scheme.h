// A stand-in heartbeat scheme for the weeks before the real ones are merged, so that chunk
// generation, the pool, contract issue and their tests run end to end.
//
// TODO(integrator): replace by the real schemes in make_heartbeat_scheme (scheme_factory.cpp)
// once app/proof's Merkle (and Swizzle) heartbeats are merged; then delete this file.
//
// What it does honestly: encode() keeps SHA-256 of the file and a challenge counter in an
// HMAC-authenticated state; gen_challenge() checks the HMAC, issues `challenges` challenges
// and then reports exhaustion. What it cannot do: verify() has no way to check a proof and
// returns an Error saying so. Its type name "Interim" is stored with every pool chunk, so
// chunks it made are never handed out by a node running a real scheme.
#pragma once

#include "proof/heartbeat_scheme.h"

#include <string>

namespace downstream::node {

class InterimScheme final : public proof::HeartbeatScheme {
public:
    InterimScheme(std::string key, int challenges) : key_(std::move(key)), challenges_(challenges) {}

    std::string_view type_name() const override { return "Interim"; }
    std::string public_heartbeat_json() const override;
    proof::EncodedFile encode(std::string_view file) const override;
    Result<std::optional<proof::IssuedChallenge>> gen_challenge(std::string_view state) const override;
    Result<proof::Verdict> verify(const json::Value& proof, std::string_view challenge,
                                  std::string_view state) const override;

private:
    std::string key_;
    int challenges_;
};

}  // namespace downstream::node
