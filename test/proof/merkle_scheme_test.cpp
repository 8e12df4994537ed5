#include "proof/merkle_scheme.h"

#include "encoding/base64.h"
#include "json/json_parse.h"
#include "proof/merkle_json.h"
#include "proof/random_stream.h"
#include "support/test_data.h"
#include "support/vector_fields.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace downstream::proof;
using namespace downstream::testing;
using downstream::ManualClock;
namespace json = downstream::json;

namespace {

const json::Value& find_case(const json::Value& vectors, const std::string& name) {
    for (const auto& c : array_field(vectors, "cases", 10).GetArray())
        if (string_field(c, "name") == name) return c;
    CPPUNIT_FAIL("no vector case " + name);
    throw std::logic_error("unreachable");
}

std::string state_bytes(const json::Value& state_json) {
    auto state = decode_state(state_json);
    if (!state.ok()) CPPUNIT_FAIL("vector state does not decode");
    return MerkleScheme::serialize_state(*state);
}

std::string challenge_bytes(const json::Value& challenge_json) {
    auto challenge = decode_challenge(challenge_json);
    if (!challenge.ok()) CPPUNIT_FAIL("vector challenge does not decode");
    return MerkleScheme::serialize_challenge(*challenge);
}

}  // namespace

// The HeartbeatScheme adapter, checked against test/vectors/merkle.json: the node's opaque
// bytes carry vector states and challenges through gen_challenge and verify unchanged.
class MerkleSchemeTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(MerkleSchemeTest);
    CPPUNIT_TEST(encodeMakesTheReferenceTagAndState);
    CPPUNIT_TEST(challengesAndVerdictsFollowEveryStep);
    CPPUNIT_TEST(verifyCasesMapToVerdicts);
    CPPUNIT_TEST(proofParsingCasesMapToVerdicts);
    CPPUNIT_TEST(exhaustedStateGivesNoChallenge);
    CPPUNIT_TEST(tamperedOrMalformedBytesAreErrors);
    CPPUNIT_TEST(opaqueFormsRoundTripExactly);
    CPPUNIT_TEST(publicHeartbeatIsTheVectorOne);
    CPPUNIT_TEST(configIsValidated);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        vectors_ = load_vectors("merkle.json");
        key_ = b64_field(*vectors_, "node_key_b64");
        MerkleSchemeConfig config;
        config.key = key_;
        config.check_fraction = 0.01;
        config.challenges = 256;
        auto scheme = MerkleScheme::create(config, clock_);
        CPPUNIT_ASSERT(scheme.ok());
        scheme_ = std::move(scheme).value();
    }

    void encodeMakesTheReferenceTagAndState() {
        // n = 256, check fraction 0.01, as the node is configured: with the case's root seed
        // the tag is the vector's tag, text for text.
        const json::Value& c = find_case(*vectors_, "n256_32k_fraction_0.01");
        const std::string root_seed = b64_field(field(c, "encode_args"), "seed_b64");
        MerkleSchemeConfig config;
        config.key = key_;
        auto scheme = MerkleScheme::create(config, clock_, [&](std::size_t n) {
            CPPUNIT_ASSERT_EQUAL(std::size_t{32}, n);
            return root_seed;
        });
        RandomStream stream(string_field(field(c, "stream"), "seed"), 32768);
        const EncodedFile encoded = (*scheme)->encode(stream.generate());
        CPPUNIT_ASSERT_EQUAL(compact_json(field(c, "tag")), encoded.tag_json);

        // The state is the vector's, but for the timestamp: the node's clock, in seconds.
        auto state = MerkleScheme::parse_state(encoded.state);
        CPPUNIT_ASSERT(state.ok());
        auto expected = decode_state(field(c, "state_after_encode"));
        CPPUNIT_ASSERT_EQUAL(expected->index, state->index);
        CPPUNIT_ASSERT(expected->seed == state->seed);
        CPPUNIT_ASSERT_EQUAL(expected->n, state->n);
        CPPUNIT_ASSERT(expected->root == state->root);
        CPPUNIT_ASSERT_EQUAL(1418245200.739, state->timestamp);
        CPPUNIT_ASSERT((*scheme)->heartbeat().is_authentic(*state));
        // ...and it issues the vector's first challenge.
        auto issued = (*scheme)->gen_challenge(encoded.state);
        CPPUNIT_ASSERT(issued.ok() && issued->has_value());
        CPPUNIT_ASSERT_EQUAL(compact_json(field(array_field(c, "steps")[0], "challenge")),
                             (*issued)->challenge_json);
    }

    void challengesAndVerdictsFollowEveryStep() {
        int checked = 0;
        for (const auto& c : array_field(*vectors_, "cases", 10).GetArray()) {
            std::string state = state_bytes(field(c, "state_after_encode"));
            for (const auto& step : array_field(c, "steps").GetArray()) {
                auto issued = scheme_->gen_challenge(state);
                CPPUNIT_ASSERT(issued.ok() && issued->has_value());
                CPPUNIT_ASSERT_EQUAL(compact_json(field(step, "challenge")), (*issued)->challenge_json);
                CPPUNIT_ASSERT_EQUAL(state_bytes(field(step, "state_after")), (*issued)->state);
                CPPUNIT_ASSERT_EQUAL(challenge_bytes(field(step, "challenge")), (*issued)->challenge);
                auto verdict = scheme_->verify(field(step, "proof"), (*issued)->challenge, (*issued)->state);
                CPPUNIT_ASSERT(verdict.ok());
                CPPUNIT_ASSERT(*verdict == Verdict::Valid);
                state = (*issued)->state;
                ++checked;
            }
        }
        CPPUNIT_ASSERT_EQUAL(4 + 5 + 7 + 1 + 2 + 3 + 2 + 8 + 256 + 256, checked);
    }

    void verifyCasesMapToVerdicts() {
        int checked = 0;
        for (const auto& c : array_field(*vectors_, "cases", 10).GetArray()) {
            for (const auto& v : array_field(c, "verify_cases", 10).GetArray()) {
                const std::string name = string_field(c, "name") + "/" + string_field(v, "name");
                auto verdict = scheme_->verify(field(v, "proof"), challenge_bytes(field(v, "challenge")),
                                               state_bytes(field(v, "state")));
                const auto& expected = field(v, "expected");
                if (expected.HasMember("raises")) {
                    CPPUNIT_ASSERT_MESSAGE(name, !verdict.ok());
                    CPPUNIT_ASSERT_EQUAL(string_field(expected, "message"), verdict.error().message);
                } else {
                    CPPUNIT_ASSERT_MESSAGE(name, verdict.ok());
                    CPPUNIT_ASSERT_MESSAGE(name, *verdict == (bool_field(expected, "result") ? Verdict::Valid
                                                                                            : Verdict::Invalid));
                }
                ++checked;
            }
        }
        CPPUNIT_ASSERT_EQUAL(161, checked);
    }

    void proofParsingCasesMapToVerdicts() {
        int corrupted = 0;
        int checked = 0;
        for (const auto& p : array_field(field(*vectors_, "proof_parsing"), "cases", 8).GetArray()) {
            auto verdict = scheme_->verify(field(p, "proof"), challenge_bytes(field(p, "challenge")),
                                           state_bytes(field(p, "state")));
            CPPUNIT_ASSERT(verdict.ok());
            const auto& expected = field(p, "expected");
            Verdict want = Verdict::Corrupted;
            if (!expected.HasMember("raises")) want = bool_field(expected, "result") ? Verdict::Valid : Verdict::Invalid;
            CPPUNIT_ASSERT_MESSAGE(string_field(p, "name"), want == *verdict);
            corrupted += *verdict == Verdict::Corrupted;
            ++checked;
        }
        CPPUNIT_ASSERT_EQUAL(8, checked);
        CPPUNIT_ASSERT_EQUAL(4, corrupted);
        // A proof that is not even an object is corrupted, whatever the state.
        json::Value number(7);
        CPPUNIT_ASSERT(*scheme_->verify(number, "", "") == Verdict::Corrupted);
    }

    void exhaustedStateGivesNoChallenge() {
        int checked = 0;
        for (const auto& c : array_field(*vectors_, "cases", 10).GetArray()) {
            auto issued = scheme_->gen_challenge(state_bytes(field(field(c, "gen_challenge_after_last"), "state")));
            CPPUNIT_ASSERT(issued.ok());
            CPPUNIT_ASSERT(!issued->has_value());
            ++checked;
        }
        CPPUNIT_ASSERT_EQUAL(10, checked);
    }

    void tamperedOrMalformedBytesAreErrors() {
        int checked = 0;
        for (const auto& c : array_field(*vectors_, "cases", 10).GetArray()) {
            const auto& tampered = field(c, "gen_challenge_tampered_state");
            auto issued = scheme_->gen_challenge(state_bytes(field(tampered, "state")));
            CPPUNIT_ASSERT(!issued.ok());
            CPPUNIT_ASSERT_EQUAL(string_field(tampered, "message"), issued.error().message);
            ++checked;
        }
        CPPUNIT_ASSERT_EQUAL(10, checked);

        const json::Value& c = find_case(*vectors_, "n2");
        const std::string good = state_bytes(field(c, "state_after_encode"));
        CPPUNIT_ASSERT(scheme_->gen_challenge(good).ok());
        // Any flipped bit — index, n, timestamp, seed, root, hmac — fails the HMAC or the
        // parse; nothing is ever issued from it.
        for (std::size_t i = 0; i < good.size(); ++i) {
            std::string bad = good;
            bad[i] = static_cast<char>(bad[i] ^ 0x01);
            CPPUNIT_ASSERT_MESSAGE(std::to_string(i), !scheme_->gen_challenge(bad).ok());
        }
        CPPUNIT_ASSERT(!scheme_->gen_challenge(good.substr(0, good.size() - 1)).ok());
        CPPUNIT_ASSERT(!scheme_->gen_challenge(good + "x").ok());
        CPPUNIT_ASSERT(!scheme_->gen_challenge("").ok());
        const auto& step = array_field(c, "steps")[0];
        const std::string challenge = challenge_bytes(field(step, "challenge"));
        const std::string after = state_bytes(field(step, "state_after"));
        CPPUNIT_ASSERT(!scheme_->verify(field(step, "proof"), challenge.substr(1), after).ok());
        CPPUNIT_ASSERT(!scheme_->verify(field(step, "proof"), challenge, after.substr(2)).ok());
    }

    void opaqueFormsRoundTripExactly() {
        const json::Value& c = find_case(*vectors_, "n7_explicit_chunksz");
        auto state = decode_state(field(c, "state_after_encode"));
        const std::string bytes = MerkleScheme::serialize_state(*state);
        CPPUNIT_ASSERT_EQUAL(std::size_t{124}, bytes.size());
        auto back = MerkleScheme::parse_state(bytes);
        CPPUNIT_ASSERT(back.ok());
        CPPUNIT_ASSERT_EQUAL(to_json(*state), to_json(*back));
        // The timestamp's bits survive, so the HMAC over its Python text still holds.
        CPPUNIT_ASSERT_EQUAL(state->timestamp, back->timestamp);
        CPPUNIT_ASSERT(scheme_->heartbeat().is_authentic(*back));
        auto challenge = decode_challenge(field(array_field(c, "steps")[3], "challenge"));
        const std::string cbytes = MerkleScheme::serialize_challenge(*challenge);
        CPPUNIT_ASSERT_EQUAL(std::size_t{42}, cbytes.size());
        auto cback = MerkleScheme::parse_challenge(cbytes);
        CPPUNIT_ASSERT(cback.ok());
        CPPUNIT_ASSERT_EQUAL(to_json(*challenge), to_json(*cback));
        // Timestamps the vectors sign, odd ones included, round-trip bit for bit.
        for (double t : {1418245200.1234567, 1e16, 1.2345678901234568e16, 1e-05, 0.1, -0.0}) {
            MerkleState s = *state;
            s.timestamp = t;
            CPPUNIT_ASSERT_EQUAL(state_hmac_input(s),
                                 state_hmac_input(*MerkleScheme::parse_state(MerkleScheme::serialize_state(s))));
        }
    }

    void publicHeartbeatIsTheVectorOne() {
        const json::Value& c = find_case(*vectors_, "n256_32k_fraction_0.01");
        CPPUNIT_ASSERT_EQUAL(compact_json(field(c, "heartbeat_public")), scheme_->public_heartbeat_json());
        CPPUNIT_ASSERT_EQUAL(std::string("Merkle"), std::string(scheme_->type_name()));
    }

    void configIsValidated() {
        CPPUNIT_ASSERT(!make_merkle_scheme(std::string(31, 'k'), 0.01, 256).ok());
        CPPUNIT_ASSERT(!make_merkle_scheme(key_, 0.01, 0).ok());
        CPPUNIT_ASSERT(!make_merkle_scheme(key_, 0.01, MerkleHeartbeat::kMaxChallenges + 1).ok());
        CPPUNIT_ASSERT(!make_merkle_scheme(key_, -1, 256).ok());
        auto scheme = make_merkle_scheme(key_, 0.01, 256);
        CPPUNIT_ASSERT(scheme.ok());
        // The real scheme draws a fresh root seed per file.
        const EncodedFile a = (*scheme)->encode("the same file");
        const EncodedFile b = (*scheme)->encode("the same file");
        CPPUNIT_ASSERT(a.tag_json != b.tag_json);
        CPPUNIT_ASSERT(MerkleScheme::parse_state(a.state)->seed != MerkleScheme::parse_state(b.state)->seed);
    }

private:
    ManualClock clock_{1418245200739};
    std::unique_ptr<json::Document> vectors_;
    std::string key_;
    std::unique_ptr<MerkleScheme> scheme_;
};
CPPUNIT_TEST_SUITE_REGISTRATION(MerkleSchemeTest);
