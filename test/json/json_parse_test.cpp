#include "json/json_parse.h"

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

namespace json = downstream::json;

class JsonParseTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(JsonParseTest);
    CPPUNIT_TEST(parsesAnObject);
    CPPUNIT_TEST(rejectsTrailingGarbage);
    CPPUNIT_TEST(reportsOffsetOfMalformedInput);
    CPPUNIT_TEST(refusesNestingBeyondTheLimit);
    CPPUNIT_TEST(survivesAMillionOpenBrackets);
    CPPUNIT_TEST(rejectsInvalidUtf8);
    CPPUNIT_TEST(rejectsNulBytesAnywhere);
    CPPUNIT_TEST(rejectsEscapedLoneSurrogates);
    CPPUNIT_TEST(readsNumbersWithinAFewUlp);
    CPPUNIT_TEST(refusesNumbersThatReadAsInfinity);
    CPPUNIT_TEST(misuseThrowsInsteadOfAborting);
    CPPUNIT_TEST_SUITE_END();

public:
    void parsesAnObject() {
        auto doc = json::parse_json(R"( {"a": [1, 2.5, "x"], "b": null} )");
        CPPUNIT_ASSERT(doc.ok());
        CPPUNIT_ASSERT((*doc)->IsObject());
        CPPUNIT_ASSERT_EQUAL(3u, (**doc)["a"].Size());
    }
    void rejectsTrailingGarbage() {
        CPPUNIT_ASSERT(!json::parse_json(R"({"a": 1} x)").ok());
    }
    void reportsOffsetOfMalformedInput() {
        auto doc = json::parse_json(R"({"a": tru})");
        CPPUNIT_ASSERT(!doc.ok());
        CPPUNIT_ASSERT(doc.error().message.find("at byte") != std::string::npos);
    }
    void refusesNestingBeyondTheLimit() {
        json::ParseLimits limits;
        limits.max_depth = 3;
        CPPUNIT_ASSERT(json::parse_json("[[[1]]]", limits).ok());
        auto deep = json::parse_json("[[[[1]]]]", limits);
        CPPUNIT_ASSERT(!deep.ok());
        CPPUNIT_ASSERT(deep.error().message.find("deeper than 3") != std::string::npos);
    }
    void survivesAMillionOpenBrackets() {
        const std::string hostile(1000000, '[');
        CPPUNIT_ASSERT(!json::parse_json(hostile).ok());
    }
    void rejectsInvalidUtf8() {
        CPPUNIT_ASSERT(!json::parse_json("\"\xff\xfe\"").ok());
    }
    // Found by test/fuzz/json_parse_fuzz: RapidJSON stops at a NUL byte as if the text ended
    // there, so a value followed by "\0" and anything at all was accepted as that value.
    void rejectsNulBytesAnywhere() {
        using namespace std::string_literals;
        for (const std::string& text : {"{}\0junk"s, "1\0"s, "\0"s, "[1,\0 2]"s, "\"a\0b\""s,
                                        "{\"proof\": {}}\0{\"x\": 1}"s}) {
            auto doc = json::parse_json(text);
            CPPUNIT_ASSERT_MESSAGE(text, !doc.ok());
        }
        auto doc = json::parse_json("{}\0junk"s);
        CPPUNIT_ASSERT_EQUAL(std::string("malformed JSON: NUL byte (at byte 2)"), doc.error().message);
    }
    // Found by test/fuzz/json_parse_fuzz: "\ude00" (a lone low surrogate) came out as the
    // bytes ED B8 80, which are not UTF-8, so the document could not be written back as JSON.
    void rejectsEscapedLoneSurrogates() {
        for (const char* text : {R"("\ude00")", R"("a\udc00b")", R"({"\udfff": 1})",
                                 R"(["\ud800"])", R"(["\ud800\u0041"])"}) {
            auto doc = json::parse_json(text);
            CPPUNIT_ASSERT_MESSAGE(text, !doc.ok());
        }
        // A pair is one code point: U+1F600, F0 9F 98 80.
        auto pair = json::parse_json(R"("\ud83d\ude00")");
        CPPUNIT_ASSERT(pair.ok());
        CPPUNIT_ASSERT_EQUAL(std::string("\xf0\x9f\x98\x80"),
                             std::string((*pair)->GetString(), (*pair)->GetStringLength()));
        // Valid UTF-8 on either side of the surrogate range passes, raw or escaped: U+D7FF is
        // ED 9F BF, U+E000 is EE 80 80.
        CPPUNIT_ASSERT(json::parse_json("\"\xf0\x9f\x98\x80 \xed\x9f\xbf \xee\x80\x80\"").ok());
        CPPUNIT_ASSERT(json::parse_json(R"(["\ud7ff", "\ue000"])").ok());
    }
    // Found by test/fuzz/json_parse_fuzz: RapidJSON's default number reading turned
    // 1.7976931348623158e308 (which rounds to the largest double) into infinity, which the
    // writer then refused to write back. Every number a document holds is now finite, and
    // within a few ulp of the C library's correctly rounded strtod.
    void readsNumbersWithinAFewUlp() {
        for (const char* text : {"1.7976931348623157e308", "2.2250738585072011e-308",
                                 "123456789012345678901234567890e-10", "0.1", "5e-324", "0e100",
                                 "0.0000000000000000000000000", "1418245200.739021", "-0.0",
                                 "0.184467440737095516159", "9007199254740993.0"}) {
            auto doc = json::parse_json(text);
            CPPUNIT_ASSERT_MESSAGE(text, doc.ok() && (*doc)->IsDouble());
            const double expected = std::strtod(text, nullptr);
            const double got = (*doc)->GetDouble();
            CPPUNIT_ASSERT_MESSAGE(text, std::isfinite(got));
            const double ulp = std::max(std::fabs(std::nextafter(expected, 0.0) - expected),
                                        std::numeric_limits<double>::denorm_min());
            CPPUNIT_ASSERT_MESSAGE(text, std::fabs(got - expected) <= 4 * ulp);
        }
    }
    void refusesNumbersThatReadAsInfinity() {
        for (const char* text : {"1.7976931348623158e308", "1.7976931348623159e308", "[1e400]",
                                 "{\"a\": -2e308}", "[-1.7976931348623158e308]"}) {
            auto doc = json::parse_json(text);
            CPPUNIT_ASSERT_MESSAGE(text, !doc.ok());
            CPPUNIT_ASSERT_MESSAGE(doc.error().message,
                                   doc.error().message.find("at byte") != std::string::npos);
        }
    }
    void misuseThrowsInsteadOfAborting() {
        auto doc = json::parse_json(R"("text")");
        CPPUNIT_ASSERT_THROW((*doc)->GetInt(), json::JsonMisuse);
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(JsonParseTest);
