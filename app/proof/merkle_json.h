// The JSON forms of the Merkle heartbeat's objects, as the heartbeat library's todict() /
// fromdict() write and read them (base64 is standard with padding; keys in the library's
// order):
//   heartbeat  {"key": b64, "check_fraction": float | null}   (public: "key" is "")
//   challenge  {"seed": b64, "index": i}
//   tag        {"tree": {"nodes": [b64...], "order": k, "leaves": []}, "chunksz": c,
//               "filesz": f}
//   state      {"index": i, "seed": b64, "n": n, "root": b64, "hmac": b64, "timestamp": t}
//   proof      {"leaf": {"index": i, "blob": b64}, "branch": {"rows": [[b64, b64], ...]}}
// Writers produce compact text; decoders accept any JSON value and return an Error for
// anything the reference would fail to read, without throwing.
#pragma once

#include "base/result.h"
#include "json/json.h"
#include "proof/merkle_objects.h"

#include <optional>
#include <string>
#include <string_view>

namespace downstream::proof {

// Limits on decoded sizes, checked before anything is allocated for them.
inline constexpr std::size_t kMaxBranchRows = 64;          // a tree of 2^64 leaves
inline constexpr std::size_t kMaxTagNodes = 2 * 65536;      // MerkleTree::kMaxLeaves leaves
inline constexpr unsigned kMaxTagOrder = 62;

// Writers: each object as one JSON value into `writer`, or as compact text.
void write_json(json::Writer& writer, const MerkleChallenge& challenge);
void write_json(json::Writer& writer, const MerkleTag& tag);
void write_json(json::Writer& writer, const MerkleState& state);
void write_json(json::Writer& writer, const MerkleProof& proof);
std::string to_json(const MerkleChallenge& challenge);
std::string to_json(const MerkleTag& tag);
std::string to_json(const MerkleState& state);
std::string to_json(const MerkleProof& proof);

// The heartbeat {"key", "check_fraction"}; the public one (what farmers get) has key "".
// Floats are written as Python writes them (0.01, 1e-05).
std::string heartbeat_to_json(std::string_view key, std::optional<double> check_fraction);

// A decoded heartbeat.
struct MerkleHeartbeatParams {
    std::string key;
    std::optional<double> check_fraction;
};

// Decoders. Base64 is decoded leniently, as the library does (characters outside the
// alphabet are skipped, missing padding is an error). Where JSON repeats a key, the last one
// counts (as in Python's dict).
Result<MerkleHeartbeatParams> decode_heartbeat(const json::Value& value);
// The index must be a non-negative integer.
Result<MerkleChallenge> decode_challenge(const json::Value& value);
// At most kMaxTagNodes nodes and order kMaxTagOrder; the "leaves" list must be present and is
// ignored (tags travel without leaves); "filesz" is required.
Result<MerkleTag> decode_tag(const json::Value& value);
// The timestamp must be a JSON float (with a point or an exponent): Python signs
// str(timestamp), and an integer's text differs from a float's.
Result<MerkleState> decode_state(const json::Value& value);

// A farmer's proof, with the reference's parsing semantics (Proof.fromdict):
//  * "leaf" {"index", "blob"} and "branch" {"rows"} must be present, as objects;
//  * the index may be any JSON value: an integer, or a float or boolean with an integer value,
//    compares with the challenge by value and a float or boolean hashes as Python's text of
//    it; anything else never matches (see MerkleProof);
//  * each row must be a list of at least two entries; the first two are decoded, the rest
//    ignored; a list of one entry is an error (IndexError);
//  * blob and row entries are base64 strings, or lists of them (which parse, but never
//    verify: an empty list entry in a row counts as empty bytes, as in Python);
//  * anything else is an error: wrong types, bad base64, more than kMaxBranchRows rows.
// Deliberate differences from Python, which only turn a "proof invalid" into a "proof
// corrupted": rows given as a string or an object, row entries given as strings (Python
// indexes their characters), and more than kMaxBranchRows rows are errors.
Result<MerkleProof> decode_proof(const json::Value& value);

}  // namespace downstream::proof
