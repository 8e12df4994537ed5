#include "proof/merkle_tree.h"

#include "crypto/sha256.h"
#include "encoding/base64.h"
#include "encoding/hex.h"
#include "support/test_data.h"
#include "support/vector_fields.h"

#include <cppunit/extensions/HelperMacros.h>

using downstream::encoding::hex_encode;
using namespace downstream::proof;
using namespace downstream::testing;
namespace json = downstream::json;
namespace crypto = downstream::crypto;

namespace {

std::string b64(const json::Value& v) {
    return downstream::encoding::base64_decode_skipping(std::string(v.GetString())).value();
}

std::vector<std::string> b64_list(const json::Value& list) {
    std::vector<std::string> out;
    for (const auto& v : list.GetArray()) out.push_back(b64(v));
    return out;
}

}  // namespace

// test/vectors/merkle.json's leaf hashes, tree orders, and every case's tree and branches.
class MerkleTreeTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(MerkleTreeTest);
    CPPUNIT_TEST(leafHashesMatchReference);
    CPPUNIT_TEST(treeOrdersMatchReferenceFloatQuirk);
    CPPUNIT_TEST(treesOfEveryCaseMatchTags);
    CPPUNIT_TEST(branchesOfEveryStepMatchProofs);
    CPPUNIT_TEST(emptyNodeRules);
    CPPUNIT_TEST(verifyBranchRejectsWrongPaths);
    CPPUNIT_TEST(limitsAndBoundsAreErrors);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override { vectors_ = load_vectors("merkle.json"); }

    const json::Value& cases() { return array_field(*vectors_, "cases", 10); }

    void leafHashesMatchReference() {
        int checked = 0;
        for (const auto& h : array_field(field(*vectors_, "helpers"), "leaf_get_hash", 12).GetArray()) {
            CPPUNIT_ASSERT_EQUAL(string_field(h, "hash_hex"),
                                 hex_encode(leaf_hash(hex_field(h, "blob_hex"), uint_field(h, "index"))));
            ++checked;
        }
        CPPUNIT_ASSERT_EQUAL(12, checked);
    }

    void treeOrdersMatchReferenceFloatQuirk() {
        int checked = 0;
        int quirky = 0;
        for (const auto& h : array_field(field(*vectors_, "helpers"), "tree_get_order", 20).GetArray()) {
            const std::uint64_t leaves = uint_field(h, "leaves");
            auto order = tree_order(leaves);
            CPPUNIT_ASSERT(order.ok());
            CPPUNIT_ASSERT_EQUAL(static_cast<unsigned>(uint_field(h, "order")), *order);
            // An exact power of two whose computed order is one too high.
            if (*order > 0 && (std::uint64_t{1} << (*order - 1)) == leaves) ++quirky;
            ++checked;
        }
        CPPUNIT_ASSERT_EQUAL(20, checked);
        CPPUNIT_ASSERT_EQUAL(4, quirky);  // 2^29, 2^31, 2^39, 2^47
        CPPUNIT_ASSERT(!tree_order(0).ok());
    }

    void treesOfEveryCaseMatchTags() {
        int checked = 0;
        for (const auto& c : cases().GetArray()) {
            const auto& tag_tree = field(field(c, "tag"), "tree");
            auto tree = MerkleTree::build(b64_list(array_field(c, "leaf_blobs_b64")));
            CPPUNIT_ASSERT(tree.ok());
            CPPUNIT_ASSERT_EQUAL(static_cast<unsigned>(uint_field(tag_tree, "order")), tree->order());
            const auto expected = b64_list(array_field(tag_tree, "nodes", 2));
            CPPUNIT_ASSERT_EQUAL(expected.size(), tree->nodes().size());
            for (std::size_t i = 0; i < expected.size(); ++i)
                CPPUNIT_ASSERT_EQUAL(hex_encode(expected[i]), hex_encode(tree->nodes()[i]));
            CPPUNIT_ASSERT_EQUAL(b64_field(field(c, "state_after_encode"), "root"), tree->root());
            ++checked;
        }
        CPPUNIT_ASSERT_EQUAL(10, checked);
    }

    void branchesOfEveryStepMatchProofs() {
        int checked = 0;
        for (const auto& c : cases().GetArray()) {
            const auto& tag_tree = field(field(c, "tag"), "tree");
            const MerkleTree tree = MerkleTree::from_nodes(
                b64_list(array_field(tag_tree, "nodes", 2)),
                static_cast<unsigned>(uint_field(tag_tree, "order")));
            const std::string root = b64_field(field(c, "state_after_encode"), "root");
            for (const auto& step : array_field(c, "steps").GetArray()) {
                const std::uint64_t index = uint_field(field(step, "challenge"), "index");
                auto branch = tree.branch(index);
                CPPUNIT_ASSERT(branch.ok());
                const auto& rows = array_field(field(field(step, "proof"), "branch"), "rows", 0);
                CPPUNIT_ASSERT_EQUAL(static_cast<std::size_t>(rows.Size()), branch->size());
                for (rapidjson::SizeType r = 0; r < rows.Size(); ++r) {
                    CPPUNIT_ASSERT_EQUAL(b64(rows[r][0]), std::string(branch->left(r)));
                    CPPUNIT_ASSERT_EQUAL(b64(rows[r][1]), std::string(branch->right(r)));
                }
                const auto& leaf = field(field(step, "proof"), "leaf");
                CPPUNIT_ASSERT(verify_branch(leaf_hash(b64_field(leaf, "blob"), index), *branch, root));
                ++checked;
            }
        }
        CPPUNIT_ASSERT_EQUAL(4 + 5 + 7 + 1 + 2 + 3 + 2 + 8 + 256 + 256, checked);
    }

    void emptyNodeRules() {
        // Five leaves: order 3, 16 nodes; leaves 5..7 and the last node are empty; the node
        // over leaves 6 and 7 is SHA-256 of nothing, and its parent hashes the non-empty
        // sibling alone with it.
        std::vector<std::string> blobs = {"a", "b", "c", "d", "e"};
        auto tree = MerkleTree::build(blobs);
        CPPUNIT_ASSERT(tree.ok());
        CPPUNIT_ASSERT_EQUAL(3u, tree->order());
        const auto& nodes = tree->nodes();
        CPPUNIT_ASSERT_EQUAL(std::size_t{16}, nodes.size());
        for (std::size_t i = 0; i < 5; ++i) CPPUNIT_ASSERT_EQUAL(leaf_hash(blobs[i], i), nodes[7 + i]);
        for (std::size_t i : {12u, 13u, 14u, 15u}) CPPUNIT_ASSERT(nodes[i].empty());
        CPPUNIT_ASSERT_EQUAL(crypto::sha256(nodes[11]), nodes[5]);  // leaf 4 and an empty one
        CPPUNIT_ASSERT_EQUAL(crypto::sha256(""), nodes[6]);          // two empty leaves
        CPPUNIT_ASSERT_EQUAL(crypto::sha256(nodes[5] + nodes[6]), nodes[2]);
        CPPUNIT_ASSERT_EQUAL(crypto::sha256(nodes[1] + nodes[2]), nodes[0]);
        // A single leaf: order 0, two nodes, the root is the leaf, the branch is empty.
        auto single = MerkleTree::build({"only"});
        CPPUNIT_ASSERT_EQUAL(0u, single->order());
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, single->nodes().size());
        CPPUNIT_ASSERT_EQUAL(leaf_hash("only", 0), single->root());
        CPPUNIT_ASSERT(single->branch(0)->empty());
    }

    void verifyBranchRejectsWrongPaths() {
        auto tree = MerkleTree::build({"a", "b", "c", "d", "e"});
        const MerkleBranch good = *tree->branch(2);
        CPPUNIT_ASSERT(verify_branch(leaf_hash("c", 2), good, tree->root()));
        CPPUNIT_ASSERT(!verify_branch(leaf_hash("c", 3), good, tree->root()));
        MerkleBranch swapped;
        swapped.add_row(good.right(0), good.left(0));
        for (std::size_t r = 1; r < good.size(); ++r) swapped.add_row(good.left(r), good.right(r));
        CPPUNIT_ASSERT(swapped != good);
        CPPUNIT_ASSERT(!verify_branch(leaf_hash("c", 2), swapped, tree->root()));
        MerkleBranch shorter = good;
        shorter.pop_row();
        CPPUNIT_ASSERT_EQUAL(good.size() - 1, shorter.size());
        CPPUNIT_ASSERT(!verify_branch(leaf_hash("c", 2), shorter, tree->root()));
        MerkleBranch longer = good;
        longer.add_row(tree->root(), "");
        CPPUNIT_ASSERT(!verify_branch(leaf_hash("c", 2), longer, tree->root()));
        longer.pop_row();
        CPPUNIT_ASSERT(longer == good);
    }

    void limitsAndBoundsAreErrors() {
        CPPUNIT_ASSERT(!MerkleTree::build({}).ok());
        CPPUNIT_ASSERT(!MerkleTree::build(std::vector<std::string>(MerkleTree::kMaxLeaves + 1)).ok());
        auto tree = MerkleTree::build({"a", "b", "c"});
        CPPUNIT_ASSERT(tree->branch(3).ok());  // a missing leaf inside the tree
        CPPUNIT_ASSERT(!tree->branch(4).ok());
        // Nodes that end early (a tag cut short) fail instead of reading past the end.
        std::vector<std::string> cut(tree->nodes().begin(), tree->nodes().begin() + 5);
        const MerkleTree short_tree = MerkleTree::from_nodes(cut, 2);
        CPPUNIT_ASSERT(!short_tree.branch(3).ok());
        CPPUNIT_ASSERT(short_tree.branch(1).ok());
        CPPUNIT_ASSERT(!MerkleTree::from_nodes({}, 63).branch(0).ok());
        CPPUNIT_ASSERT(MerkleTree::from_nodes({}, 0).branch(0).ok());  // no rows to read
    }

private:
    std::unique_ptr<json::Document> vectors_;
};
CPPUNIT_TEST_SUITE_REGISTRATION(MerkleTreeTest);
