#include "encoding/percent_encoding.h"

#include <cppunit/extensions/HelperMacros.h>

using downstream::encoding::percent_decode;

class PercentEncodingTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PercentEncodingTest);
    CPPUNIT_TEST(decodesEscapes);
    CPPUNIT_TEST(keepsPlusAndPlainText);
    CPPUNIT_TEST(rejectsMalformedEscapes);
    CPPUNIT_TEST_SUITE_END();

public:
    void decodesEscapes() {
        // RFC 3986 examples: %2F is '/', %20 a space, both hex cases accepted.
        CPPUNIT_ASSERT_EQUAL(std::string("a/b c"), *percent_decode("a%2Fb%20c"));
        CPPUNIT_ASSERT_EQUAL(std::string("a/b"), *percent_decode("a%2fb"));
        CPPUNIT_ASSERT_EQUAL(std::string("..", 2), *percent_decode("%2e%2E"));
        CPPUNIT_ASSERT_EQUAL(std::string("\0", 1), *percent_decode("%00"));
        CPPUNIT_ASSERT_EQUAL(std::string("\xff", 1), *percent_decode("%FF"));
    }
    void keepsPlusAndPlainText() {
        CPPUNIT_ASSERT_EQUAL(std::string("a+b"), *percent_decode("a+b"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), *percent_decode(""));
        CPPUNIT_ASSERT_EQUAL(std::string("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"),
                             *percent_decode("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"));
    }
    void rejectsMalformedEscapes() {
        CPPUNIT_ASSERT(!percent_decode("%").ok());
        CPPUNIT_ASSERT(!percent_decode("%4").ok());
        CPPUNIT_ASSERT(!percent_decode("%G0").ok());
        CPPUNIT_ASSERT(!percent_decode("ab%zz").ok());
        CPPUNIT_ASSERT(percent_decode("ab%zz").error().message.find("offset 2") != std::string::npos);
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(PercentEncodingTest);
