#include "proof/swizzle_codec.h"

#include "encoding/hex.h"

#include <cppunit/extensions/HelperMacros.h>

using downstream::encoding::hex_decode;
using downstream::encoding::hex_encode;
using downstream::proof::BigNumber;
using downstream::proof::SwizzleReader;
using downstream::proof::SwizzleWriter;

namespace {
std::string unhex(const std::string& s) { return hex_decode(s).value(); }
}  // namespace

// SWIZZLE.md §2: u32 little-endian, Int = u32 length + minimal big-endian bytes, reader limits.
class SwizzleCodecTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(SwizzleCodecTest);
    CPPUNIT_TEST(u32IsLittleEndian);
    CPPUNIT_TEST(intIsMinimalBigEndianWithZeroAsOneByte);
    CPPUNIT_TEST(readerAcceptsEmptyAndPaddedInts);
    CPPUNIT_TEST(readerRefusesOversizeInt);
    CPPUNIT_TEST(readerRefusesShortInt);
    CPPUNIT_TEST(missingFieldsCarryTheCallersMessage);
    CPPUNIT_TEST_SUITE_END();

public:
    void u32IsLittleEndian() {
        SwizzleWriter out;
        out.put_u32(10);
        out.put_u32(0x01020304);
        out.put_u8(0xab);
        CPPUNIT_ASSERT_EQUAL(std::string("0a00000004030201ab"), hex_encode(out.take()));
        const std::string data = unhex("0a00000004030201ab");
        SwizzleReader in(data);
        CPPUNIT_ASSERT_EQUAL(std::uint32_t{10}, *in.u32("x"));
        CPPUNIT_ASSERT_EQUAL(std::uint32_t{0x01020304}, *in.u32("x"));
        CPPUNIT_ASSERT_EQUAL(std::uint8_t{0xab}, *in.u8("x"));
        CPPUNIT_ASSERT_EQUAL(std::size_t{0}, in.remaining());
    }
    void intIsMinimalBigEndianWithZeroAsOneByte() {
        SwizzleWriter out;
        out.put_int(BigNumber());
        out.put_int(BigNumber::from_word(255));
        out.put_int(BigNumber::from_word(256));
        out.put_sized_bytes("ab");
        CPPUNIT_ASSERT_EQUAL(std::string("0100000000" "01000000ff" "020000000100" "020000006162"),
                             hex_encode(out.take()));
    }
    void readerAcceptsEmptyAndPaddedInts() {
        const std::string data = unhex("00000000" "0300000000012c" "0100000000");
        SwizzleReader in(data);
        CPPUNIT_ASSERT(in.integer("m")->is_zero());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{300}, in.integer("m")->to_word());
        CPPUNIT_ASSERT(in.integer("m")->is_zero());
        CPPUNIT_ASSERT_EQUAL(std::size_t{0}, in.remaining());
    }
    void readerRefusesOversizeInt() {
        // 1024 bytes is the largest accepted length; 1025 fails before reading the body.
        std::string ok = unhex("00040000") + std::string(1024, '\x01');
        SwizzleReader accepted(ok);
        CPPUNIT_ASSERT_EQUAL(8185, accepted.integer("m")->bit_length());
        std::string big = unhex("01040000") + std::string(1025, '\x01');
        SwizzleReader refused(big);
        auto r = refused.integer("m");
        CPPUNIT_ASSERT(!r.ok());
        CPPUNIT_ASSERT_EQUAL(std::string("Maximum integer size exceeded"), r.error().message);
        CPPUNIT_ASSERT_EQUAL(std::size_t{0}, refused.position());
        const std::string huge_length = unhex("ffffffff");
        SwizzleReader huge(huge_length);
        CPPUNIT_ASSERT_EQUAL(std::string("Maximum integer size exceeded"),
                             huge.integer("m").error().message);
    }
    void readerRefusesShortInt() {
        const std::string data = unhex("03000000abcd");
        SwizzleReader in(data);
        auto r = in.integer("m");
        CPPUNIT_ASSERT(!r.ok());
        CPPUNIT_ASSERT_EQUAL(std::string("Integer not retrievable."), r.error().message);
        CPPUNIT_ASSERT_EQUAL(std::size_t{0}, in.position());
    }
    void missingFieldsCarryTheCallersMessage() {
        const std::string data = unhex("010203");
        SwizzleReader in(data);
        CPPUNIT_ASSERT_EQUAL(std::string("no u32"), in.u32("no u32").error().message);
        CPPUNIT_ASSERT_EQUAL(std::string("no int"), in.integer("no int").error().message);
        CPPUNIT_ASSERT_EQUAL(std::string("no bytes"), in.bytes(4, "no bytes").error().message);
        CPPUNIT_ASSERT_EQUAL(std::string("0102"), hex_encode(std::string(*in.bytes(2, "x"))));
        CPPUNIT_ASSERT_EQUAL(std::uint8_t{3}, *in.u8("x"));
        CPPUNIT_ASSERT_EQUAL(std::string("no u8"), in.u8("no u8").error().message);
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(SwizzleCodecTest);
