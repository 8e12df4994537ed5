#include "proof/swizzle_gen_challenge.h"

#include "encoding/base64.h"
#include "support/replay_random_source.h"
#include "support/swizzle_vectors.h"
#include "support/test_data.h"

#include <cppunit/extensions/HelperMacros.h>

#include <cmath>
#include <limits>

using downstream::encoding::base64_encode;
using downstream::proof::SwizzleCountRule;
using downstream::proof::SwizzleHeartbeat;
using downstream::proof::SwizzleState;
namespace proof = downstream::proof;
namespace t = downstream::testing;

// Every challenge of swizzle_deterministic.json issued again from its recorded key, every
// gen_challenge_cases[] outcome, and the count rule (the reference's, and the node's l >= 1).
class SwizzleGenChallengeTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(SwizzleGenChallengeTest);
    CPPUNIT_TEST(everyVectorChallengeFromItsRecordedKey);
    CPPUNIT_TEST(everyGenChallengeCase);
    CPPUNIT_TEST(referenceCountTruncatesTheDoubleProduct);
    CPPUNIT_TEST(nodeCountIsNeverZero);
    CPPUNIT_TEST(nodeNeverIssuesAZeroChunkChallenge);
    CPPUNIT_TEST_SUITE_END();

public:
    void everyVectorChallengeFromItsRecordedKey() {
        const auto doc = t::load_vectors("swizzle_deterministic.json");
        int issued = 0, zero = 0;
        for (const char* name : {"heartbeat", "three_sector_heartbeat"}) {
            const auto& hb = t::member(*doc, name);
            const SwizzleHeartbeat heartbeat = t::heartbeat_from_fields(t::member(hb, "private_fields"));
            for (const auto& file : t::array_member(hb, "files").GetArray()) {
                const std::string state_bytes = t::base64_member(file, "state_b64");
                const SwizzleState state = SwizzleState::parse(state_bytes).value();
                for (const auto& c : t::array_member(file, "challenges").GetArray()) {
                    const double fraction = t::number_member(c, "check_fraction");
                    const auto l = t::uint_member(c, "l");
                    CPPUNIT_ASSERT_EQUAL(l, std::uint64_t{proof::swizzle_challenge_count(
                                                fraction, state.n(), SwizzleCountRule::Reference)});
                    t::ReplayRandomSource random({t::hex_member(t::member(c, "challenge_fields"), "key_hex")});
                    auto challenge = proof::gen_swizzle_challenge(heartbeat, state, fraction, random,
                                                                  SwizzleCountRule::Reference);
                    CPPUNIT_ASSERT(challenge.ok());
                    CPPUNIT_ASSERT_EQUAL(t::string_member(c, "challenge_b64"), base64_encode(serialize(*challenge)));
                    CPPUNIT_ASSERT_EQUAL(t::bool_member(c, "check_all"), challenge->l >= state.n());
                    // Challenges leave the state alone: all three were made from one state.
                    CPPUNIT_ASSERT(!t::bool_member(c, "state_changed_by_gen_challenge"));
                    CPPUNIT_ASSERT_EQUAL(state_bytes, state.serialize());
                    ++issued;
                    if (l == 0) ++zero;
                }
            }
        }
        CPPUNIT_ASSERT_EQUAL(15, issued);
        CPPUNIT_ASSERT_EQUAL(5, zero);
    }
    void everyGenChallengeCase() {
        const auto doc = t::load_vectors("swizzle_deterministic.json");
        const SwizzleHeartbeat heartbeat =
            t::heartbeat_from_fields(t::member(t::member(*doc, "heartbeat"), "private_fields"));
        const SwizzleHeartbeat public_heartbeat = heartbeat.public_heartbeat();
        int checked = 0, raised = 0;
        for (const auto& c : t::array_member(*doc, "gen_challenge_cases").GetArray()) {
            const std::string name = t::string_member(c, "name");
            const std::string who = t::string_member(c, "heartbeat");
            const SwizzleHeartbeat& used = who == "public" ? public_heartbeat : heartbeat;
            CPPUNIT_ASSERT(who == "public" || who == "private");
            t::ReplayRandomSource random({std::string(32, 'c')});
            const SwizzleState state = SwizzleState::parse(t::base64_member(c, "state")).value();
            auto challenge = proof::gen_swizzle_challenge(used, state, 1.0, random);
            const auto& expected = t::member(c, "expected");
            if (expected.HasMember("raises")) {
                CPPUNIT_ASSERT_MESSAGE(name, !challenge.ok());
                CPPUNIT_ASSERT_EQUAL_MESSAGE(name, t::string_member(expected, "message"), challenge.error().message);
                ++raised;
            } else {
                CPPUNIT_ASSERT_MESSAGE(name, challenge.ok() == t::bool_member(expected, "result"));
                CPPUNIT_ASSERT_EQUAL_MESSAGE(name, state.n(), challenge->l);
                CPPUNIT_ASSERT_MESSAGE(name, challenge->bound == heartbeat.p());
            }
            ++checked;
        }
        CPPUNIT_ASSERT_EQUAL(4, checked);
        CPPUNIT_ASSERT_EQUAL(3, raised);
    }
    void referenceCountTruncatesTheDoubleProduct() {
        CPPUNIT_ASSERT_EQUAL(std::uint32_t{28}, proof::swizzle_challenge_count(0.29, 100, SwizzleCountRule::Reference));
        CPPUNIT_ASSERT_EQUAL(std::uint32_t{26}, proof::swizzle_challenge_count(0.5, 52, SwizzleCountRule::Reference));
        CPPUNIT_ASSERT_EQUAL(std::uint32_t{5}, proof::swizzle_challenge_count(0.1, 52, SwizzleCountRule::Reference));
        CPPUNIT_ASSERT_EQUAL(std::uint32_t{2}, proof::swizzle_challenge_count(0.7, 3, SwizzleCountRule::Reference));
        CPPUNIT_ASSERT_EQUAL(std::uint32_t{0}, proof::swizzle_challenge_count(0.1, 3, SwizzleCountRule::Reference));
        CPPUNIT_ASSERT_EQUAL(std::uint32_t{0}, proof::swizzle_challenge_count(std::nan(""), 3, SwizzleCountRule::Reference));
        CPPUNIT_ASSERT_EQUAL(std::uint32_t{0}, proof::swizzle_challenge_count(-1.0, 3, SwizzleCountRule::Reference));
        CPPUNIT_ASSERT_EQUAL(0xffffffffu, proof::swizzle_challenge_count(
            std::numeric_limits<double>::infinity(), 3, SwizzleCountRule::Reference));
        CPPUNIT_ASSERT_EQUAL(0xffffffffu, proof::swizzle_challenge_count(2.0, 0xffffffffu, SwizzleCountRule::Reference));
    }
    void nodeCountIsNeverZero() {
        CPPUNIT_ASSERT_EQUAL(std::uint32_t{1}, proof::swizzle_challenge_count(0.1, 3, SwizzleCountRule::AtLeastOne));
        CPPUNIT_ASSERT_EQUAL(std::uint32_t{1}, proof::swizzle_challenge_count(0.01, 1, SwizzleCountRule::AtLeastOne));
        CPPUNIT_ASSERT_EQUAL(std::uint32_t{1}, proof::swizzle_challenge_count(std::nan(""), 1, SwizzleCountRule::AtLeastOne));
        CPPUNIT_ASSERT_EQUAL(std::uint32_t{28}, proof::swizzle_challenge_count(0.29, 100, SwizzleCountRule::AtLeastOne));
    }
    void nodeNeverIssuesAZeroChunkChallenge() {
        // file_1000's challenges 1 and 2 have l = 0 in the reference.
        const auto doc = t::load_vectors("swizzle_deterministic.json");
        const auto& hb = t::member(*doc, "heartbeat");
        const SwizzleHeartbeat heartbeat = t::heartbeat_from_fields(t::member(hb, "private_fields"));
        const auto& file = t::array_member(hb, "files")[1];
        const SwizzleState state = SwizzleState::parse(t::base64_member(file, "state_b64")).value();
        for (double fraction : {0.5, 0.1, 0.0001}) {
            t::ReplayRandomSource random({std::string(32, 'c')});
            auto challenge = proof::gen_swizzle_challenge(heartbeat, state, fraction, random);
            CPPUNIT_ASSERT(challenge.ok());
            CPPUNIT_ASSERT_EQUAL(std::uint32_t{1}, challenge->l);
        }
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(SwizzleGenChallengeTest);
