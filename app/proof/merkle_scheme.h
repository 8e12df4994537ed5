// The Merkle heartbeat behind the node's HeartbeatScheme seam.
//
// The node keeps each file's state and its current challenge as opaque bytes (MySQL blobs).
// Their formats, version 1, carry every field the state's HMAC covers, so the HMAC is
// re-checked exactly (the timestamp travels as its IEEE-754 bits):
//   state:     0x01 | index u64 | n u64 | timestamp f64 | seed | root | hmac      (124 bytes)
//   challenge: 0x01 | index u64 | seed                                            (42 bytes)
// Integers and the double's bits are big-endian; each byte string is a one-byte length and
// the bytes (32 bytes each, as the node makes them).
//
// Timestamps: a new state's timestamp is the node's clock at encoding, in seconds since the
// epoch with millisecond resolution (UnixMillis / 1000.0), like Python's time.time(). It
// only feeds the HMAC: farmers never see states. (The reference library's default argument
// froze time.time() at import, so the original node stamped every state with its start time.)
#pragma once

#include "base/clock.h"
#include "base/result.h"
#include "proof/heartbeat_scheme.h"
#include "proof/merkle_heartbeat.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace downstream::proof {

struct MerkleSchemeConfig {
    std::string key;                              // the node's secret key, 32 bytes
    std::optional<double> check_fraction = 0.01;  // heartbeat.check_fraction; none: 8192 bytes
    std::uint64_t challenges = 256;               // heartbeat.challenges, per file
};

class MerkleScheme final : public HeartbeatScheme {
public:
    // Source of unpredictable bytes for root seeds (a seam for tests).
    using RandomBytes = std::function<std::string(std::size_t)>;

    // Fails for a key that is not 32 bytes, a check fraction outside [0, 1], or a number of
    // challenges outside 1 .. MerkleHeartbeat::kMaxChallenges. `clock` must outlive the scheme.
    static Result<std::unique_ptr<MerkleScheme>> create(const MerkleSchemeConfig& config,
                                                        const Clock& clock,
                                                        RandomBytes random_bytes = nullptr);

    // "Merkle".
    std::string_view type_name() const override;
    // {"key":"","check_fraction":0.01}: the heartbeat without its key.
    std::string public_heartbeat_json() const override;
    // The tag as the farmer's Tag.fromdict reads it, and the signed initial state: n leaves,
    // a fresh 32-byte root seed, the chunk size from the check fraction.
    EncodedFile encode(std::string_view file) const override;
    // nullopt when the state's challenges are used up; an Error when the state does not
    // parse or its HMAC fails.
    Result<std::optional<IssuedChallenge>> gen_challenge(std::string_view state) const override;
    // Verdict::Corrupted for a proof that does not parse (merkle_json.h's decode_proof);
    // an Error when the stored state or challenge does not parse or the state's HMAC fails.
    Result<Verdict> verify(const json::Value& proof, std::string_view challenge,
                           std::string_view state) const override;

    const MerkleHeartbeat& heartbeat() const { return heartbeat_; }

    // The opaque forms (see the top of this file). serialize_* require byte strings of at
    // most 255 bytes (std::invalid_argument otherwise); parse_* fail for anything that is
    // not exactly such a record.
    static std::string serialize_state(const MerkleState& state);
    static Result<MerkleState> parse_state(std::string_view bytes);
    static std::string serialize_challenge(const MerkleChallenge& challenge);
    static Result<MerkleChallenge> parse_challenge(std::string_view bytes);

    // The timestamp a state made at `now` carries: seconds since the epoch.
    static double timestamp_at(UnixMillis now) { return static_cast<double>(now) / 1000.0; }

    // Only create() can make the key that opens the constructor.
    class ConstructionKey {
        friend class MerkleScheme;
        ConstructionKey() = default;
    };
    MerkleScheme(ConstructionKey, MerkleHeartbeat heartbeat, std::uint64_t challenges,
                 const Clock& clock, RandomBytes random_bytes)
        : heartbeat_(std::move(heartbeat)),
          challenges_(challenges),
          clock_(clock),
          random_bytes_(std::move(random_bytes)) {}

private:
    MerkleHeartbeat heartbeat_;
    std::uint64_t challenges_;
    const Clock& clock_;
    RandomBytes random_bytes_;
};

// The scheme the node runs, from its config (heartbeat.key_file's 32 bytes,
// heartbeat.check_fraction, heartbeat.challenges), on the system clock and the OS's CSPRNG.
Result<std::unique_ptr<HeartbeatScheme>> make_merkle_scheme(std::string_view key,
                                                            double check_fraction,
                                                            std::uint64_t challenges);

}  // namespace downstream::proof
