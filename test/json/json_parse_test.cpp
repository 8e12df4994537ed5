#include "json/json_parse.h"

#include <cppunit/extensions/HelperMacros.h>

namespace json = downstream::json;

class JsonParseTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(JsonParseTest);
    CPPUNIT_TEST(parsesAnObject);
    CPPUNIT_TEST(rejectsTrailingGarbage);
    CPPUNIT_TEST(reportsOffsetOfMalformedInput);
    CPPUNIT_TEST(refusesNestingBeyondTheLimit);
    CPPUNIT_TEST(survivesAMillionOpenBrackets);
    CPPUNIT_TEST(rejectsInvalidUtf8);
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
    void misuseThrowsInsteadOfAborting() {
        auto doc = json::parse_json(R"("text")");
        CPPUNIT_ASSERT_THROW((*doc)->GetInt(), json::JsonMisuse);
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(JsonParseTest);
