#include "node/byte_size.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace downstream::node;

class ByteSizeTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ByteSizeTest);
    CPPUNIT_TEST(parsesNumbersAndSuffixes);
    CPPUNIT_TEST(rejectsBadSizes);
    CPPUNIT_TEST(formats);
    CPPUNIT_TEST_SUITE_END();

public:
    void parsesNumbersAndSuffixes() {
        CPPUNIT_ASSERT_EQUAL(std::int64_t{32768}, *parse_byte_size("32768"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{32768}, *parse_byte_size("32K"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{32768}, *parse_byte_size("32kib"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1048576}, *parse_byte_size("1M"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1073741824}, *parse_byte_size("1GiB"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1} << 40, *parse_byte_size("1T"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{7}, *parse_byte_size("7b"));
    }

    void rejectsBadSizes() {
        for (const char* text : {"", "abc", "0", "0K", "-1", "1.5M", "12Q", "K", "99999999999999999999",
                                 "9000000T"})
            CPPUNIT_ASSERT_MESSAGE(text, !parse_byte_size(text).ok());
    }

    void formats() {
        CPPUNIT_ASSERT_EQUAL(std::string("700 B"), format_byte_size(700));
        CPPUNIT_ASSERT_EQUAL(std::string("32 KiB"), format_byte_size(32768));
        CPPUNIT_ASSERT_EQUAL(std::string("1.5 MiB"), format_byte_size(3 << 19));
        CPPUNIT_ASSERT_EQUAL(std::string("1 GiB"), format_byte_size(1 << 30));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ByteSizeTest);
