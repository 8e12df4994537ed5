#include "proof/swizzle_proof.h"

#include "encoding/base64.h"
#include "encoding/hex.h"
#include "proof/swizzle_codec.h"
#include "proof/swizzle_limits.h"
#include "support/swizzle_vectors.h"
#include "support/test_data.h"

#include <cppunit/extensions/HelperMacros.h>

using downstream::encoding::base64_encode;
using downstream::encoding::hex_encode;
using downstream::proof::BigNumber;
using downstream::proof::SwizzleWriter;
namespace proof = downstream::proof;
namespace t = downstream::testing;

namespace {
std::string minimal_hex(const BigNumber& n) { return n.is_zero() ? "00" : hex_encode(n.to_bytes()); }
}  // namespace

// Every proof of swizzle_deterministic.json parsed field by field and re-serialised; hostile
// proofs refused after reading at most a bounded amount.
class SwizzleProofTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(SwizzleProofTest);
    CPPUNIT_TEST(everyVectorProofRoundTrips);
    CPPUNIT_TEST(nonMinimalAndUnreducedValuesParse);
    CPPUNIT_TEST(hostileCountsAndSizesAreRefused);
    CPPUNIT_TEST(everyTruncationFailsCleanly);
    CPPUNIT_TEST_SUITE_END();

public:
    void everyVectorProofRoundTrips() {
        const auto doc = t::load_vectors("swizzle_deterministic.json");
        int proofs = 0, values = 0;
        for (const char* name : {"heartbeat", "three_sector_heartbeat"}) {
            for (const auto& file : t::array_member(t::member(*doc, name), "files").GetArray()) {
                for (const auto& c : t::array_member(file, "challenges").GetArray()) {
                    auto parsed = proof::parse_swizzle_proof(t::base64_member(c, "proof_b64"));
                    CPPUNIT_ASSERT(parsed.ok());
                    const auto& fields = t::member(c, "proof_fields");
                    const auto& mu = t::array_member(fields, "mu");
                    CPPUNIT_ASSERT_EQUAL(t::uint_member(fields, "mu_count"), std::uint64_t{parsed->mu.size()});
                    CPPUNIT_ASSERT_EQUAL(std::size_t{mu.Size()}, parsed->mu.size());
                    for (rapidjson::SizeType j = 0; j < mu.Size(); ++j, ++values)
                        CPPUNIT_ASSERT_EQUAL(t::string_member(mu[j], "hex"), minimal_hex(parsed->mu[j]));
                    CPPUNIT_ASSERT_EQUAL(t::string_member(fields, "sigma_hex"), minimal_hex(parsed->sigma));
                    CPPUNIT_ASSERT_EQUAL(t::string_member(c, "proof_b64"), base64_encode(serialize(*parsed)));
                    ++proofs;
                }
            }
        }
        CPPUNIT_ASSERT_EQUAL(15, proofs);
        CPPUNIT_ASSERT_EQUAL(12 * 10 + 3 * 3, values);
    }
    void nonMinimalAndUnreducedValuesParse() {
        SwizzleWriter out;
        out.put_u32(2);
        out.put_sized_bytes(std::string("\x00\x00\x05", 3));  // 5, two leading zeros
        out.put_u32(0);                                        // L = 0 is zero
        out.put_int(BigNumber::from_bytes(std::string(129, '\xff')));  // 1032 bits: the limit
        auto parsed = proof::parse_swizzle_proof(out.take() + "trailing");
        CPPUNIT_ASSERT(parsed.ok());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{5}, parsed->mu[0].to_word());
        CPPUNIT_ASSERT(parsed->mu[1].is_zero());
        CPPUNIT_ASSERT_EQUAL(proof::kSwizzleMaxValueBits, parsed->sigma.bit_length());
    }
    void hostileCountsAndSizesAreRefused() {
        // A count of 2^32 - 1 with no data behind it.
        SwizzleWriter huge;
        huge.put_u32(0xffffffffu);
        CPPUNIT_ASSERT_EQUAL(std::string("Unable to retrieve integer size."),
                             proof::parse_swizzle_proof(huge.take()).error().message);
        // More mu values than any heartbeat has, even when the data holds them.
        SwizzleWriter many;
        many.put_u32(proof::kSwizzleMaxSectors + 1);
        for (std::uint32_t j = 0; j <= proof::kSwizzleMaxSectors + 1; ++j) many.put_int(BigNumber());
        CPPUNIT_ASSERT(!proof::parse_swizzle_proof(many.take()).ok());
        SwizzleWriter max;
        max.put_u32(proof::kSwizzleMaxSectors);
        for (std::uint32_t j = 0; j <= proof::kSwizzleMaxSectors; ++j) max.put_int(BigNumber());
        CPPUNIT_ASSERT(proof::parse_swizzle_proof(max.take()).ok());
        // Values above the bit limit, as mu and as sigma; oversize Int lengths.
        const BigNumber too_big = BigNumber::from_bytes(std::string("\x01") + std::string(129, '\0'));
        const BigNumber zero;
        for (int position = 0; position < 2; ++position) {
            SwizzleWriter out;
            out.put_u32(1);
            out.put_int(position == 0 ? too_big : zero);
            out.put_int(position == 1 ? too_big : zero);
            CPPUNIT_ASSERT(!proof::parse_swizzle_proof(out.take()).ok());
        }
        SwizzleWriter oversize;
        oversize.put_u32(1);
        oversize.put_u32(1025);
        oversize.put_bytes(std::string(1025, '\0'));
        CPPUNIT_ASSERT_EQUAL(std::string("Maximum integer size exceeded"),
                             proof::parse_swizzle_proof(oversize.take()).error().message);
    }
    void everyTruncationFailsCleanly() {
        const auto doc = t::load_vectors("swizzle_deterministic.json");
        const std::string bytes = t::base64_member(
            t::array_member(t::array_member(t::member(*doc, "heartbeat"), "files")[3], "challenges")[1],
            "proof_b64");
        int refused = 0;
        for (std::size_t n = 0; n < bytes.size(); ++n) {
            CPPUNIT_ASSERT(!proof::parse_swizzle_proof(bytes.substr(0, n)).ok());
            ++refused;
        }
        CPPUNIT_ASSERT_EQUAL(static_cast<int>(bytes.size()), refused);
        CPPUNIT_ASSERT(bytes.size() > 1400);
        CPPUNIT_ASSERT_EQUAL(std::string("Unable to retrieve proof mu count."),
                             proof::parse_swizzle_proof("").error().message);
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(SwizzleProofTest);
