#include "node/whitelist_file.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace downstream::node;

namespace {
// A stand-in validity rule so these tests are about the CSV, not about base58.
bool starts_with_one(std::string_view a) { return !a.empty() && a[0] == '1' && a.size() >= 5; }
}  // namespace

class WhitelistFileTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(WhitelistFileTest);
    CPPUNIT_TEST(readsPlainFile);
    CPPUNIT_TEST(readsQuotedFieldsExtraColumnsCrLfAndBom);
    CPPUNIT_TEST(reportsEveryProblemWithItsLine);
    CPPUNIT_TEST(requiresHeader);
    CPPUNIT_TEST(reportsUnclosedQuote);
    CPPUNIT_TEST(emptyFile);
    CPPUNIT_TEST_SUITE_END();

public:
    void readsPlainFile() {
        auto f = parse_whitelist_csv("address,crowdsale_balance\n1AAAAA,10000\n\n1BBBBB,0\n", starts_with_one);
        CPPUNIT_ASSERT(f.errors.empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, f.entries.size());
        CPPUNIT_ASSERT_EQUAL(std::string("1AAAAA"), f.entries[0].address);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{10000}, f.entries[0].balance);
        CPPUNIT_ASSERT_EQUAL(std::string("1BBBBB"), f.entries[1].address);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, f.entries[1].balance);
    }

    void readsQuotedFieldsExtraColumnsCrLfAndBom() {
        // The original node's help text shows quoted fields; columns may come in any order.
        const std::string text =
            "\xEF\xBB\xBF" "\"sjcx\",\"Crowdsale_Balance\",\"Address\",\"note\"\r\n"
            "\"x\",\"250000\",\"1CCCCC\",\"has, a comma\"\r\n"
            "y, 42 , 1DDDDD ,\"multi\nline \"\"quoted\"\" note\"\r\n"
            "z,7,1EEEEE,last line without newline";
        auto f = parse_whitelist_csv(text, starts_with_one);
        CPPUNIT_ASSERT_MESSAGE(f.errors.empty() ? "" : f.errors[0], f.errors.empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, f.entries.size());
        CPPUNIT_ASSERT_EQUAL(std::string("1CCCCC"), f.entries[0].address);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{250000}, f.entries[0].balance);
        CPPUNIT_ASSERT_EQUAL(std::string("1DDDDD"), f.entries[1].address);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{42}, f.entries[1].balance);
        CPPUNIT_ASSERT_EQUAL(std::string("1EEEEE"), f.entries[2].address);
    }

    void reportsEveryProblemWithItsLine() {
        const std::string text =
            "address,crowdsale_balance\n"  // 1
            "1AAAAA,100\n"                 // 2
            "2BBBBB,100\n"                 // 3 bad address
            "1CCCCC,-5\n"                  // 4 bad balance
            "1DDDDD,12.5\n"                // 5 bad balance
            "1AAAAA,200\n"                 // 6 duplicate of 2
            "1EEEEE\n"                     // 7 missing column
            "1FFFFF,\n";                   // 8 empty balance
        auto f = parse_whitelist_csv(text, starts_with_one);
        CPPUNIT_ASSERT_EQUAL(std::size_t{6}, f.errors.size());
        CPPUNIT_ASSERT_EQUAL(std::string("line 3: '2BBBBB' is not a valid address"), f.errors[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("line 4: crowdsale_balance '-5' is not a whole number >= 0"), f.errors[1]);
        CPPUNIT_ASSERT(f.errors[2].rfind("line 5: ", 0) == 0);
        CPPUNIT_ASSERT_EQUAL(std::string("line 6: address 1AAAAA is listed again (first on line 2)"), f.errors[3]);
        CPPUNIT_ASSERT_EQUAL(std::string("line 7: expected at least 2 columns, found 1"), f.errors[4]);
        CPPUNIT_ASSERT(f.errors[5].rfind("line 8: ", 0) == 0);
    }

    void requiresHeader() {
        auto f = parse_whitelist_csv("1AAAAA,100\n1BBBBB,200\n", starts_with_one);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, f.errors.size());
        CPPUNIT_ASSERT(f.errors[0].rfind("line 1: the header row must name", 0) == 0);
        CPPUNIT_ASSERT(f.entries.empty());
    }

    void reportsUnclosedQuote() {
        auto f = parse_whitelist_csv("address,crowdsale_balance\n1AAAAA,100\n\"1BBBBB,200\n", starts_with_one);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, f.errors.size());
        CPPUNIT_ASSERT_EQUAL(std::string("line 3: a quoted field is not closed"), f.errors[0]);
    }

    void emptyFile() {
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, parse_whitelist_csv("", starts_with_one).errors.size());
        auto header_only = parse_whitelist_csv("address,crowdsale_balance\n", starts_with_one);
        CPPUNIT_ASSERT(header_only.errors.empty());
        CPPUNIT_ASSERT(header_only.entries.empty());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(WhitelistFileTest);
