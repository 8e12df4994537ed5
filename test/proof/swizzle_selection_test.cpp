#include "proof/swizzle_selection.h"

#include "encoding/hex.h"
#include "support/swizzle_vectors.h"
#include "support/test_data.h"

#include <cppunit/extensions/HelperMacros.h>

using downstream::encoding::hex_encode;
using downstream::proof::BigNumber;
namespace proof = downstream::proof;
namespace t = downstream::testing;

namespace {
std::string minimal_hex(const BigNumber& n) { return n.is_zero() ? "00" : hex_encode(n.to_bytes()); }
}  // namespace

// Every selected index and coefficient of every vector challenge, with attempt counts.
class SwizzleSelectionTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(SwizzleSelectionTest);
    CPPUNIT_TEST(everyVectorSelection);
    CPPUNIT_TEST(checkAllIsBoundedByTheChunkCount);
    CPPUNIT_TEST(refusedKeysAndBoundsAreErrors);
    CPPUNIT_TEST_SUITE_END();

public:
    void everyVectorSelection() {
        const auto doc = t::load_vectors("swizzle_deterministic.json");
        int terms = 0, drawn = 0, repeated_attempts = 0;
        for (const char* name : {"heartbeat", "three_sector_heartbeat"}) {
            for (const auto& file : t::array_member(t::member(*doc, name), "files").GetArray()) {
                const auto n = static_cast<std::uint32_t>(t::uint_member(file, "n"));
                for (const auto& c : t::array_member(file, "challenges").GetArray()) {
                    const auto challenge = proof::parse_swizzle_challenge(t::base64_member(c, "challenge_b64")).value();
                    auto selected = proof::select_swizzle_terms(challenge, n);
                    CPPUNIT_ASSERT(selected.ok());
                    const auto& expected = t::array_member(c, "selected");
                    CPPUNIT_ASSERT_EQUAL(std::size_t{expected.Size()}, selected->size());
                    const bool check_all = t::bool_member(c, "check_all");
                    for (rapidjson::SizeType k = 0; k < expected.Size(); ++k) {
                        const auto& e = expected[k];
                        const auto& term = (*selected)[k];
                        CPPUNIT_ASSERT_EQUAL(std::uint64_t{k}, t::uint_member(e, "i"));
                        CPPUNIT_ASSERT_EQUAL(t::uint_member(e, "index"), std::uint64_t{term.index});
                        if (check_all) {
                            CPPUNIT_ASSERT(!e.HasMember("index_attempts"));
                            CPPUNIT_ASSERT_EQUAL(0, term.index_attempts);
                        } else {
                            CPPUNIT_ASSERT_EQUAL(static_cast<int>(t::uint_member(e, "index_attempts")), term.index_attempts);
                            ++drawn;
                        }
                        CPPUNIT_ASSERT_EQUAL(t::string_member(e, "v_hex"), minimal_hex(term.coefficient));
                        CPPUNIT_ASSERT_EQUAL(static_cast<int>(t::uint_member(e, "v_attempts")), term.coefficient_attempts);
                        if (term.index_attempts > 1 || term.coefficient_attempts > 1) ++repeated_attempts;
                        ++terms;
                    }
                }
            }
        }
        // Check-all: 1 + 1 + 3 + 52; drawn: 1 + 26 + 5 + 3 × 2.
        CPPUNIT_ASSERT_EQUAL(57 + 38, terms);
        CPPUNIT_ASSERT_EQUAL(38, drawn);
        CPPUNIT_ASSERT(repeated_attempts > 0);
    }
    void checkAllIsBoundedByTheChunkCount() {
        proof::SwizzleChallenge challenge{0xffffffffu, std::string(32, 'k'), BigNumber::from_word(1000)};
        auto selected = proof::select_swizzle_terms(challenge, 4);
        CPPUNIT_ASSERT_EQUAL(std::size_t{4}, selected->size());
        for (std::uint32_t k = 0; k < 4; ++k) CPPUNIT_ASSERT_EQUAL(k, (*selected)[k].index);
        // No chunks at all: nothing to select, and no PRF with limit 0.
        CPPUNIT_ASSERT(proof::select_swizzle_terms(challenge, 0)->empty());
        challenge.l = 0;
        CPPUNIT_ASSERT(proof::select_swizzle_terms(challenge, 4)->empty());
    }
    void refusedKeysAndBoundsAreErrors() {
        CPPUNIT_ASSERT(!proof::select_swizzle_terms({3, std::string(20, 'k'), BigNumber::from_word(9)}, 5).ok());
        CPPUNIT_ASSERT(!proof::select_swizzle_terms({3, std::string(32, 'k'), BigNumber()}, 5).ok());
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(SwizzleSelectionTest);
