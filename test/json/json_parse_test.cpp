#include "json/json_parse.h"

#include <cppunit/extensions/HelperMacros.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <utility>

namespace json = downstream::json;

class JsonParseTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(JsonParseTest);
    CPPUNIT_TEST(parsesAnObject);
    CPPUNIT_TEST(rejectsTrailingGarbage);
    CPPUNIT_TEST(reportsOffsetOfMalformedInput);
    CPPUNIT_TEST(refusesNestingBeyondTheLimit);
    CPPUNIT_TEST(survivesAMillionOpenBrackets);
    CPPUNIT_TEST(readsStringsAtEveryLengthAndAlignment);
    CPPUNIT_TEST(refusesControlCharactersAtEveryOffset);
    CPPUNIT_TEST(skipsWhiteSpaceRunsOfEveryLength);
    CPPUNIT_TEST(rejectsInvalidUtf8);
    CPPUNIT_TEST(rejectsNulBytesAnywhere);
    CPPUNIT_TEST(rejectsEscapedLoneSurrogates);
    CPPUNIT_TEST(readsNumbersAsPythonDoes);
    CPPUNIT_TEST(refusesNumbersOutOfDoubleRange);
    CPPUNIT_TEST(misuseThrowsInsteadOfAborting);
    CPPUNIT_TEST_SUITE_END();

private:
    static void expect_string(const std::string& text, const std::string& expected) {
        auto doc = json::parse_json(text);
        CPPUNIT_ASSERT_MESSAGE(text, doc.ok() && (*doc)->IsString());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(text, expected, std::string((*doc)->GetString(), (*doc)->GetStringLength()));
    }

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
    // ASCII text is read 16 bytes at a time (SSE2): strings of every length up to three
    // blocks, starting at every offset of a block, with an escape at every position, come out
    // as the characters written.
    void readsStringsAtEveryLengthAndAlignment() {
        for (std::size_t indent = 0; indent < 16; ++indent) {
            for (std::size_t length = 0; length <= 48; ++length) {
                std::string plain;
                for (std::size_t i = 0; i < length; ++i) plain += static_cast<char>('a' + i % 26);
                expect_string(std::string(indent, ' ') + "\"" + plain + "\"", plain);
                for (std::size_t at = 0; at < length; ++at) {
                    // Each escape in turn at position `at`: quote, backslash, newline, e-acute.
                    const std::pair<const char*, const char*> escapes[] = {
                        {"\\\"", "\""}, {"\\\\", "\\"}, {"\\n", "\n"}, {"\\u00e9", "\xc3\xa9"}};
                    for (const auto& [escaped, meant] : escapes)
                        expect_string(std::string(indent, ' ') + "\"" + plain.substr(0, at) + escaped +
                                          plain.substr(at) + "\"",
                                      plain.substr(0, at) + meant + plain.substr(at));
                }
            }
        }
    }
    // An unescaped control character inside a string is refused wherever the 16-byte blocks
    // put it, and the error names its offset; a string that never closes is refused too.
    // (Found by test/fuzz/json_parse_fuzz: RapidJSON 1.1.0's SSE2 scan let 0x1A-0x1F through.)
    void refusesControlCharactersAtEveryOffset() {
        for (int control = 0x01; control < 0x20; ++control) {
            for (std::size_t at = 0; at < 40; ++at) {
                std::string text = "[\"" + std::string(40, 'x') + "\"]";
                text[2 + at] = static_cast<char>(control);
                auto doc = json::parse_json(text);
                CPPUNIT_ASSERT_MESSAGE(std::to_string(control) + " at " + std::to_string(at), !doc.ok());
                CPPUNIT_ASSERT_EQUAL(
                    "malformed JSON: Invalid escape character in string. (at byte " + std::to_string(2 + at) + ")",
                    doc.error().message);
            }
        }
        for (std::size_t at = 0; at < 40; ++at) {
            auto open = json::parse_json("\"" + std::string(at, 'x'));
            CPPUNIT_ASSERT(!open.ok());
            CPPUNIT_ASSERT_EQUAL(
                "malformed JSON: Missing a closing quotation mark in string. (at byte " + std::to_string(1 + at) + ")",
                open.error().message);
        }
    }
    // White space is skipped 16 bytes at a time too: runs of every length, of every kind,
    // between every token, and at the end of the text.
    void skipsWhiteSpaceRunsOfEveryLength() {
        for (std::size_t run = 0; run <= 40; ++run) {
            for (const char space : {' ', '\n', '\r', '\t'}) {
                const std::string ws(run, space);
                const std::string text = ws + "{" + ws + "\"k\"" + ws + ":" + ws + "[" + ws + "1" + ws +
                                         "," + ws + "true" + ws + "]" + ws + "}" + ws;
                auto doc = json::parse_json(text);
                CPPUNIT_ASSERT_MESSAGE(std::to_string(run), doc.ok());
                const json::Value& list = (**doc)["k"];
                CPPUNIT_ASSERT_EQUAL(2u, list.Size());
                CPPUNIT_ASSERT_EQUAL(std::uint64_t{1}, list[0].GetUint64());
                CPPUNIT_ASSERT(list[1].IsTrue());
                CPPUNIT_ASSERT(!json::parse_json(text + ws + "x").ok());
            }
        }
    }
    void rejectsInvalidUtf8() {
        CPPUNIT_ASSERT(!json::parse_json("\"\xff\xfe\"").ok());
        // The bytes are scanned eight at a time first (ASCII text skips RapidJSON's
        // validation): a bad byte is found at every offset of a 40-byte string, and a valid
        // two-byte character is kept at every offset.
        for (std::size_t at = 0; at < 40; ++at) {
            std::string bad(40, 'a');
            bad[at] = '\xff';
            CPPUNIT_ASSERT_MESSAGE(std::to_string(at), !json::parse_json("\"" + bad + "\"").ok());
            std::string good(40, 'a');
            good.replace(at, 1, "\xc3\xa9");  // é
            auto doc = json::parse_json("\"" + good + "\"");
            CPPUNIT_ASSERT_MESSAGE(std::to_string(at), doc.ok());
            CPPUNIT_ASSERT_EQUAL(good, std::string((*doc)->GetString(), (*doc)->GetStringLength()));
        }
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
        // The first NUL is named wherever it falls in the eight-byte words, with or without
        // a non-ASCII byte before it and another NUL after it.
        for (const std::string& prefix : {"[\""s, "[\"\xc3\xa9"s}) {
            for (std::size_t at = 0; at < 30; ++at) {
                std::string text = prefix + std::string(30, 'a') + "\"]";
                text[prefix.size() + at] = '\0';
                text[text.size() - 2] = '\0';
                auto refused = json::parse_json(text);
                CPPUNIT_ASSERT(!refused.ok());
                CPPUNIT_ASSERT_EQUAL("malformed JSON: NUL byte (at byte " +
                                         std::to_string(prefix.size() + at) + ")",
                                     refused.error().message);
            }
        }
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
    // Found by test/fuzz/json_parse_fuzz and merkle_json_fuzz: RapidJSON's default reading is
    // a few ulp off (2.3999999999999994e+67, 2.2250738585072011e-308) and turned
    // 1.7976931348623158e308, which rounds to the largest double, into infinity, which the
    // writer then refused to write back; its FullPrecision mode reads "0e100" as 1.7e100.
    // The independent answer is the C library's strtod, which rounds correctly, as Python's
    // float() does.
    void readsNumbersAsPythonDoes() {
        for (const char* text : {"2.3999999999999994e+67", "1.7976931348623158e308",
                                 "2.2250738585072011e-308", "123456789012345678901234567890e-10",
                                 "0.1", "5e-324", "2.4e-320", "0e100", "-0.0", "1418245200.739021",
                                 "0.0000000000000000000000000", "0.184467440737095516159",
                                 "9007199254740993.0", "18446744073709551616", "1E2"}) {
            auto doc = json::parse_json(text);
            CPPUNIT_ASSERT_MESSAGE(text, doc.ok() && (*doc)->IsDouble());
            const double expected = std::strtod(text, nullptr);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(text, expected, (*doc)->GetDouble());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(text, std::signbit(expected), std::signbit((*doc)->GetDouble()));
        }
        // Integers of up to 64 bits are exact and typed as RapidJSON types them.
        auto doc = json::parse_json("[0, -0, 18446744073709551615, -9223372036854775808, 4294967296, -1]");
        CPPUNIT_ASSERT(doc.ok());
        const json::Value& a = **doc;
        CPPUNIT_ASSERT(a[0].IsUint() && a[0].IsInt() && a[0].GetUint64() == 0);
        CPPUNIT_ASSERT(a[1].IsUint64() && a[1].IsInt() && a[1].GetInt64() == 0);
        CPPUNIT_ASSERT(a[2].IsUint64() && !a[2].IsInt64() && a[2].GetUint64() == 18446744073709551615ULL);
        CPPUNIT_ASSERT(a[3].IsInt64() && !a[3].IsUint64() && a[3].GetInt64() == INT64_MIN);
        CPPUNIT_ASSERT(a[4].IsUint64() && a[4].IsInt64() && !a[4].IsUint() && a[4].GetUint64() == 4294967296ULL);
        CPPUNIT_ASSERT(a[5].IsInt() && !a[5].IsUint64() && a[5].GetInt() == -1);
    }
    void refusesNumbersOutOfDoubleRange() {
        for (const char* text : {"1.7976931348623159e308", "[1e400]", "{\"a\": -2e308}", "1e-400",
                                 "[-1e-400]"}) {
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
