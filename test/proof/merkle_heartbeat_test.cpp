#include "proof/merkle_heartbeat.h"

#include "encoding/base64.h"
#include "encoding/hex.h"
#include "proof/keyed_prf.h"
#include "proof/merkle_json.h"
#include "proof/random_stream.h"
#include "support/test_data.h"
#include "support/vector_fields.h"

#include <cppunit/extensions/HelperMacros.h>

#include <cmath>
#include <cstdlib>

using downstream::encoding::base64_encode;
using downstream::encoding::hex_encode;
using namespace downstream::proof;
using namespace downstream::testing;
namespace json = downstream::json;

namespace {

std::string b64(const json::Value& v) {
    return downstream::encoding::base64_decode_skipping(std::string(v.GetString())).value();
}

double parse_double(const std::string& text) { return std::strtod(text.c_str(), nullptr); }

MerkleState state_from(const json::Value& v) {
    auto state = decode_state(v);
    if (!state.ok()) CPPUNIT_FAIL("vector state does not decode: " + state.error().message);
    return *state;
}

void assert_states_equal(const json::Value& expected, const MerkleState& actual) {
    CPPUNIT_ASSERT_EQUAL(uint_field(expected, "index"), actual.index);
    CPPUNIT_ASSERT_EQUAL(hex_encode(b64_field(expected, "seed")), hex_encode(actual.seed));
    CPPUNIT_ASSERT_EQUAL(uint_field(expected, "n"), actual.n);
    CPPUNIT_ASSERT_EQUAL(hex_encode(b64_field(expected, "root")), hex_encode(actual.root));
    CPPUNIT_ASSERT_EQUAL(hex_encode(b64_field(expected, "hmac")), hex_encode(actual.hmac));
    CPPUNIT_ASSERT_EQUAL(double_field(expected, "timestamp"), actual.timestamp);
}

void assert_proofs_equal(const json::Value& expected, const MerkleProof& actual) {
    const auto& leaf = field(expected, "leaf");
    CPPUNIT_ASSERT_EQUAL(uint_field(leaf, "index"), actual.leaf_index);
    CPPUNIT_ASSERT_EQUAL(hex_encode(b64_field(leaf, "blob")), hex_encode(actual.leaf_blob));
    const auto& rows = array_field(field(expected, "branch"), "rows", 0);
    CPPUNIT_ASSERT_EQUAL(static_cast<std::size_t>(rows.Size()), actual.branch.size());
    for (rapidjson::SizeType r = 0; r < rows.Size(); ++r) {
        CPPUNIT_ASSERT_EQUAL(b64(rows[r][0]), std::string(actual.branch.left(r)));
        CPPUNIT_ASSERT_EQUAL(b64(rows[r][1]), std::string(actual.branch.right(r)));
    }
}

MerkleHeartbeat heartbeat_for(const json::Value& c) {
    const auto& fraction = field(c, "check_fraction");
    auto hb = MerkleHeartbeat::create(
        b64_field(c, "node_key_b64"),
        fraction.IsNull() ? std::nullopt : std::optional<double>(fraction.GetDouble()));
    CPPUNIT_ASSERT(hb.ok());
    return *hb;
}

}  // namespace

// test/vectors/merkle.json: every helper, every case's encoding, every step, every
// verify_case, and the two refused gen_challenge calls.
class MerkleHeartbeatTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(MerkleHeartbeatTest);
    CPPUNIT_TEST(nextSeedsMatchReference);
    CPPUNIT_TEST(chunkHashesMatchReference);
    CPPUNIT_TEST(stateHmacsMatchReference);
    CPPUNIT_TEST(chunkSizesFromCheckFractionMatchReference);
    CPPUNIT_TEST(everyCaseEncodesLikeReference);
    CPPUNIT_TEST(everyStepMatchesReference);
    CPPUNIT_TEST(lastStateIsOutOfChallenges);
    CPPUNIT_TEST(tamperedStateIsRefused);
    CPPUNIT_TEST(verifyCasesMatchReference);
    CPPUNIT_TEST(badParametersAreErrors);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override { vectors_ = load_vectors("merkle.json"); }

    const json::Value& helpers() { return field(*vectors_, "helpers"); }
    const json::Value& cases() { return array_field(*vectors_, "cases", 10); }

    void nextSeedsMatchReference() {
        int checked = 0;
        std::string previous;
        for (const auto& h : array_field(helpers(), "get_next_seed", 8).GetArray()) {
            const std::string seed = hex_field(h, "seed_hex");
            const std::string next = next_seed(hex_field(h, "key_hex"), seed);
            CPPUNIT_ASSERT_EQUAL(string_field(h, "next_seed_hex"), hex_encode(next));
            auto hb = MerkleHeartbeat::create(hex_field(h, "key_hex"), std::nullopt);
            CPPUNIT_ASSERT_EQUAL(next, hb->next_seed(seed));
            if (checked > 0) CPPUNIT_ASSERT_EQUAL(previous, seed);  // the entries form a chain
            previous = next;
            ++checked;
        }
        CPPUNIT_ASSERT_EQUAL(8, checked);
    }

    void chunkHashesMatchReference() {
        int checked = 0;
        for (const auto& h : array_field(helpers(), "get_chunk_hash", 33).GetArray()) {
            const std::uint64_t filesz = uint_field(h, "filesz");
            RandomStream stream(string_field(h, "stream_seed"), filesz);
            const std::string file = stream.generate();
            const std::string seed = hex_field(h, "seed_hex");
            const std::uint64_t effective = effective_chunk_size(uint_field(h, "chunksz_arg"), filesz);
            CPPUNIT_ASSERT_EQUAL(uint_field(h, "effective_chunksz"), effective);
            CPPUNIT_ASSERT_EQUAL(uint_field(h, "prf_range"), filesz - effective + 1);
            auto prf = KeyedPrf::create(seed, uint_field(h, "prf_range"));
            CPPUNIT_ASSERT_EQUAL(uint_field(h, "offset"), prf->eval_u64(0));
            auto offset = chunk_offset(seed, filesz, effective);
            CPPUNIT_ASSERT(offset.ok());
            CPPUNIT_ASSERT_EQUAL(uint_field(h, "offset"), *offset);
            auto from_bytes = chunk_hash(file, seed, uint_field(h, "chunksz_arg"));
            CPPUNIT_ASSERT(from_bytes.ok());
            CPPUNIT_ASSERT_EQUAL(string_field(h, "hash_hex"), hex_encode(*from_bytes));
            auto from_stream = chunk_hash(stream, seed, uint_field(h, "chunksz_arg"));
            CPPUNIT_ASSERT(from_stream.ok());
            CPPUNIT_ASSERT_EQUAL(string_field(h, "hash_hex"), hex_encode(*from_stream));
            ++checked;
        }
        CPPUNIT_ASSERT_EQUAL(33, checked);
    }

    void stateHmacsMatchReference() {
        int checked = 0;
        for (const auto& h : array_field(helpers(), "state_get_hmac", 14).GetArray()) {
            MerkleState state;
            state.index = uint_field(h, "index");
            state.seed = hex_field(h, "seed_hex");
            state.n = uint_field(h, "n");
            state.root = hex_field(h, "root_hex");
            state.timestamp = parse_double(string_field(h, "timestamp_str"));
            CPPUNIT_ASSERT_EQUAL(double_field(h, "timestamp"), state.timestamp);
            CPPUNIT_ASSERT_EQUAL(string_field(h, "hmac_input_hex"), hex_encode(state_hmac_input(state)));
            auto hb = MerkleHeartbeat::create(hex_field(h, "key_hex"), std::nullopt);
            const std::string mac = hb->state_hmac(state);
            CPPUNIT_ASSERT_EQUAL(string_field(h, "hmac_hex"), hex_encode(mac));
            CPPUNIT_ASSERT_EQUAL(string_field(h, "hmac_b64"), base64_encode(mac));
            state.hmac = mac;
            CPPUNIT_ASSERT(hb->is_authentic(state));
            ++checked;
        }
        CPPUNIT_ASSERT_EQUAL(14, checked);
    }

    void chunkSizesFromCheckFractionMatchReference() {
        int checked = 0;
        for (const auto& h : array_field(helpers(), "chunksz_from_check_fraction", 25).GetArray()) {
            const auto& fraction = field(h, "check_fraction");
            const std::optional<double> cf =
                fraction.IsNull() ? std::nullopt : std::optional<double>(fraction.GetDouble());
            CPPUNIT_ASSERT_EQUAL(uint_field(h, "tag_chunksz"),
                                 chunk_size_from_fraction(cf, uint_field(h, "filesz")));
            ++checked;
        }
        CPPUNIT_ASSERT_EQUAL(25, checked);
    }

    void everyCaseEncodesLikeReference() {
        int checked = 0;
        for (const auto& c : cases().GetArray()) {
            const MerkleHeartbeat hb = heartbeat_for(c);
            const auto& args = field(c, "encode_args");
            const auto& stream_args = field(c, "stream");
            RandomStream stream(string_field(stream_args, "seed"), uint_field(stream_args, "size"));
            const std::string file = stream.generate();
            CPPUNIT_ASSERT_EQUAL(uint_field(args, "filesz"), static_cast<std::uint64_t>(file.size()));

            // Leaf seeds: the chain from the root seed.
            const auto& seeds = array_field(c, "leaf_seeds_b64");
            const auto& blobs = array_field(c, "leaf_blobs_b64");
            CPPUNIT_ASSERT_EQUAL(uint_field(args, "n"), static_cast<std::uint64_t>(seeds.Size()));
            CPPUNIT_ASSERT_EQUAL(seeds.Size(), blobs.Size());
            const std::uint64_t chunksz =
                field(args, "chunksz").IsNull()
                    ? chunk_size_from_fraction(hb.check_fraction(), file.size())
                    : uint_field(args, "chunksz");
            std::string seed = b64_field(args, "seed_b64");
            for (rapidjson::SizeType i = 0; i < seeds.Size(); ++i) {
                seed = hb.next_seed(seed);
                CPPUNIT_ASSERT_EQUAL(hex_encode(b64(seeds[i])), hex_encode(seed));
                CPPUNIT_ASSERT_EQUAL(hex_encode(b64(blobs[i])), hex_encode(*chunk_hash(file, seed, chunksz)));
            }

            MerkleHeartbeat::EncodeOptions options;
            options.n = uint_field(args, "n");
            options.seed = b64_field(args, "seed_b64");
            if (!field(args, "chunksz").IsNull()) options.chunksz = uint_field(args, "chunksz");
            options.timestamp = parse_double(string_field(c, "state_timestamp_str"));
            auto from_bytes = hb.encode(file, options);
            auto from_stream = hb.encode(stream, options);
            CPPUNIT_ASSERT(from_bytes.ok());
            CPPUNIT_ASSERT(from_stream.ok());
            for (const auto* encoded : {&*from_bytes, &*from_stream}) {
                const auto& tag = field(c, "tag");
                CPPUNIT_ASSERT_EQUAL(uint_field(tag, "chunksz"), encoded->tag.chunksz);
                CPPUNIT_ASSERT_EQUAL(uint_field(tag, "filesz"), encoded->tag.filesz);
                CPPUNIT_ASSERT_EQUAL(uint_field(field(tag, "tree"), "order"),
                                     static_cast<std::uint64_t>(encoded->tag.tree.order()));
                const auto& nodes = array_field(field(tag, "tree"), "nodes", 2);
                CPPUNIT_ASSERT_EQUAL(static_cast<std::size_t>(nodes.Size()), encoded->tag.tree.nodes().size());
                for (rapidjson::SizeType i = 0; i < nodes.Size(); ++i)
                    CPPUNIT_ASSERT_EQUAL(b64(nodes[i]), encoded->tag.tree.nodes()[i]);
                assert_states_equal(field(c, "state_after_encode"), encoded->state);
            }
            ++checked;
        }
        CPPUNIT_ASSERT_EQUAL(10, checked);
    }

    void everyStepMatchesReference() {
        int checked = 0;
        for (const auto& c : cases().GetArray()) {
            const MerkleHeartbeat hb = heartbeat_for(c);
            const auto& stream_args = field(c, "stream");
            RandomStream stream(string_field(stream_args, "seed"), uint_field(stream_args, "size"));
            const std::string file = stream.generate();
            auto tag = decode_tag(field(c, "tag"));
            CPPUNIT_ASSERT(tag.ok());
            const std::uint64_t effective = effective_chunk_size(tag->chunksz, file.size());
            MerkleState state = state_from(field(c, "state_after_encode"));
            for (const auto& step : array_field(c, "steps").GetArray()) {
                auto issued = hb.gen_challenge(state);
                CPPUNIT_ASSERT(issued.ok() && issued->has_value());
                const MerkleChallenge& challenge = (*issued)->challenge;
                const auto& expected = field(step, "challenge");
                CPPUNIT_ASSERT_EQUAL(hex_encode(b64_field(expected, "seed")), hex_encode(challenge.seed));
                CPPUNIT_ASSERT_EQUAL(uint_field(expected, "index"), challenge.index);
                assert_states_equal(field(step, "state_after"), (*issued)->state);
                CPPUNIT_ASSERT_EQUAL(uint_field(step, "chunk_offset"),
                                     *chunk_offset(challenge.seed, file.size(), effective));

                auto proof = MerkleHeartbeat::prove(file, challenge, *tag);
                CPPUNIT_ASSERT(proof.ok());
                assert_proofs_equal(field(step, "proof"), *proof);
                auto streamed = MerkleHeartbeat::prove(stream, challenge, *tag);
                CPPUNIT_ASSERT(streamed.ok());
                assert_proofs_equal(field(step, "proof"), *streamed);

                CPPUNIT_ASSERT(bool_field(step, "verify"));
                auto verdict = hb.verify(*proof, challenge, (*issued)->state);
                CPPUNIT_ASSERT(verdict.ok() && *verdict);
                state = (*issued)->state;
                ++checked;
            }
        }
        CPPUNIT_ASSERT_EQUAL(4 + 5 + 7 + 1 + 2 + 3 + 2 + 8 + 256 + 256, checked);
    }

    void lastStateIsOutOfChallenges() {
        int checked = 0;
        for (const auto& c : cases().GetArray()) {
            const auto& last = field(c, "gen_challenge_after_last");
            CPPUNIT_ASSERT_EQUAL(std::string("heartbeat.exc.HeartbeatError"), string_field(last, "raises"));
            CPPUNIT_ASSERT_EQUAL(std::string(kOutOfChallenges), string_field(last, "message"));
            auto issued = heartbeat_for(c).gen_challenge(state_from(field(last, "state")));
            CPPUNIT_ASSERT(issued.ok());
            CPPUNIT_ASSERT(!issued->has_value());
            ++checked;
        }
        CPPUNIT_ASSERT_EQUAL(10, checked);
    }

    void tamperedStateIsRefused() {
        int checked = 0;
        for (const auto& c : cases().GetArray()) {
            const auto& tampered = field(c, "gen_challenge_tampered_state");
            auto issued = heartbeat_for(c).gen_challenge(state_from(field(tampered, "state")));
            CPPUNIT_ASSERT(!issued.ok());
            CPPUNIT_ASSERT_EQUAL(string_field(tampered, "message"), issued.error().message);
            ++checked;
        }
        CPPUNIT_ASSERT_EQUAL(10, checked);
    }

    void verifyCasesMatchReference() {
        int checked = 0;
        int valid = 0;
        int raised = 0;
        for (const auto& c : cases().GetArray()) {
            const MerkleHeartbeat hb = heartbeat_for(c);
            for (const auto& v : array_field(c, "verify_cases", 10).GetArray()) {
                const std::string name = string_field(c, "name") + "/" + string_field(v, "name");
                auto proof = decode_proof(field(v, "proof"));
                auto challenge = decode_challenge(field(v, "challenge"));
                CPPUNIT_ASSERT_MESSAGE(name, proof.ok() && challenge.ok());
                auto result = hb.verify(*proof, *challenge, state_from(field(v, "state")));
                const auto& expected = field(v, "expected");
                if (expected.HasMember("raises")) {
                    CPPUNIT_ASSERT_MESSAGE(name, !result.ok());
                    CPPUNIT_ASSERT_EQUAL_MESSAGE(name, string_field(expected, "message"),
                                                 result.error().message);
                    ++raised;
                } else {
                    CPPUNIT_ASSERT_MESSAGE(name, result.ok());
                    CPPUNIT_ASSERT_EQUAL_MESSAGE(name, bool_field(expected, "result"), *result);
                    if (*result) ++valid;
                }
                ++checked;
            }
        }
        CPPUNIT_ASSERT_EQUAL(161, checked);
        CPPUNIT_ASSERT_EQUAL(30, valid);
        CPPUNIT_ASSERT_EQUAL(40, raised);
    }

    void badParametersAreErrors() {
        const std::string key(32, 'k');
        CPPUNIT_ASSERT(!MerkleHeartbeat::create(key, -0.01).ok());
        CPPUNIT_ASSERT(!MerkleHeartbeat::create(key, 1.5).ok());
        CPPUNIT_ASSERT(!MerkleHeartbeat::create(key, std::nan("")).ok());
        CPPUNIT_ASSERT(MerkleHeartbeat::create(key, 1.0).ok());
        auto hb = MerkleHeartbeat::create(key, 0.01);
        MerkleHeartbeat::EncodeOptions options;
        options.seed = std::string(32, 's');
        options.n = 0;
        CPPUNIT_ASSERT(!hb->encode("file", options).ok());
        options.n = MerkleHeartbeat::kMaxChallenges + 1;
        CPPUNIT_ASSERT(!hb->encode("file", options).ok());
        // A challenge seed that is not an AES key, or an index outside the tree.
        options.n = 4;
        auto encoded = hb->encode("some file bytes", options);
        CPPUNIT_ASSERT(encoded.ok());
        CPPUNIT_ASSERT(!MerkleHeartbeat::prove("some file bytes", {"short", 0}, encoded->tag).ok());
        CPPUNIT_ASSERT(!MerkleHeartbeat::prove("some file bytes", {std::string(32, 'x'), 4}, encoded->tag).ok());
        CPPUNIT_ASSERT(!chunk_offset(std::string(32, 'x'), 10, 11).ok());
    }

private:
    std::unique_ptr<json::Document> vectors_;
};
CPPUNIT_TEST_SUITE_REGISTRATION(MerkleHeartbeatTest);
