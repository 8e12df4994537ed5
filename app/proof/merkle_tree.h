// The Merkle tree of the heartbeat library (MerkleTree.py), byte for byte.
//
// Nodes are heap-ordered: the root is node 0, the children of node i are 2i + 1 and 2i + 2.
// A tree of order k has 2^(k+1) nodes; leaf i's hash is node 2^k - 1 + i. Leaves that do not
// exist and the very last node are empty byte strings; an inner node is SHA-256 of its
// non-empty children concatenated (so over two empty children it is SHA-256 of nothing).
#pragma once

#include "base/result.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace downstream::proof {

// SHA-256(blob ‖ decimal text of index): a leaf's node value.
std::string leaf_hash(std::string_view blob, std::uint64_t index);

// The order (height) of a tree with `leaves` leaves: ceil(log(leaves) / log(2)) computed in
// double precision, as the reference does, which is one too high at some exact powers of two
// (2^29, 2^31, 2^39, 2^47). Fails for zero leaves (the reference raises).
Result<unsigned> tree_order(std::uint64_t leaves);

// The nodes between a leaf and the root: row r holds the pair of siblings at height r
// (row 0 is the leaf and its sibling), left then right. The root is not included. Entries
// are byte strings of any length (32 bytes, or empty, in honest proofs), kept back to back
// in one buffer: the node decodes a proof per answer and should not allocate per node.
class MerkleBranch {
public:
    // Number of rows.
    std::size_t size() const { return ends_.size() / 2; }
    bool empty() const { return ends_.empty(); }
    std::string_view left(std::size_t row) const { return entry(2 * row); }
    std::string_view right(std::size_t row) const { return entry(2 * row + 1); }

    void add_row(std::string_view left, std::string_view right);
    // Makes room for `rows` rows of `entry_size`-byte entries.
    void reserve(std::size_t rows, std::size_t entry_size = 32);
    // Removes the last row (there must be one).
    void pop_row();

    bool operator==(const MerkleBranch& other) const {
        return bytes_ == other.bytes_ && ends_ == other.ends_;
    }
    bool operator!=(const MerkleBranch& other) const { return !(*this == other); }

private:
    std::string_view entry(std::size_t k) const {
        const std::size_t begin = k == 0 ? 0 : ends_[k - 1];
        return std::string_view(bytes_).substr(begin, ends_[k] - begin);
    }
    std::string bytes_;
    std::vector<std::size_t> ends_;  // where entry k ends in bytes_
};

// True when `branch` leads from a leaf whose node value is `leaf` to `root`: each row holds
// the running value on its left or its right, the next running value is SHA-256 of the row's
// non-empty entries, and the last one equals the root.
bool verify_branch(std::string_view leaf, const MerkleBranch& branch, std::string_view root);

class MerkleTree {
public:
    // Most leaves a tree may be built over (2^16: a tree of 2^17 nodes, about 8 MB).
    static constexpr std::uint64_t kMaxLeaves = std::uint64_t{1} << 16;

    // An empty tree: order 0, no nodes (what a tag holds before it is filled in).
    MerkleTree() = default;

    // Builds the tree over leaf blobs (leaf i's value is leaf_hash(blobs[i], i)). Fails for
    // no leaves or more than kMaxLeaves.
    static Result<MerkleTree> build(const std::vector<std::string>& blobs);

    // A tree as a tag carries it (nodes, order; no leaves), unchecked: branch() checks bounds.
    static MerkleTree from_nodes(std::vector<std::string> nodes, unsigned order);

    unsigned order() const { return order_; }
    const std::vector<std::string>& nodes() const { return nodes_; }
    // Node 0; empty for a tree without nodes.
    std::string root() const { return nodes_.empty() ? std::string() : nodes_[0]; }

    // The branch of leaf `index`. Fails when the index lies beyond the leaf level (2^order
    // leaves) or the nodes do not reach that far.
    Result<MerkleBranch> branch(std::uint64_t index) const;

private:
    MerkleTree(std::vector<std::string> nodes, unsigned order)
        : nodes_(std::move(nodes)), order_(order) {}

    std::vector<std::string> nodes_;
    unsigned order_ = 0;
};

}  // namespace downstream::proof
