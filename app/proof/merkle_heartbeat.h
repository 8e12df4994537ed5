// The Merkle heartbeat (the heartbeat library's Merkle scheme, version 0.1.10), byte for byte:
// what the node does (encode a file, issue challenges, verify proofs) and what a farmer does
// (prove). Every step the reference takes is a function here, so each can be checked against
// the golden vectors.
//
// Seeds: seed_1 = HMAC-SHA256(node key, root seed), seed_{i+1} = HMAC-SHA256(node key,
// seed_i); leaf i (0-based) is the chunk hash of the file under seed_{i+1}. A chunk hash
// HMACs, under the seed, the chunk of the (capped) chunk size at the offset the keyed PRF
// picks from the seed. The state (see MerkleState) is signed with HMAC-SHA256 under the node
// key over decimal(index) ‖ seed ‖ decimal(n) ‖ root ‖ Python's text of the timestamp.
#pragma once

#include "base/result.h"
#include "crypto/hmac_sha256.h"
#include "proof/merkle_objects.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace downstream::proof {

class RandomStream;  // proof/random_stream.h

// The reference's error texts (HeartbeatError messages).
inline constexpr std::string_view kStateSignatureInvalid = "Signature invalid on state.";
inline constexpr std::string_view kOutOfChallenges = "Out of challenges.";

// The chunk size used when no explicit one is given and there is no check fraction.
inline constexpr std::uint64_t kDefaultChunkSize = 8192;

// The next seed in a chain: HMAC-SHA256(key, seed).
std::string next_seed(std::string_view key, std::string_view seed);

// The chunk size encode chooses for a file of `filesz` bytes: int(check_fraction × filesz)
// computed in double precision (0.29 × 100 gives 28), or kDefaultChunkSize without a fraction.
// The fraction must be finite and non-negative (MerkleHeartbeat::create checks it).
std::uint64_t chunk_size_from_fraction(std::optional<double> check_fraction,
                                       std::uint64_t filesz);

// The chunk size actually hashed: min(chunksz, filesz).
std::uint64_t effective_chunk_size(std::uint64_t chunksz, std::uint64_t filesz);

// Where the chunk of `seed` starts: KeyedPrf(seed, filesz - chunksz + 1).eval(0), where
// chunksz is the effective chunk size. Fails for a seed that is not an AES key (16, 24 or 32
// bytes) or a chunk size beyond the file.
Result<std::uint64_t> chunk_offset(std::string_view seed, std::uint64_t filesz,
                                   std::uint64_t effective_chunksz);

// The chunk hash (a leaf's blob): HMAC-SHA256(seed, file[offset : offset + effective size]).
// Fails as chunk_offset does.
Result<std::string> chunk_hash(std::string_view file, std::string_view seed,
                               std::uint64_t chunksz);
// The same over a seeded random stream (only the chunk is generated).
Result<std::string> chunk_hash(RandomStream& file, std::string_view seed,
                               std::uint64_t chunksz);

// The bytes a state's HMAC covers: decimal(index) ‖ seed ‖ decimal(n) ‖ root ‖
// python_float_repr(timestamp).
std::string state_hmac_input(const MerkleState& state);

// The node's side of the scheme: holds the node's secret key and the check fraction.
// Copyable; every method is const and safe to call from several threads at once.
class MerkleHeartbeat {
public:
    // Most challenges one file may be encoded with (the tree's leaf limit).
    static constexpr std::uint64_t kMaxChallenges = MerkleTree::kMaxLeaves;

    // Fails for a check fraction that is negative, above 1 or not finite. Any key length works
    // (as HMAC keys); the node uses 32 bytes.
    static Result<MerkleHeartbeat> create(std::string_view key,
                                          std::optional<double> check_fraction);

    const std::string& key() const { return key_; }
    std::optional<double> check_fraction() const { return check_fraction_; }

    struct EncodeOptions {
        std::uint64_t n = 256;                 // challenges, 1 .. kMaxChallenges
        std::string seed;                      // root seed (the node uses 32 random bytes)
        std::optional<std::uint64_t> chunksz;  // none: chunk_size_from_fraction
        double timestamp = 0;                  // the state's timestamp
    };
    struct Encoded {
        MerkleTag tag;
        MerkleState state;
    };
    // Encodes a file: n leaves, the tree, the tag (tree without leaves) and the signed
    // initial state. Fails for n outside 1 .. kMaxChallenges.
    Result<Encoded> encode(std::string_view file, const EncodeOptions& options) const;
    Result<Encoded> encode(RandomStream& file, const EncodeOptions& options) const;

    // next_seed under the node key.
    std::string next_seed(std::string_view seed) const;
    // The HMAC the state should carry under the node key.
    std::string state_hmac(const MerkleState& state) const;
    // True when the state's hmac is the one the node key gives it.
    bool is_authentic(const MerkleState& state) const;

    // A challenge and the state after issuing it (index + 1, seed advanced, re-signed,
    // timestamp unchanged).
    struct Issued {
        MerkleChallenge challenge;
        MerkleState state;
    };
    // The next challenge. An Error (kStateSignatureInvalid) when the state is not authentic
    // (checked first); nullopt when its challenges are used up (the reference raises
    // kOutOfChallenges).
    Result<std::optional<Issued>> gen_challenge(const MerkleState& state) const;

    // Whether the proof answers the challenge for the state's file: an Error
    // (kStateSignatureInvalid) when the state is not authentic; otherwise true when the leaf
    // index equals the challenge's and the branch leads from the leaf to the state's root.
    // As in the reference, the challenge's seed and the state's index and seed play no part.
    Result<bool> verify(const MerkleProof& proof, const MerkleChallenge& challenge,
                        const MerkleState& state) const;

    // The farmer's side: the proof for a challenge, from the file's bytes or its random
    // stream, and its tag. Fails when the challenge's seed is not an AES key or its index is
    // not in the tag's tree.
    static Result<MerkleProof> prove(std::string_view file, const MerkleChallenge& challenge,
                                     const MerkleTag& tag);
    static Result<MerkleProof> prove(RandomStream& file, const MerkleChallenge& challenge,
                                     const MerkleTag& tag);

private:
    MerkleHeartbeat(std::string key, std::optional<double> check_fraction)
        : key_(std::move(key)), mac_(key_), check_fraction_(check_fraction) {}

    template <class File>
    Result<Encoded> encode_file(File& file, std::uint64_t filesz,
                                const EncodeOptions& options) const;

    std::string key_;
    crypto::HmacSha256 mac_;
    std::optional<double> check_fraction_;
};

}  // namespace downstream::proof
