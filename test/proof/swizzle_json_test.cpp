#include "proof/swizzle_json.h"

#include "json/json_parse.h"
#include "proof/swizzle_heartbeat.h"
#include "support/swizzle_vectors.h"
#include "support/test_data.h"

#include <cppunit/extensions/HelperMacros.h>

namespace json = downstream::json;
namespace proof = downstream::proof;
namespace t = downstream::testing;

namespace {
std::unique_ptr<json::Document> parse(const std::string& text) { return json::parse_json(text).value(); }
}  // namespace

// JSON forms are strings of base64 (SWIZZLE.md §2.3, §4.3); heartbeat_json_cases[] and the
// token response example.
class SwizzleJsonTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(SwizzleJsonTest);
    CPPUNIT_TEST(writesAQuotedBase64String);
    CPPUNIT_TEST(everyHeartbeatJsonCase);
    CPPUNIT_TEST(tokenResponseCarriesTheHeartbeatAsAString);
    CPPUNIT_TEST(decodingIsTheLenientPrefixDecoder);
    CPPUNIT_TEST(nonStringsAreErrors);
    CPPUNIT_TEST_SUITE_END();

public:
    void writesAQuotedBase64String() {
        CPPUNIT_ASSERT_EQUAL(std::string("\"Zm9vYg==\""), proof::swizzle_json("foob"));
        CPPUNIT_ASSERT_EQUAL(std::string("\"\""), proof::swizzle_json(""));
        const auto doc = parse(proof::swizzle_json(std::string("\xfb\xff\x00", 3)));
        CPPUNIT_ASSERT_EQUAL(std::string("\xfb\xff\x00", 3), *proof::swizzle_bytes_from_json(*doc));
    }
    void everyHeartbeatJsonCase() {
        const auto doc = t::load_vectors("swizzle_deterministic.json");
        int checked = 0, type_errors = 0;
        for (const auto& c : t::array_member(*doc, "heartbeat_json_cases").GetArray()) {
            const std::string name = t::string_member(c, "name");
            const auto& expected = t::member(c, "expected");
            auto bytes = proof::swizzle_bytes_from_json(t::member(c, "heartbeat"));
            if (expected.HasMember("raises")) {
                CPPUNIT_ASSERT_EQUAL(std::string("TypeError"), t::string_member(expected, "raises"));
                CPPUNIT_ASSERT_MESSAGE(name, !bytes.ok());
                ++type_errors;
            } else {
                CPPUNIT_ASSERT_MESSAGE(name, bytes.ok());
                CPPUNIT_ASSERT_EQUAL_MESSAGE(name, t::bool_member(expected, "result"),
                                             proof::SwizzleHeartbeat::parse(*bytes).ok());
            }
            ++checked;
        }
        CPPUNIT_ASSERT_EQUAL(2, checked);
        CPPUNIT_ASSERT_EQUAL(1, type_errors);
    }
    void tokenResponseCarriesTheHeartbeatAsAString() {
        const auto doc = t::load_vectors("swizzle_deterministic.json");
        const auto& example = t::member(*doc, "new_token_response_example");
        CPPUNIT_ASSERT_EQUAL(std::string("Swizzle"), t::string_member(example, "type"));
        CPPUNIT_ASSERT_EQUAL(std::string("Swizzle"), t::string_member(*doc, "type_name"));
        const auto heartbeat = t::heartbeat_from_fields(t::member(t::member(*doc, "heartbeat"), "private_fields"));
        const std::string json_text = proof::swizzle_json(heartbeat.public_heartbeat().serialize());
        CPPUNIT_ASSERT_EQUAL("\"" + t::string_member(example, "heartbeat") + "\"", json_text);
    }
    void decodingIsTheLenientPrefixDecoder() {
        const auto doc = t::load_vectors("swizzle_deterministic.json");
        const std::string b64 = t::string_member(t::member(*doc, "heartbeat"), "public_b64");
        const std::string full = t::base64_member(t::member(*doc, "heartbeat"), "public_b64");
        // Missing padding is fine; anything after '=' or a foreign character is ignored.
        const std::string unpadded = b64.substr(0, b64.find('='));
        CPPUNIT_ASSERT_EQUAL(full, *proof::swizzle_bytes_from_json(*parse("\"" + unpadded + "\"")));
        CPPUNIT_ASSERT_EQUAL(full, *proof::swizzle_bytes_from_json(*parse("\"" + b64 + " =trailing-text\"")));
        // A newline cuts the data short, and the object parser then fails.
        const std::string cut = b64.substr(0, 40) + "\\n" + b64.substr(40);
        auto bytes = proof::swizzle_bytes_from_json(*parse("\"" + cut + "\""));
        CPPUNIT_ASSERT(bytes.ok());
        CPPUNIT_ASSERT_EQUAL(std::size_t{30}, bytes->size());
        CPPUNIT_ASSERT(!proof::SwizzleHeartbeat::parse(*bytes).ok());
    }
    void nonStringsAreErrors() {
        int refused = 0;
        for (const char* text : {"{\"key\": \"\", \"check_fraction\": 0.01}", "[\"AQ==\"]", "1", "null", "true"}) {
            auto bytes = proof::swizzle_bytes_from_json(*parse(text));
            CPPUNIT_ASSERT_MESSAGE(text, !bytes.ok());
            ++refused;
        }
        CPPUNIT_ASSERT_EQUAL(5, refused);
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(SwizzleJsonTest);
