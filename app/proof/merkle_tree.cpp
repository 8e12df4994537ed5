#include "proof/merkle_tree.h"

#include "crypto/sha256.h"

#include <cmath>

namespace downstream::proof {
namespace {

// SHA-256 of the non-empty ones of two nodes.
std::string parent_hash(std::string_view left, std::string_view right) {
    return crypto::sha256({left, right});  // an empty part adds nothing
}

}  // namespace

void MerkleBranch::add_row(std::string_view left, std::string_view right) {
    bytes_ += left;
    ends_.push_back(bytes_.size());
    bytes_ += right;
    ends_.push_back(bytes_.size());
}

void MerkleBranch::reserve(std::size_t rows, std::size_t entry_size) {
    bytes_.reserve(2 * rows * entry_size);
    ends_.reserve(2 * rows);
}

void MerkleBranch::pop_row() {
    ends_.resize(ends_.size() - 2);
    bytes_.resize(ends_.empty() ? 0 : ends_.back());
}

std::string leaf_hash(std::string_view blob, std::uint64_t index) {
    return crypto::sha256({blob, std::to_string(index)});
}

Result<unsigned> tree_order(std::uint64_t leaves) {
    if (leaves == 0) return make_error("a Merkle tree needs at least one leaf");
    // math.log(n, 2) is log(n) / log(2) in doubles; its rounding is part of the format.
    const double order = std::ceil(std::log(static_cast<double>(leaves)) / std::log(2.0));
    return static_cast<unsigned>(order);
}

bool verify_branch(std::string_view leaf, const MerkleBranch& branch, std::string_view root) {
    // The running value lives in a stack buffer: verification is the node's hot path.
    crypto::Sha256Digest buffer;
    std::string_view running = leaf;
    for (std::size_t r = 0; r < branch.size(); ++r) {
        const std::string_view left = branch.left(r);
        const std::string_view right = branch.right(r);
        if (left != running && right != running) return false;
        buffer = crypto::sha256_digest({left, right});  // an empty entry adds nothing
        running = std::string_view(buffer.data(), buffer.size());
    }
    return running == root;
}

Result<MerkleTree> MerkleTree::build(const std::vector<std::string>& blobs) {
    if (blobs.size() > kMaxLeaves)
        return make_error("a Merkle tree may have at most " + std::to_string(kMaxLeaves) +
                          " leaves");
    auto order = tree_order(blobs.size());
    if (!order.ok()) return order.error();
    const std::size_t width = std::size_t{1} << *order;
    std::vector<std::string> nodes(2 * width);
    for (std::size_t i = 0; i < blobs.size(); ++i) nodes[width - 1 + i] = leaf_hash(blobs[i], i);
    // Level by level from the leaves up: level width p holds nodes p - 1 .. 2p - 2.
    for (std::size_t p = width / 2; p >= 1; p /= 2) {
        for (std::size_t k = p - 1; k < 2 * p - 1; ++k)
            nodes[k] = parent_hash(nodes[2 * k + 1], nodes[2 * k + 2]);
    }
    return MerkleTree(std::move(nodes), *order);
}

MerkleTree MerkleTree::from_nodes(std::vector<std::string> nodes, unsigned order) {
    return MerkleTree(std::move(nodes), order);
}

Result<MerkleBranch> MerkleTree::branch(std::uint64_t index) const {
    if (order_ >= 63 || index >= (std::uint64_t{1} << order_))
        return make_error("leaf " + std::to_string(index) + " is not in a tree of order " +
                          std::to_string(order_));
    std::uint64_t j = index + (std::uint64_t{1} << order_) - 1;
    // The highest-numbered node a branch touches is the leaf's right-hand node of row 0.
    const std::uint64_t last_touched = j % 2 == 1 ? j + 1 : j;
    if (order_ > 0 && last_touched >= nodes_.size())
        return make_error("the tree's nodes end before leaf " + std::to_string(index));
    MerkleBranch branch;
    branch.reserve(order_);
    for (unsigned k = 0; k < order_; ++k) {
        const bool is_left = j % 2 == 1;
        const std::uint64_t left = is_left ? j : j - 1;
        branch.add_row(nodes_[left], nodes_[left + 1]);
        j = (j + 1) / 2 - 1;
    }
    return branch;
}

}  // namespace downstream::proof
