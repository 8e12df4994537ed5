#include "encoding/printable_text.h"

#include <cppunit/extensions/HelperMacros.h>

namespace enc = downstream::encoding;

class PrintableTextTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PrintableTextTest);
    CPPUNIT_TEST(keepsPrintableAscii);
    CPPUNIT_TEST(replacesEveryOtherByte);
    CPPUNIT_TEST(cutsAfterTheLimit);
    CPPUNIT_TEST_SUITE_END();

public:
    void keepsPrintableAscii() {
        const std::string all = " !\"#$%&'()*+,-./0123456789:;<=>?@AZ[\\]^_`az{|}~";
        CPPUNIT_ASSERT_EQUAL(all, enc::printable_text(all));
        CPPUNIT_ASSERT_EQUAL(std::string(), enc::printable_text(""));
    }
    void replacesEveryOtherByte() {
        // Control characters, DEL, a line break, NUL, invalid UTF-8 and valid UTF-8 ("é").
        CPPUNIT_ASSERT_EQUAL(std::string("a?b?c?d?e??f??g"),
                             enc::printable_text(std::string("a\x01" "b\x7f" "c\n" "d\0" "e\xff\xfe" "f\xc3\xa9g", 15)));
    }
    void cutsAfterTheLimit() {
        CPPUNIT_ASSERT_EQUAL(std::string("abc..."), enc::printable_text("abcdef", 3));
        CPPUNIT_ASSERT_EQUAL(std::string("abc"), enc::printable_text("abc", 3));
        CPPUNIT_ASSERT_EQUAL(std::string("?..."), enc::printable_text("\xff\xff", 1));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PrintableTextTest);
