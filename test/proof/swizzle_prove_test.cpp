#include "proof/swizzle_prove.h"

#include "encoding/base64.h"
#include "proof/swizzle_limits.h"
#include "support/swizzle_vectors.h"
#include "support/test_data.h"

#include <cppunit/extensions/HelperMacros.h>

using downstream::encoding::base64_encode;
using downstream::proof::BigNumber;
using downstream::proof::SwizzleHeartbeat;
namespace proof = downstream::proof;
namespace t = downstream::testing;

namespace {

const downstream::json::Value& verify_case(const downstream::json::Document& doc, const std::string& name) {
    for (const auto& c : t::array_member(doc, "verify_cases").GetArray())
        if (t::string_member(c, "name") == name) return c;
    CPPUNIT_FAIL("no verify case " + name);
    throw;  // unreachable
}

}  // namespace

// The farmer's computation: every proof of swizzle_deterministic.json rebuilt byte for byte
// from the public heartbeat, the regenerated file, the tag and the challenge, plus the proofs
// of the vectors' modified challenges and tag.
class SwizzleProveTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(SwizzleProveTest);
    CPPUNIT_TEST(everyVectorProofByteForByte);
    CPPUNIT_TEST(proofsOfModifiedChallengesAndTag);
    CPPUNIT_TEST(zeroTermsGiveTheZeroProof);
    CPPUNIT_TEST(refusedChallengeIsAnError);
    CPPUNIT_TEST_SUITE_END();

public:
    void everyVectorProofByteForByte() {
        const auto doc = t::load_vectors("swizzle_deterministic.json");
        int proofs = 0, zero = 0;
        for (const char* name : {"heartbeat", "three_sector_heartbeat"}) {
            const auto& hb = t::member(*doc, name);
            // The farmer holds only the public heartbeat.
            const SwizzleHeartbeat heartbeat = SwizzleHeartbeat::parse(t::base64_member(hb, "public_b64")).value();
            for (const auto& file : t::array_member(hb, "files").GetArray()) {
                const std::string bytes = t::vector_file(file);
                const auto tag = proof::parse_swizzle_tag(t::base64_member(file, "tag_b64")).value();
                for (const auto& c : t::array_member(file, "challenges").GetArray()) {
                    const auto challenge = proof::parse_swizzle_challenge(t::base64_member(c, "challenge_b64")).value();
                    auto made = proof::prove_swizzle(heartbeat, bytes, challenge, tag);
                    CPPUNIT_ASSERT(made.ok());
                    CPPUNIT_ASSERT_EQUAL(t::string_member(c, "proof_b64"), base64_encode(serialize(*made)));
                    ++proofs;
                    if (challenge.l == 0) ++zero;
                }
            }
        }
        CPPUNIT_ASSERT_EQUAL(15, proofs);
        CPPUNIT_ASSERT_EQUAL(5, zero);
    }
    void proofsOfModifiedChallengesAndTag() {
        const auto doc = t::load_vectors("swizzle_deterministic.json");
        const auto& hb = t::member(*doc, "heartbeat");
        const SwizzleHeartbeat heartbeat = SwizzleHeartbeat::parse(t::base64_member(hb, "public_b64")).value();
        const auto& file = t::array_member(hb, "files")[3];  // file_65536
        const std::string bytes = t::vector_file(file);
        const auto tag = proof::parse_swizzle_tag(t::base64_member(file, "tag_b64")).value();
        int checked = 0;
        for (const char* name : {"challenge_B_changed_matching_proof", "challenge_key_16_bytes"}) {
            const auto& c = verify_case(*doc, name);
            const auto challenge = proof::parse_swizzle_challenge(t::base64_member(c, "challenge")).value();
            auto made = proof::prove_swizzle(heartbeat, bytes, challenge, tag);
            CPPUNIT_ASSERT_MESSAGE(name, made.ok());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name, t::string_member(c, "proof"), base64_encode(serialize(*made)));
            ++checked;
        }
        // The tag with sigma_13's byte 10 flipped.
        const auto& c = verify_case(*doc, "proof_from_tampered_tag");
        auto tampered = proof::parse_swizzle_tag(t::base64_member(file, "tag_b64")).value();
        std::string sigma = tampered.sigmas[13].to_bytes();
        sigma[10] = static_cast<char>(sigma[10] ^ 0x01);
        tampered.sigmas[13] = BigNumber::from_bytes(sigma);
        const auto challenge = proof::parse_swizzle_challenge(t::base64_member(c, "challenge")).value();
        auto made = proof::prove_swizzle(heartbeat, bytes, challenge, tampered);
        CPPUNIT_ASSERT_EQUAL(t::string_member(c, "proof"), base64_encode(serialize(*made)));
        ++checked;
        CPPUNIT_ASSERT_EQUAL(3, checked);
    }
    void zeroTermsGiveTheZeroProof() {
        const auto doc = t::load_vectors("swizzle_deterministic.json");
        const SwizzleHeartbeat heartbeat = SwizzleHeartbeat::parse(
            t::base64_member(t::member(*doc, "heartbeat"), "public_b64")).value();
        const proof::SwizzleChallenge challenge{0, std::string(32, 'k'), heartbeat.p().copy()};
        auto made = proof::prove_swizzle(heartbeat, "some file", challenge, proof::SwizzleTag{});
        CPPUNIT_ASSERT(made.ok());
        CPPUNIT_ASSERT_EQUAL(std::size_t{10}, made->mu.size());
        for (const auto& mu : made->mu) CPPUNIT_ASSERT(mu.is_zero());
        CPPUNIT_ASSERT(made->sigma.is_zero());
    }
    void refusedChallengeIsAnError() {
        // A key AES refuses: the reference raises inside prove; here an Error, not a crash.
        const auto doc = t::load_vectors("swizzle_deterministic.json");
        const SwizzleHeartbeat heartbeat = SwizzleHeartbeat::parse(
            t::base64_member(t::member(*doc, "heartbeat"), "public_b64")).value();
        const proof::SwizzleChallenge bad_key{1, "", heartbeat.p().copy()};
        proof::SwizzleTag tag;
        tag.sigmas.push_back(BigNumber::from_word(1));
        tag.sigmas.push_back(BigNumber::from_word(2));
        CPPUNIT_ASSERT(!proof::prove_swizzle(heartbeat, "x", bad_key, tag).ok());
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(SwizzleProveTest);
