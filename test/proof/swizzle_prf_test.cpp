#include "proof/swizzle_prf.h"

#include "encoding/hex.h"
#include "support/swizzle_vectors.h"
#include "support/test_data.h"

#include <cppunit/extensions/HelperMacros.h>

using downstream::encoding::hex_decode;
using downstream::encoding::hex_encode;
using downstream::proof::BigNumber;
using downstream::proof::SwizzlePrf;
namespace t = downstream::testing;

namespace {
std::string unhex(const std::string& s) { return hex_decode(s).value(); }
const std::string kKey = unhex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
std::string minimal_hex(const BigNumber& n) {
    return n.is_zero() ? "00" : hex_encode(n.to_bytes());
}
}  // namespace

// SWIZZLE.md §3's worked examples and every prf_cases[] entry of swizzle_deterministic.json;
// the per-file f(i) and alpha_j values are checked in swizzle_encode_test.
class SwizzlePrfTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(SwizzlePrfTest);
    CPPUNIT_TEST(workedExampleLimit52);
    CPPUNIT_TEST(workedExampleSecondAttemptUsesNextKeystreamByte);
    CPPUNIT_TEST(everyVectorCase);
    CPPUNIT_TEST(refusesBadKeyLengthsAndZeroLimit);
    CPPUNIT_TEST_SUITE_END();

public:
    void workedExampleLimit52() {
        auto out = SwizzlePrf::create(kKey, BigNumber::from_word(52))->evaluate(0);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{45}, out.value.to_word());
        CPPUNIT_ASSERT_EQUAL(1, out.attempts);
    }
    void workedExampleSecondAttemptUsesNextKeystreamByte() {
        auto out = SwizzlePrf::create(kKey, BigNumber::from_word(3))->evaluate(0xffffffffu);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{1}, out.value.to_word());
        CPPUNIT_ASSERT_EQUAL(2, out.attempts);
    }
    void everyVectorCase() {
        const auto doc = t::load_vectors("swizzle_deterministic.json");
        const auto& cases = t::array_member(*doc, "prf_cases");
        int checked = 0, key16 = 0, wide = 0;
        for (const auto& c : cases.GetArray()) {
            const std::string key = t::hex_member(c, "key_hex");
            const BigNumber limit = BigNumber::from_decimal(t::string_member(c, "limit")).value();
            const auto input = static_cast<std::uint32_t>(t::uint_member(c, "i"));
            auto prf = SwizzlePrf::create(key, limit);
            CPPUNIT_ASSERT(prf.ok());
            const auto out = prf->evaluate(input);
            const std::string where = "limit " + t::string_member(c, "limit") + " i " + std::to_string(input);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(where, t::string_member(c, "output_hex"), minimal_hex(out.value));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(where, static_cast<int>(t::uint_member(c, "attempts")), out.attempts);
            CPPUNIT_ASSERT_MESSAGE(where, out.value < limit);
            ++checked;
            if (key.size() == 16) ++key16;
            if (limit.bit_length() > 256) ++wide;
        }
        CPPUNIT_ASSERT_EQUAL(132, checked);
        CPPUNIT_ASSERT_EQUAL(4, key16);
        CPPUNIT_ASSERT(wide >= 8);  // limits wider than the digest: zero-padded blocks
    }
    void refusesBadKeyLengthsAndZeroLimit() {
        for (std::size_t size : {0, 8, 15, 17, 31, 33, 64}) {
            auto prf = SwizzlePrf::create(std::string(size, 'k'), BigNumber::from_word(5));
            CPPUNIT_ASSERT(!prf.ok());
            CPPUNIT_ASSERT_EQUAL("AES/CFB: " + std::to_string(size) + " is not a valid key length",
                                 prf.error().message);
        }
        CPPUNIT_ASSERT(SwizzlePrf::create(std::string(24, 'k'), BigNumber::from_word(5)).ok());
        CPPUNIT_ASSERT(!SwizzlePrf::create(kKey, BigNumber()).ok());
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(SwizzlePrfTest);
