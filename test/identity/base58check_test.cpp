#include "identity/base58check.h"

#include "encoding/hex.h"
#include "support/test_data.h"

#include <cppunit/extensions/HelperMacros.h>

namespace id = downstream::identity;
using downstream::encoding::hex_decode;
using downstream::encoding::hex_encode;

class Base58CheckTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(Base58CheckTest);
    CPPUNIT_TEST(reproducesEveryAddressVector);
    CPPUNIT_TEST(reencodesEveryValidVector);
    CPPUNIT_TEST(encodesBitcoinCoreBase58Examples);
    CPPUNIT_TEST(stripsTrailingUnicodeWhitespaceAsPythonDoes);
    CPPUNIT_TEST(rejectsWhatPythonCannotDecode);
    CPPUNIT_TEST(exactDecodingStripsNothing);
    CPPUNIT_TEST(longHostileTextIsJustInvalid);
    CPPUNIT_TEST_SUITE_END();

    static const std::string kCompressedKeyAddress;

public:
    // addresses.json: each case's validity, payload, payload length, version byte, and the
    // kind of failure the reference reported.
    void reproducesEveryAddressVector() {
        auto doc = downstream::testing::load_vectors("addresses.json");
        const auto& cases = (*doc)["cases"];
        CPPUNIT_ASSERT_EQUAL(27u, cases.Size());
        int valid = 0, invalid = 0;
        for (const auto& c : cases.GetArray()) {
            const std::string name = c["name"].GetString();
            const std::string address(c["address"].GetString(), c["address"].GetStringLength());
            const auto decoded = id::base58check_decode(address);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name, c["valid"].GetBool(), decoded.ok());
            if (decoded.ok()) {
                ++valid;
                CPPUNIT_ASSERT_EQUAL_MESSAGE(name, std::string(c["payload_hex"].GetString()),
                                             hex_encode(decoded->payload));
                CPPUNIT_ASSERT_EQUAL_MESSAGE(name, c["payload_length"].GetUint64(),
                                             static_cast<uint64_t>(decoded->payload.size()));
                if (c.HasMember("version_byte"))
                    CPPUNIT_ASSERT_EQUAL_MESSAGE(
                        name, c["version_byte"].GetInt(),
                        static_cast<int>(static_cast<unsigned char>(decoded->payload[0])));
                else
                    CPPUNIT_ASSERT_MESSAGE(name, decoded->payload.empty());
            } else {
                ++invalid;
                const std::string error = c["error"].GetString();
                const std::string& message = decoded.error().message;
                const char* expected_words =
                    error.find("Invalid checksum") != std::string::npos      ? "checksum"
                    : error.find("subsection not found") != std::string::npos ? "not a base58 character"
                    : error.find("UnicodeEncodeError") != std::string::npos   ? "non-ASCII"
                                                                              : "?";
                CPPUNIT_ASSERT_MESSAGE(name + ": " + message,
                                       message.find(expected_words) != std::string::npos);
            }
        }
        CPPUNIT_ASSERT_EQUAL(12, valid);
        CPPUNIT_ASSERT_EQUAL(15, invalid);
    }

    // Encoding a valid vector's payload gives back its text, less trailing whitespace.
    void reencodesEveryValidVector() {
        auto doc = downstream::testing::load_vectors("addresses.json");
        int checked = 0;
        for (const auto& c : (*doc)["cases"].GetArray()) {
            if (!c["valid"].GetBool()) continue;
            const std::string address = c["address"].GetString();
            const auto payload = hex_decode(c["payload_hex"].GetString());
            const std::string expected = address.substr(0, address.find_first_of(" \n"));
            CPPUNIT_ASSERT_EQUAL(expected, id::base58check_encode(*payload));
            CPPUNIT_ASSERT_EQUAL(expected, id::base58check_decode(address)->canonical);
            ++checked;
        }
        CPPUNIT_ASSERT_EQUAL(12, checked);
    }

    // Plain base58 examples from Bitcoin Core's src/test/data/base58_encode_decode.json.
    void encodesBitcoinCoreBase58Examples() {
        const std::pair<const char*, const char*> examples[] = {
            {"", ""},
            {"61", "2g"},
            {"626262", "a3gV"},
            {"636363", "aPEr"},
            {"73696d706c792061206c6f6e6720737472696e67", "2cFupjhnEsSn59qHXstmK2ffpLv2"},
            {"00eb15231dfceb60925886b67d065299925915aeb172c06647", "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L"},
            {"516b6fcd0f", "ABnLTmg"},
            {"bf4f89001e670274dd", "3SEo3LWLoPntC"},
            {"572e4794", "3EFU7m"},
            {"ecac89cad93923c02321", "EJDM8drfXA6uyA"},
            {"10c8511e", "Rt5zm"},
            {"00000000000000000000", "1111111111"},
        };
        for (const auto& [hex, text] : examples)
            CPPUNIT_ASSERT_EQUAL(std::string(text), id::base58_encode(*hex_decode(hex)));
    }

    // Python's str.rstrip() removes every str.isspace() character, not only ASCII ones.
    void stripsTrailingUnicodeWhitespaceAsPythonDoes() {
        for (const char* tail : {"\t", "\r\n", "\x0b\x0c", "\x1c\x1d\x1e\x1f", "\xc2\x85",
                                 "\xc2\xa0", "\xe1\x9a\x80", "\xe2\x80\x80", "\xe2\x80\x8a",
                                 "\xe2\x80\xa8", "\xe2\x80\xa9", "\xe2\x80\xaf", "\xe2\x81\x9f",
                                 "\xe3\x80\x80", " \xe3\x80\x80 \n"}) {
            const auto decoded = id::base58check_decode(kCompressedKeyAddress + tail);
            CPPUNIT_ASSERT_MESSAGE(std::string("tail ") + hex_encode(tail), decoded.ok());
            CPPUNIT_ASSERT_EQUAL(kCompressedKeyAddress, decoded->canonical);
        }
        // Not whitespace for Python: zero-width space U+200B, NUL.
        CPPUNIT_ASSERT(!id::base58check_decode(kCompressedKeyAddress + "\xe2\x80\x8b").ok());
        CPPUNIT_ASSERT(!id::base58check_decode(kCompressedKeyAddress + std::string(1, '\0')).ok());
    }

    void rejectsWhatPythonCannotDecode() {
        // Bytes that are no UTF-8 (a lone continuation byte, an overlong slash, a surrogate).
        for (const char* tail : {"\x80", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe3\x80"}) {
            const auto decoded = id::base58check_decode(kCompressedKeyAddress + tail);
            CPPUNIT_ASSERT(!decoded.ok());
            CPPUNIT_ASSERT(decoded.error().message.find("UTF-8") != std::string::npos);
        }
        // Non-ASCII is reported even after an earlier foreign ASCII character, as Python does.
        const auto both = id::base58check_decode("0\xc3\xa9");
        CPPUNIT_ASSERT(both.error().message.find("non-ASCII") != std::string::npos);
        // A whitespace character that is not trailing stays in the text and is foreign.
        CPPUNIT_ASSERT(!id::base58check_decode("17wJTaBfX7cry26fDXsDuv7FLvUzuje\xc2\xa0jwM").ok());
    }

    void exactDecodingStripsNothing() {
        CPPUNIT_ASSERT(id::base58check_decode_exact(kCompressedKeyAddress).ok());
        CPPUNIT_ASSERT_EQUAL(std::string("004c15ca3ae03c994440545007d3dd2b637d2c2405"),
                             hex_encode(*id::base58check_decode_exact(kCompressedKeyAddress)));
        CPPUNIT_ASSERT(!id::base58check_decode_exact(kCompressedKeyAddress + " ").ok());
        CPPUNIT_ASSERT(!id::base58check_decode_exact(kCompressedKeyAddress + "\n").ok());
        CPPUNIT_ASSERT(id::base58check_decode_exact("3QJmnh").ok());  // empty payload
        CPPUNIT_ASSERT(!id::base58check_decode_exact("").ok());
    }

    void longHostileTextIsJustInvalid() {
        const auto decoded = id::base58check_decode(std::string(20000, 'z'));
        CPPUNIT_ASSERT(!decoded.ok());
        CPPUNIT_ASSERT(decoded.error().message.find("checksum") != std::string::npos);
        // And a long valid one decodes: 2,000 bytes with a checksum.
        const std::string payload(2000, '\x5a');
        const std::string text = id::base58check_encode(payload);
        CPPUNIT_ASSERT_EQUAL(payload, id::base58check_decode(text)->payload);
    }
};
const std::string Base58CheckTest::kCompressedKeyAddress = "17wJTaBfX7cry26fDXsDuv7FLvUzujejwM";
CPPUNIT_TEST_SUITE_REGISTRATION(Base58CheckTest);
