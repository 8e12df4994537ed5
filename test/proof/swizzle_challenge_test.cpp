#include "proof/swizzle_challenge.h"

#include "encoding/base64.h"
#include "encoding/hex.h"
#include "proof/swizzle_codec.h"
#include "support/swizzle_vectors.h"
#include "support/test_data.h"

#include <cppunit/extensions/HelperMacros.h>

using downstream::encoding::base64_encode;
using downstream::encoding::hex_encode;
using downstream::proof::BigNumber;
using downstream::proof::SwizzleChallenge;
using downstream::proof::SwizzleWriter;
namespace proof = downstream::proof;
namespace t = downstream::testing;

namespace {

std::string challenge_bytes(std::uint32_t l, std::uint32_t key_size, const BigNumber& bound) {
    SwizzleWriter out;
    out.put_u32(l);
    out.put_u32(key_size);
    out.put_bytes(std::string(key_size, 'k'));
    out.put_int(bound);
    return out.take();
}

}  // namespace

// Every challenge of swizzle_deterministic.json parsed field by field and re-serialised, and
// hostile challenges refused before any PRF runs.
class SwizzleChallengeTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(SwizzleChallengeTest);
    CPPUNIT_TEST(everyVectorChallengeRoundTrips);
    CPPUNIT_TEST(keySizesAndBounds);
    CPPUNIT_TEST(everyTruncationFailsCleanly);
    CPPUNIT_TEST_SUITE_END();

public:
    void everyVectorChallengeRoundTrips() {
        const auto doc = t::load_vectors("swizzle_deterministic.json");
        int checked = 0;
        for (const char* name : {"heartbeat", "three_sector_heartbeat"}) {
            for (const auto& file : t::array_member(t::member(*doc, name), "files").GetArray()) {
                for (const auto& c : t::array_member(file, "challenges").GetArray()) {
                    const std::string bytes = t::base64_member(c, "challenge_b64");
                    const auto& fields = t::member(c, "challenge_fields");
                    auto challenge = proof::parse_swizzle_challenge(bytes);
                    CPPUNIT_ASSERT(challenge.ok());
                    CPPUNIT_ASSERT_EQUAL(t::uint_member(fields, "l"), std::uint64_t{challenge->l});
                    CPPUNIT_ASSERT_EQUAL(t::uint_member(fields, "key_size"), std::uint64_t{challenge->key.size()});
                    CPPUNIT_ASSERT_EQUAL(t::string_member(fields, "key_hex"), hex_encode(challenge->key));
                    CPPUNIT_ASSERT_EQUAL(t::string_member(fields, "B_hex"), hex_encode(challenge->bound.to_bytes()));
                    CPPUNIT_ASSERT_EQUAL(t::string_member(c, "challenge_b64"), base64_encode(serialize(*challenge)));
                    CPPUNIT_ASSERT_EQUAL(std::size_t{172}, bytes.size());
                    ++checked;
                }
            }
        }
        CPPUNIT_ASSERT_EQUAL(15, checked);
    }
    void keySizesAndBounds() {
        const BigNumber p = BigNumber::from_bytes(std::string(128, '\x7f'));
        struct Case { std::uint32_t key_size; int bound; bool ok; };
        // bound: -1 = p, otherwise a small value or (1000+) bits of ones.
        const Case cases[] = {
            {32, -1, true}, {16, -1, true}, {24, -1, true},
            {0, -1, false}, {8, -1, false}, {20, -1, false}, {31, -1, false},  // not AES key lengths
            {32, 0, false}, {32, 1, false}, {32, 2, true},                     // B = 0, 1 refused
            {32, 1032, true}, {32, 1033, false}, {32, 8192, false},            // bit lengths
        };
        int checked = 0;
        for (const Case& c : cases) {
            BigNumber bound = c.bound < 0 ? p.copy()
                            : c.bound < 3 ? BigNumber::from_word(static_cast<std::uint64_t>(c.bound))
                                          : BigNumber::from_bytes(std::string((c.bound + 7) / 8, '\xff'));
            if (c.bound == 1033) bound = BigNumber::from_bytes(std::string("\x01") + std::string(129, '\xff'));
            const std::string where = "key " + std::to_string(c.key_size) + " bound " + std::to_string(c.bound);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(where, c.ok, proof::parse_swizzle_challenge(challenge_bytes(7, c.key_size, bound)).ok());
            ++checked;
        }
        CPPUNIT_ASSERT_EQUAL(13, checked);
        CPPUNIT_ASSERT_EQUAL(std::string("Invalid key size."),
                             proof::parse_swizzle_challenge(challenge_bytes(7, 33, p)).error().message);
        CPPUNIT_ASSERT_EQUAL(std::string("Invalid key size."),
                             proof::parse_swizzle_challenge(std::string("\x07\0\0\0\xff\xff\xff\xff", 8)).error().message);
        // Any l parses (l >= n means check-all, bounded by n when verifying).
        auto huge_l = proof::parse_swizzle_challenge(challenge_bytes(0xffffffffu, 32, p));
        CPPUNIT_ASSERT(huge_l.ok());
        CPPUNIT_ASSERT_EQUAL(0xffffffffu, huge_l->l);
        // Trailing bytes are ignored.
        CPPUNIT_ASSERT(proof::parse_swizzle_challenge(challenge_bytes(7, 32, p) + "zz").ok());
    }
    void everyTruncationFailsCleanly() {
        const auto doc = t::load_vectors("swizzle_deterministic.json");
        const std::string bytes = t::base64_member(
            t::array_member(t::array_member(t::member(*doc, "heartbeat"), "files")[3], "challenges")[1],
            "challenge_b64");
        int refused = 0;
        for (std::size_t n = 0; n < bytes.size(); ++n) {
            CPPUNIT_ASSERT(!proof::parse_swizzle_challenge(bytes.substr(0, n)).ok());
            ++refused;
        }
        CPPUNIT_ASSERT_EQUAL(172, refused);
        CPPUNIT_ASSERT_EQUAL(std::string("Unable to read l."), proof::parse_swizzle_challenge("").error().message);
        CPPUNIT_ASSERT_EQUAL(std::string("Unable to read key size."), proof::parse_swizzle_challenge(bytes.substr(0, 6)).error().message);
        CPPUNIT_ASSERT_EQUAL(std::string("Key corrupted."), proof::parse_swizzle_challenge(bytes.substr(0, 20)).error().message);
        CPPUNIT_ASSERT_EQUAL(std::string("Unable to read B size."), proof::parse_swizzle_challenge(bytes.substr(0, 41)).error().message);
        CPPUNIT_ASSERT_EQUAL(std::string("Integer not retrievable."), proof::parse_swizzle_challenge(bytes.substr(0, 171)).error().message);
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(SwizzleChallengeTest);
