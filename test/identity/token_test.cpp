#include "identity/token.h"

#include "encoding/hex.h"
#include "support/test_data.h"

#include <cppunit/extensions/HelperMacros.h>

#include <set>
#include <vector>

namespace id = downstream::identity;
using downstream::encoding::hex_encode;

class TokenTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(TokenTest);
    CPPUNIT_TEST(reproducesEveryFarmerIdVector);
    CPPUNIT_TEST(storageHashIsSha256OfTheRawBytes);
    CPPUNIT_TEST(upperCaseTextIsTheSameToken);
    CPPUNIT_TEST(rejectsEverythingButThirtyTwoHexDigits);
    CPPUNIT_TEST(generatedTokensAreFreshLowerCaseHex);
    CPPUNIT_TEST_SUITE_END();

public:
    // farmer_id.json: the farmer id of every token, from the token and from its storage hash.
    void reproducesEveryFarmerIdVector() {
        auto doc = downstream::testing::load_vectors("farmer_id.json");
        const auto& cases = (*doc)["cases"];
        CPPUNIT_ASSERT_EQUAL(12u, cases.Size());
        for (const auto& c : cases.GetArray()) {
            const std::string text = c["token"].GetString();
            const auto token = id::Token::parse(text);
            CPPUNIT_ASSERT_MESSAGE(text, token.ok());
            const std::string expected = c["farmer_id"].GetString();
            CPPUNIT_ASSERT_EQUAL(expected, token->farmer_id());
            CPPUNIT_ASSERT_EQUAL(expected, id::farmer_id_from_storage_hash(token->storage_hash()));
            CPPUNIT_ASSERT_EQUAL(id::kFarmerIdLength, expected.size());
        }
    }

    // SHA-256 of sixteen zero bytes and of sixteen 0xff bytes (independent known answers).
    void storageHashIsSha256OfTheRawBytes() {
        CPPUNIT_ASSERT_EQUAL(std::string("374708fff7719dd5979ec875d56cd2286f6d3cf7ec317a3b25632aab28ec37bb"),
                             hex_encode(id::Token::parse("00000000000000000000000000000000")->storage_hash()));
        CPPUNIT_ASSERT_EQUAL(std::string("5ac6a5945f16500911219129984ba8b387a06f24fe383ce4e81a73294065461b"),
                             hex_encode(id::Token::parse("ffffffffffffffffffffffffffffffff")->storage_hash()));
        CPPUNIT_ASSERT_EQUAL(std::size_t{16}, id::Token::parse("ffffffffffffffffffffffffffffffff")->bytes().size());
    }

    void upperCaseTextIsTheSameToken() {
        const auto upper = id::Token::parse("D25D9A265101BF05007CBB5D81C5093F");
        const auto lower = id::Token::parse("d25d9a265101bf05007cbb5d81c5093f");
        CPPUNIT_ASSERT_EQUAL(lower->storage_hash(), upper->storage_hash());
        CPPUNIT_ASSERT_EQUAL(std::string("d25d9a265101bf05007cbb5d81c5093f"), upper->text());
    }

    void rejectsEverythingButThirtyTwoHexDigits() {
        const std::vector<std::string> texts = {"", "d25d9a265101bf05007cbb5d81c5093", "d25d9a265101bf05007cbb5d81c5093f0",
              "g25d9a265101bf05007cbb5d81c5093f", " d25d9a265101bf05007cbb5d81c5093",
              "d25d9a265101bf05007cbb5d81c5093 ", "d25d9a265101bf05-07cbb5d81c5093f",
              std::string("d25d9a265101bf05\0" "07cbb5d81c5093f", 32)};
        for (const std::string& text : texts) {
            const auto token = id::Token::parse(text);
            CPPUNIT_ASSERT_MESSAGE(text, !token.ok());
            CPPUNIT_ASSERT_EQUAL(std::string("a token is 32 hexadecimal characters"), token.error().message);
        }
    }

    void generatedTokensAreFreshLowerCaseHex() {
        std::set<std::string> seen;
        for (int i = 0; i < 100; ++i) {
            const auto token = id::Token::generate();
            const std::string text = token.text();
            CPPUNIT_ASSERT_EQUAL(id::kTokenTextLength, text.size());
            CPPUNIT_ASSERT_EQUAL(std::string::npos, text.find_first_not_of("0123456789abcdef"));
            CPPUNIT_ASSERT_EQUAL(token.storage_hash(), id::Token::parse(text)->storage_hash());
            seen.insert(text);
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t{100}, seen.size());
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(TokenTest);
