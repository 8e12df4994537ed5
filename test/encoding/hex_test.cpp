#include "encoding/hex.h"

#include <cppunit/extensions/HelperMacros.h>

namespace enc = downstream::encoding;

class HexTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(HexTest);
    CPPUNIT_TEST(encodesLowerCase);
    CPPUNIT_TEST(decodesEitherCase);
    CPPUNIT_TEST(rejectsOddLengthAndForeignCharacters);
    CPPUNIT_TEST(isHexChecksLength);
    CPPUNIT_TEST_SUITE_END();

public:
    void encodesLowerCase() {
        CPPUNIT_ASSERT_EQUAL(std::string("00ff10ab"), enc::hex_encode(std::string("\x00\xff\x10\xab", 4)));
    }
    void decodesEitherCase() {
        CPPUNIT_ASSERT_EQUAL(std::string("\xab\xcd", 2), *enc::hex_decode("AbCd"));
    }
    void rejectsOddLengthAndForeignCharacters() {
        CPPUNIT_ASSERT(!enc::hex_decode("abc").ok());
        CPPUNIT_ASSERT(!enc::hex_decode("zz").ok());
    }
    void isHexChecksLength() {
        CPPUNIT_ASSERT(enc::is_hex("00ff", 4));
        CPPUNIT_ASSERT(!enc::is_hex("00ff", 6));
        CPPUNIT_ASSERT(!enc::is_hex("00fg", 4));
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(HexTest);
