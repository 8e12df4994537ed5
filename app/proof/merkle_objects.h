// The Merkle heartbeat's objects as plain values (the heartbeat library's Challenge, Tag,
// State and Proof). Their JSON forms are in merkle_json.h; the operations in
// merkle_heartbeat.h.
#pragma once

#include "proof/merkle_tree.h"

#include <cstdint>
#include <string>

namespace downstream::proof {

// What the node asks: prove leaf `index`, whose chunk is chosen and keyed by `seed`.
struct MerkleChallenge {
    std::string seed;
    std::uint64_t index = 0;
};

// What the farmer keeps with the file: the tree without its leaves, and the chunk size as
// given to encode (it may exceed the file; hashing caps it).
struct MerkleTag {
    MerkleTree tree;
    std::uint64_t chunksz = 0;
    std::uint64_t filesz = 0;
};

// What the node keeps per file, authenticated by `hmac` under the node's key: the index of
// the next challenge, the seed of the last one issued (the root seed before any), the number
// of challenges, the tree's root and the time the state was made (seconds since the epoch).
struct MerkleState {
    std::uint64_t index = 0;
    std::string seed;
    std::uint64_t n = 0;
    std::string root;
    std::string hmac;
    double timestamp = 0;
};

// What the farmer answers: the challenged leaf (its index and its blob, the seeded HMAC of
// the chunk) and the branch from it to the root.
struct MerkleProof {
    std::uint64_t leaf_index = 0;
    std::string leaf_blob;
    MerkleBranch branch;

    // Only proofs decoded from JSON use the two members below, to keep the reference's
    // semantics for odd input.
    //
    // Set when the JSON index was a float or a boolean with an integer value (1.0, true):
    // Python compares it equal to the integer but hashes its own text (str(1.0) is "1.0",
    // str(True) is "True") into the leaf, which is this text. Empty: the decimal index.
    std::string leaf_index_text;
    // False when the JSON held something the reference parses but can never verify: an index
    // that equals no challenge index (a string, null, a negative or fractional number), or a
    // list where bytes belong (a list blob; a non-empty list as a branch entry).
    bool verifiable = true;
};
}  // namespace downstream::proof
