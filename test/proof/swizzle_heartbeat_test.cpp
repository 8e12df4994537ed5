#include "proof/swizzle_heartbeat.h"

#include "encoding/base64.h"
#include "encoding/hex.h"
#include "proof/swizzle_codec.h"
#include "proof/swizzle_limits.h"
#include "support/replay_random_source.h"
#include "support/swizzle_vectors.h"
#include "support/test_data.h"

#include <cppunit/extensions/HelperMacros.h>

using downstream::encoding::base64_encode;
using downstream::encoding::hex_encode;
using downstream::proof::BigNumber;
using downstream::proof::SwizzleHeartbeat;
using downstream::proof::SwizzleKeys;
using downstream::proof::SwizzleWriter;
namespace proof = downstream::proof;
namespace t = downstream::testing;

namespace {

// A private serialisation with chosen fields, for hostile variants.
std::string private_bytes(std::uint32_t enc_size, std::uint32_t sectors, std::uint32_t sector_size,
                          const BigNumber& p, std::uint8_t flags = 0) {
    SwizzleWriter out;
    out.put_u8(flags);
    out.put_u32(enc_size);
    out.put_bytes(std::string(enc_size, 'e'));
    out.put_sized_bytes(std::string(32, 'm'));
    out.put_u32(sectors);
    out.put_u32(sector_size);
    out.put_int(p);
    return out.take();
}

BigNumber power_of_two_minus_one(int bits) {
    std::string bytes((bits + 7) / 8, '\xff');
    if (bits % 8) bytes[0] = static_cast<char>((1 << (bits % 8)) - 1);
    return BigNumber::from_bytes(bytes);
}

}  // namespace

// The vectors' two heartbeats rebuilt from their fields, byte for byte, and the parser's
// reference rules and bounds.
class SwizzleHeartbeatTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(SwizzleHeartbeatTest);
    CPPUNIT_TEST(rebuildsBothVectorHeartbeats);
    CPPUNIT_TEST(parsesBothForms);
    CPPUNIT_TEST(publicFormStartsAsSpecified);
    CPPUNIT_TEST(onlyBitZeroOfFlagsCounts);
    CPPUNIT_TEST(refusesReferenceErrors);
    CPPUNIT_TEST(refusesOutOfBoundParameters);
    CPPUNIT_TEST(everyTruncationFailsCleanly);
    CPPUNIT_TEST(generatesAPrivateHeartbeat);
    CPPUNIT_TEST_SUITE_END();

public:
    void rebuildsBothVectorHeartbeats() {
        const auto doc = t::load_vectors("swizzle_deterministic.json");
        int checked = 0;
        for (const char* name : {"heartbeat", "three_sector_heartbeat"}) {
            const auto& hb = t::member(*doc, name);
            const auto& fields = t::member(hb, "private_fields");
            const SwizzleHeartbeat heartbeat = t::heartbeat_from_fields(fields);
            const std::string private_bytes = heartbeat.serialize();
            CPPUNIT_ASSERT_EQUAL(t::string_member(hb, "private_b64"), base64_encode(private_bytes));
            CPPUNIT_ASSERT_EQUAL(std::size_t{213}, private_bytes.size());
            const std::string public_bytes = heartbeat.public_heartbeat().serialize();
            CPPUNIT_ASSERT_EQUAL(t::string_member(hb, "public_b64"), base64_encode(public_bytes));
            CPPUNIT_ASSERT_EQUAL(std::size_t{141}, public_bytes.size());
            CPPUNIT_ASSERT_EQUAL(static_cast<int>(t::uint_member(fields, "p_bits")), heartbeat.p().bit_length());
            CPPUNIT_ASSERT_EQUAL(static_cast<std::uint32_t>(t::uint_member(hb, "chunk_size")), heartbeat.chunk_size());
            // S = floor(bitlen(p) / 8) in the reference's own heartbeats.
            CPPUNIT_ASSERT_EQUAL(static_cast<std::uint32_t>(heartbeat.p().bit_length() / 8), heartbeat.sector_size());
            ++checked;
        }
        CPPUNIT_ASSERT_EQUAL(2, checked);
    }
    void parsesBothForms() {
        const auto doc = t::load_vectors("swizzle_deterministic.json");
        const auto& hb = t::member(*doc, "heartbeat");
        const auto& fields = t::member(hb, "private_fields");
        auto parsed = SwizzleHeartbeat::parse(t::base64_member(hb, "private_b64"));
        CPPUNIT_ASSERT(parsed.ok());
        CPPUNIT_ASSERT(!parsed->is_public());
        CPPUNIT_ASSERT_EQUAL(t::string_member(fields, "k_enc_hex"), hex_encode(parsed->keys()->encryption));
        CPPUNIT_ASSERT_EQUAL(t::string_member(fields, "k_mac_hex"), hex_encode(parsed->keys()->mac));
        CPPUNIT_ASSERT_EQUAL(std::uint32_t{10}, parsed->sectors());
        CPPUNIT_ASSERT_EQUAL(std::uint32_t{127}, parsed->sector_size());
        CPPUNIT_ASSERT_EQUAL(t::string_member(fields, "p_hex"), hex_encode(parsed->p().to_bytes()));

        auto pub = SwizzleHeartbeat::parse(t::base64_member(hb, "public_b64"));
        CPPUNIT_ASSERT(pub.ok());
        CPPUNIT_ASSERT(pub->is_public());
        CPPUNIT_ASSERT(pub->keys() == nullptr);
        CPPUNIT_ASSERT(pub->p() == parsed->p());
        // Trailing bytes are ignored.
        CPPUNIT_ASSERT(SwizzleHeartbeat::parse(t::base64_member(hb, "public_b64") + "xyz").ok());
    }
    void publicFormStartsAsSpecified() {
        const auto doc = t::load_vectors("swizzle_deterministic.json");
        const std::string pub = t::base64_member(t::member(*doc, "heartbeat"), "public_b64");
        CPPUNIT_ASSERT_EQUAL(std::string("010a0000007f00000080000000"), hex_encode(pub.substr(0, 13)));
        CPPUNIT_ASSERT_EQUAL(std::string("AQoAAAB/AAAAgAAAAA"), base64_encode(pub).substr(0, 18));
    }
    void onlyBitZeroOfFlagsCounts() {
        const auto doc = t::load_vectors("swizzle_deterministic.json");
        std::string bytes = t::base64_member(t::member(*doc, "heartbeat"), "private_b64");
        bytes[0] = '\x02';
        auto flags2 = SwizzleHeartbeat::parse(bytes);
        CPPUNIT_ASSERT(flags2.ok());
        CPPUNIT_ASSERT(!flags2->is_public());
        bytes[0] = '\xfe';
        CPPUNIT_ASSERT(!SwizzleHeartbeat::parse(bytes)->is_public());
        // Bit 0 set on a private serialisation: the key fields are read as s, S and p.
        bytes[0] = '\x01';
        auto misread = SwizzleHeartbeat::parse(bytes);
        CPPUNIT_ASSERT(!misread.ok());
        CPPUNIT_ASSERT_EQUAL(std::string("Maximum integer size exceeded"), misread.error().message);
    }
    void refusesReferenceErrors() {
        const BigNumber p = power_of_two_minus_one(1020);
        CPPUNIT_ASSERT(SwizzleHeartbeat::parse(private_bytes(32, 10, 127, p)).ok());
        CPPUNIT_ASSERT_EQUAL(std::string("Incompatible key sizes."),
                             SwizzleHeartbeat::parse(private_bytes(16, 10, 127, p)).error().message);
        CPPUNIT_ASSERT_EQUAL(std::string("Incompatible key sizes."),
                             SwizzleHeartbeat::parse(private_bytes(33, 10, 127, p)).error().message);
        CPPUNIT_ASSERT_EQUAL(std::string("Unable to retrieve heartbeat flags."),
                             SwizzleHeartbeat::parse("").error().message);
        // Keys of other lengths are refused by create() too.
        CPPUNIT_ASSERT(!SwizzleHeartbeat::create(SwizzleKeys{std::string(16, 'k'), std::string(32, 'k')},
                                                 10, 127, p.copy()).ok());
    }
    void refusesOutOfBoundParameters() {
        struct Case { std::uint32_t sectors; std::uint32_t sector_size; int p_bits; bool ok; };
        const Case cases[] = {
            {0, 127, 1020, false},          // s = 0: the reference's encoder never ends
            {1, 127, 1020, true},
            {proof::kSwizzleMaxSectors, 127, 1020, true},
            {proof::kSwizzleMaxSectors + 1, 127, 1020, false},
            {0xffffffffu, 127, 1020, false},
            {10, 0, 1020, false},           // S = 0: the same
            {10, 1, 1020, true},
            {10, proof::kSwizzleMaxSectorSize, 1020, true},
            {10, proof::kSwizzleMaxSectorSize + 1, 1020, false},
            {10, 0xffffffffu, 1020, false},
            {10, 127, 0, false},            // zero modulus
            {10, 127, 8, false},            // tiny modulus
            {10, 127, proof::kSwizzleMinModulusBits - 1, false},
            {10, 127, proof::kSwizzleMinModulusBits, true},
            {10, 127, proof::kSwizzleMaxValueBits, true},
            {10, 127, proof::kSwizzleMaxValueBits + 1, false},
            {10, 127, 8192, false},         // the largest Int the codec reads
        };
        int checked = 0;
        for (const Case& c : cases) {
            const BigNumber modulus = c.p_bits == 0 ? BigNumber() : power_of_two_minus_one(c.p_bits);
            const std::string where = "s " + std::to_string(c.sectors) + " S " +
                                      std::to_string(c.sector_size) + " bits " + std::to_string(c.p_bits);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(where, c.ok,
                SwizzleHeartbeat::parse(private_bytes(32, c.sectors, c.sector_size, modulus)).ok());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(where, c.ok,
                SwizzleHeartbeat::parse(private_bytes(32, c.sectors, c.sector_size, modulus).substr(73)
                                            .insert(0, 1, '\x01')).ok());
            ++checked;
        }
        CPPUNIT_ASSERT_EQUAL(17, checked);
    }
    void everyTruncationFailsCleanly() {
        const auto doc = t::load_vectors("swizzle_deterministic.json");
        const auto& hb = t::member(*doc, "heartbeat");
        int refused = 0;
        for (const char* form : {"private_b64", "public_b64"}) {
            const std::string bytes = t::base64_member(hb, form);
            for (std::size_t n = 0; n < bytes.size(); ++n) {
                CPPUNIT_ASSERT(!SwizzleHeartbeat::parse(bytes.substr(0, n)).ok());
                ++refused;
            }
        }
        CPPUNIT_ASSERT_EQUAL(213 + 141, refused);
    }
    void generatesAPrivateHeartbeat() {
        const std::string k_enc(32, '\x11'), k_mac(32, '\x22');
        t::ReplayRandomSource random({k_enc, k_mac});
        const SwizzleHeartbeat heartbeat = SwizzleHeartbeat::generate(random);
        CPPUNIT_ASSERT_EQUAL(std::size_t{0}, random.remaining());
        CPPUNIT_ASSERT_EQUAL(k_enc, heartbeat.keys()->encryption);
        CPPUNIT_ASSERT_EQUAL(k_mac, heartbeat.keys()->mac);
        CPPUNIT_ASSERT_EQUAL(proof::kSwizzleGeneratedModulusBits, heartbeat.p().bit_length());
        CPPUNIT_ASSERT_EQUAL(1, BN_check_prime(heartbeat.p().get(), nullptr, nullptr));
        CPPUNIT_ASSERT_EQUAL(std::uint32_t{10}, heartbeat.sectors());
        CPPUNIT_ASSERT_EQUAL(std::uint32_t{127}, heartbeat.sector_size());
        const std::string bytes = heartbeat.serialize();
        CPPUNIT_ASSERT_EQUAL(std::size_t{213}, bytes.size());
        CPPUNIT_ASSERT_EQUAL(bytes, SwizzleHeartbeat::parse(bytes)->serialize());
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(SwizzleHeartbeatTest);
