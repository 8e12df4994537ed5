// The Swizzle scheme behind the node's HeartbeatScheme interface.
//
// What travels: the public heartbeat, tags and challenges as JSON strings (base64); the node
// keeps the 144-byte sealed state and the challenge's binary serialisation as opaque bytes.
#pragma once

#include "base/result.h"
#include "proof/heartbeat_scheme.h"
#include "proof/swizzle_heartbeat.h"
#include "proof/swizzle_random_source.h"

#include <memory>
#include <string>
#include <string_view>

namespace downstream::proof {

// Where the node's handling is stricter than the reference's verify (docs/DECISIONS.md):
// * gen_challenge issues l = max(1, trunc(check_fraction × n)), never a challenge of 0 chunks;
// * verify answers Error, not Invalid, when the state fails its MAC (the reference returns
//   false): the state is the node's own data, so its failure is never the farmer's fault;
//   likewise for a stored challenge that does not parse or checks 0 chunks, and a state with
//   n = 0;
// * a proof that is not a JSON string or does not parse is Corrupted; one that parses but has
//   the wrong mu count or fails the equation is Invalid.
// Thread-safe when the random source is (SecureRandomSource is).
class SwizzleScheme final : public HeartbeatScheme {
public:
    // `private_heartbeat` is the binary private heartbeat kept in the node's key file;
    // `check_fraction` in (0, 1] is the share of chunks each challenge checks.
    static Result<std::unique_ptr<SwizzleScheme>> create(
        std::string_view private_heartbeat, double check_fraction,
        std::shared_ptr<RandomSource> random = std::make_shared<SecureRandomSource>());

    std::string_view type_name() const override { return "Swizzle"; }
    std::string public_heartbeat_json() const override;
    EncodedFile encode(std::string_view file) const override;
    Result<std::optional<IssuedChallenge>> gen_challenge(std::string_view state) const override;
    Result<Verdict> verify(const json::Value& proof, std::string_view challenge,
                           std::string_view state) const override;

    const SwizzleHeartbeat& heartbeat() const { return heartbeat_; }

private:
    // Only create() can make one, so every scheme holds a validated private heartbeat.
    struct Validated {
        explicit Validated() = default;
    };

public:
    SwizzleScheme(Validated, SwizzleHeartbeat heartbeat, double check_fraction,
                  std::shared_ptr<RandomSource> random)
        : heartbeat_(std::move(heartbeat)), check_fraction_(check_fraction),
          random_(std::move(random)) {}

private:
    SwizzleHeartbeat heartbeat_;
    double check_fraction_;
    std::shared_ptr<RandomSource> random_;
};

// A fresh private heartbeat (binary, 213 bytes) for `initdb` to store in the key file: 32-byte
// k_enc and k_mac from `random` (the OS CSPRNG by default), a new 1023-bit prime, s = 10.
std::string generate_swizzle_private_heartbeat(RandomSource& random);
std::string generate_swizzle_private_heartbeat();

}  // namespace downstream::proof
