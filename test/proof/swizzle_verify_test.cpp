#include "proof/swizzle_verify.h"

#include "encoding/base64.h"
#include "proof/swizzle_json.h"
#include "proof/swizzle_tag.h"
#include "support/swizzle_vectors.h"
#include "support/test_data.h"

#include <cppunit/extensions/HelperMacros.h>


using downstream::encoding::base64_decode_prefix;
using downstream::proof::SwizzleHeartbeat;
using downstream::proof::SwizzleState;
namespace proof = downstream::proof;
namespace t = downstream::testing;

namespace {

// What the reference did with one (heartbeat, proof, challenge, state): returned a bool, or
// raised while parsing one of the four objects, or raised inside verify.
struct Outcome {
    std::string stage;  // "parse" or "verify"
    bool raised = false;
    bool result = false;
    std::string message;
};

// Parses the four base64 objects as the reference's fromdict() does and verifies.
Outcome run(const std::string& heartbeat_b64, const std::string& proof_b64,
            const std::string& challenge_b64, const std::string& state_b64) {
    auto heartbeat = SwizzleHeartbeat::parse(base64_decode_prefix(heartbeat_b64));
    if (!heartbeat) return {"parse", true, false, heartbeat.error().message};
    auto proof = proof::parse_swizzle_proof(base64_decode_prefix(proof_b64));
    if (!proof) return {"parse", true, false, proof.error().message};
    auto challenge = proof::parse_swizzle_challenge(base64_decode_prefix(challenge_b64));
    if (!challenge) return {"parse", true, false, challenge.error().message};
    auto state = SwizzleState::parse(base64_decode_prefix(state_b64));
    if (!state) return {"parse", true, false, state.error().message};
    auto ok = proof::verify_swizzle(*heartbeat, *proof, *challenge, *state);
    if (!ok) return {"verify", true, false, ok.error().message};
    return {"verify", false, *ok, ""};
}

}  // namespace

// Every verification the vectors record, with the recorded outcome: the challenges of every
// file, verify_cases[] of swizzle_deterministic.json, and the recorded run of swizzle.json.
class SwizzleVerifyTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(SwizzleVerifyTest);
    CPPUNIT_TEST(everyVectorProofVerifies);
    CPPUNIT_TEST(everyDeterministicVerifyCase);
    CPPUNIT_TEST(recordedRunSteps);
    CPPUNIT_TEST(recordedRunVerifyCases);
    CPPUNIT_TEST(hugeLIsBoundedByN);
    CPPUNIT_TEST_SUITE_END();

public:
    void everyVectorProofVerifies() {
        const auto doc = t::load_vectors("swizzle_deterministic.json");
        int verified = 0;
        for (const char* name : {"heartbeat", "three_sector_heartbeat"}) {
            const auto& hb = t::member(*doc, name);
            const std::string private_b64 = t::string_member(hb, "private_b64");
            for (const auto& file : t::array_member(hb, "files").GetArray()) {
                for (const auto& c : t::array_member(file, "challenges").GetArray()) {
                    const Outcome out = run(private_b64, t::string_member(c, "proof_b64"),
                                            t::string_member(c, "challenge_b64"),
                                            t::string_member(file, "state_b64"));
                    CPPUNIT_ASSERT(!out.raised);
                    CPPUNIT_ASSERT_EQUAL(t::bool_member(t::member(c, "verify"), "result"), out.result);
                    CPPUNIT_ASSERT(out.result);
                    ++verified;
                }
            }
        }
        CPPUNIT_ASSERT_EQUAL(15, verified);
    }
    void everyDeterministicVerifyCase() {
        const auto doc = t::load_vectors("swizzle_deterministic.json");
        const auto& hb = t::member(*doc, "heartbeat");
        int checked = 0, trues = 0, falses = 0, raises = 0;
        for (const auto& c : t::array_member(*doc, "verify_cases").GetArray()) {
            const std::string name = t::string_member(c, "name");
            const std::string who = t::string_member(c, "heartbeat");
            const std::string heartbeat_b64 = who == "private" ? t::string_member(hb, "private_b64")
                                            : who == "public"  ? t::string_member(hb, "public_b64")
                                                               : t::string_member(c, "heartbeat_b64");
            const Outcome out = run(heartbeat_b64, t::string_member(c, "proof"),
                                    t::string_member(c, "challenge"), t::string_member(c, "state"));
            const auto& expected = t::member(c, "expected");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name, t::string_member(expected, "stage"), out.stage);
            if (expected.HasMember("raises")) {
                CPPUNIT_ASSERT_MESSAGE(name, out.raised);
                // The node's messages follow the reference's wherever the vectors record one.
                CPPUNIT_ASSERT_EQUAL_MESSAGE(name, t::string_member(expected, "message"), out.message);
                ++raises;
            } else {
                CPPUNIT_ASSERT_MESSAGE(name + ": " + out.message, !out.raised);
                CPPUNIT_ASSERT_EQUAL_MESSAGE(name, t::bool_member(expected, "result"), out.result);
                ++(out.result ? trues : falses);
            }
            ++checked;
        }
        CPPUNIT_ASSERT_EQUAL(40, checked);
        CPPUNIT_ASSERT_EQUAL(11, trues);
        CPPUNIT_ASSERT_EQUAL(21, falses);
        CPPUNIT_ASSERT_EQUAL(8, raises);
    }
    void recordedRunSteps() {
        const auto doc = t::load_vectors("swizzle.json");
        CPPUNIT_ASSERT_EQUAL(std::string("Swizzle"), t::string_member(*doc, "farmer_type_name"));
        const std::string private_b64 = t::string_member(*doc, "heartbeat_private");
        // The recorded objects parse and re-serialise to the same text.
        const auto heartbeat = SwizzleHeartbeat::parse(base64_decode_prefix(private_b64)).value();
        CPPUNIT_ASSERT_EQUAL(private_b64, downstream::encoding::base64_encode(heartbeat.serialize()));
        CPPUNIT_ASSERT_EQUAL(t::string_member(*doc, "heartbeat_public"),
                             downstream::encoding::base64_encode(heartbeat.public_heartbeat().serialize()));
        const auto tag = proof::parse_swizzle_tag(base64_decode_prefix(t::string_member(*doc, "tag")));
        CPPUNIT_ASSERT(tag.ok());
        CPPUNIT_ASSERT_EQUAL(t::string_member(*doc, "tag"), downstream::encoding::base64_encode(serialize(*tag)));
        int steps = 0;
        for (const auto& step : t::array_member(*doc, "steps").GetArray()) {
            CPPUNIT_ASSERT_EQUAL(t::string_member(step, "state_before"), t::string_member(step, "state_after"));
            CPPUNIT_ASSERT(!t::bool_member(step, "state_changed_by_gen_challenge"));
            const Outcome out = run(private_b64, t::string_member(step, "proof"),
                                    t::string_member(step, "challenge"), t::string_member(step, "state_before"));
            CPPUNIT_ASSERT(!out.raised);
            CPPUNIT_ASSERT_EQUAL(t::bool_member(t::member(step, "verify"), "result"), out.result);
            ++steps;
        }
        CPPUNIT_ASSERT_EQUAL(3, steps);
    }
    void recordedRunVerifyCases() {
        const auto doc = t::load_vectors("swizzle.json");
        int checked = 0, trues = 0;
        for (const auto& c : t::array_member(*doc, "verify_cases").GetArray()) {
            const std::string name = t::string_member(c, "name");
            const std::string heartbeat_b64 = t::string_member(
                *doc, name == "verify_with_public_heartbeat" ? "heartbeat_public" : "heartbeat_private");
            const Outcome out = run(heartbeat_b64, t::string_member(c, "proof"),
                                    t::string_member(c, "challenge"), t::string_member(c, "state"));
            CPPUNIT_ASSERT_MESSAGE(name, !out.raised);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name, t::bool_member(t::member(c, "expected"), "result"), out.result);
            if (out.result) ++trues;
            ++checked;
        }
        CPPUNIT_ASSERT_EQUAL(6, checked);
        CPPUNIT_ASSERT_EQUAL(1, trues);
    }
    void hugeLIsBoundedByN() {
        // l = 2^32 - 1 against a 52-chunk file: check-all over 52 chunks, answered at once.
        const auto doc = t::load_vectors("swizzle_deterministic.json");
        const auto& hb = t::member(*doc, "heartbeat");
        const auto heartbeat = t::heartbeat_from_fields(t::member(hb, "private_fields"));
        const auto& file = t::array_member(hb, "files")[3];
        const auto& check_all = t::array_member(file, "challenges")[0];
        auto challenge = proof::parse_swizzle_challenge(t::base64_member(check_all, "challenge_b64")).value();
        challenge.l = 0xffffffffu;
        const auto proof = proof::parse_swizzle_proof(t::base64_member(check_all, "proof_b64")).value();
        const auto state = SwizzleState::parse(t::base64_member(file, "state_b64")).value();
        auto ok = proof::verify_swizzle(heartbeat, proof, challenge, state);
        CPPUNIT_ASSERT(ok.ok());
        CPPUNIT_ASSERT(*ok);  // l >= n means the same check-all challenge
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(SwizzleVerifyTest);
