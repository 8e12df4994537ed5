#include "encoding/base64.h"

#include <cppunit/extensions/HelperMacros.h>

namespace enc = downstream::encoding;

// RFC 4648 §10 known answers, plus the two lenient decoders' documented behaviour
// (CPython's binascii.a2b_base64 and Crypto++'s Base64Decoder).
class Base64Test : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(Base64Test);
    CPPUNIT_TEST(encodeMatchesRfc4648);
    CPPUNIT_TEST(skippingDecoderRoundTrips);
    CPPUNIT_TEST(skippingDecodersRoundTripEveryLengthAndByte);
    CPPUNIT_TEST(skippingDecoderIgnoresForeignCharacters);
    CPPUNIT_TEST(skippingDecoderStopsAtCompletingPadding);
    CPPUNIT_TEST(skippingDecoderRejectsBadPadding);
    CPPUNIT_TEST(skippingDecoderRejectsNonAscii);
    CPPUNIT_TEST(bytesDecoderSkipsNonAscii);
    CPPUNIT_TEST(decodingIntoAStringReplacesItsContent);
    CPPUNIT_TEST(prefixDecoderStopsAtFirstForeignCharacter);
    CPPUNIT_TEST(prefixDecoderAcceptsMissingPadding);
    CPPUNIT_TEST_SUITE_END();

public:
    void encodeMatchesRfc4648() {
        CPPUNIT_ASSERT_EQUAL(std::string(""), enc::base64_encode(""));
        CPPUNIT_ASSERT_EQUAL(std::string("Zg=="), enc::base64_encode("f"));
        CPPUNIT_ASSERT_EQUAL(std::string("Zm8="), enc::base64_encode("fo"));
        CPPUNIT_ASSERT_EQUAL(std::string("Zm9v"), enc::base64_encode("foo"));
        CPPUNIT_ASSERT_EQUAL(std::string("Zm9vYg=="), enc::base64_encode("foob"));
        CPPUNIT_ASSERT_EQUAL(std::string("Zm9vYmE="), enc::base64_encode("fooba"));
        CPPUNIT_ASSERT_EQUAL(std::string("Zm9vYmFy"), enc::base64_encode("foobar"));
        CPPUNIT_ASSERT_EQUAL(std::string("+/8="), enc::base64_encode("\xfb\xff"));
    }
    void skippingDecoderRoundTrips() {
        for (const char* s : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
            auto decoded = enc::base64_decode_skipping(enc::base64_encode(s));
            CPPUNIT_ASSERT(decoded.ok());
            CPPUNIT_ASSERT_EQUAL(std::string(s), *decoded);
        }
    }
    void skippingDecodersRoundTripEveryLengthAndByte() {
        std::string bytes;
        for (int i = 0; i < 300; ++i) bytes += static_cast<char>((i * 151 + 7) & 0xff);
        for (std::size_t n = 0; n <= bytes.size(); ++n) {
            const std::string text = enc::base64_encode(bytes.substr(0, n));
            CPPUNIT_ASSERT(bytes.substr(0, n) == *enc::base64_decode_skipping(text));
            CPPUNIT_ASSERT(bytes.substr(0, n) == *enc::base64_decode_skipping_bytes(text));
            // A foreign character anywhere only shifts where quads start.
            const std::string spaced = text.substr(0, n % 7) + "\n" + text.substr(n % 7);
            CPPUNIT_ASSERT(bytes.substr(0, n) == *enc::base64_decode_skipping(spaced));
        }
    }
    void skippingDecoderIgnoresForeignCharacters() {
        CPPUNIT_ASSERT_EQUAL(std::string("foobar"), *enc::base64_decode_skipping("Zm9v\nYm!Fy"));
        CPPUNIT_ASSERT_EQUAL(std::string("fo"), *enc::base64_decode_skipping("Z=m8="));
    }
    void skippingDecoderStopsAtCompletingPadding() {
        // "Zg==" completes the quad; what follows is not decoded.
        CPPUNIT_ASSERT_EQUAL(std::string("f"), *enc::base64_decode_skipping("Zg==Zm9v"));
    }
    void skippingDecoderRejectsBadPadding() {
        CPPUNIT_ASSERT(!enc::base64_decode_skipping("Zg").ok());
        CPPUNIT_ASSERT(!enc::base64_decode_skipping("Zm9vY").ok());
        CPPUNIT_ASSERT(!enc::base64_decode_skipping("Zg=").ok());
    }
    void skippingDecoderRejectsNonAscii() {
        CPPUNIT_ASSERT(!enc::base64_decode_skipping("Zm9v\xc3\xa9").ok());
    }
    void bytesDecoderSkipsNonAscii() {
        // CPython: base64.b64decode('\u00fc'.encode('utf-8') + b'AAAA') == b'\x00\x00\x00'.
        CPPUNIT_ASSERT_EQUAL(std::string(3, '\0'), *enc::base64_decode_skipping_bytes("\xc3\xbc" "AAAA"));
        CPPUNIT_ASSERT_EQUAL(std::string("foobar"), *enc::base64_decode_skipping_bytes("Zm9v\xffYmFy"));
        // Otherwise the same rules: b64decode(b'=') == b'', b64decode(b'a') raises.
        CPPUNIT_ASSERT_EQUAL(std::string(), *enc::base64_decode_skipping_bytes("="));
        CPPUNIT_ASSERT(!enc::base64_decode_skipping_bytes("a").ok());
        CPPUNIT_ASSERT(!enc::base64_decode_skipping_bytes("Zg").ok());
    }
    void decodingIntoAStringReplacesItsContent() {
        std::string out = "previous content that is longer";
        CPPUNIT_ASSERT(enc::base64_decode_skipping_bytes("Zm9vYmFy", out).ok());
        CPPUNIT_ASSERT_EQUAL(std::string("foobar"), out);
        CPPUNIT_ASSERT(enc::base64_decode_skipping_bytes("Zg==Zm9v", out).ok());
        CPPUNIT_ASSERT_EQUAL(std::string("f"), out);
        CPPUNIT_ASSERT(enc::base64_decode_skipping_bytes("", out).ok());
        CPPUNIT_ASSERT_EQUAL(std::string(), out);
        CPPUNIT_ASSERT(!enc::base64_decode_skipping_bytes("Zg=", out).ok());
        CPPUNIT_ASSERT(!enc::base64_decode_skipping_bytes("Zm9vY", out).ok());
    }
    void prefixDecoderStopsAtFirstForeignCharacter() {
        CPPUNIT_ASSERT_EQUAL(std::string("foo"), enc::base64_decode_prefix("Zm9v\nYmFy"));
        CPPUNIT_ASSERT_EQUAL(std::string("f"), enc::base64_decode_prefix("Zg==Zm9v"));
    }
    void prefixDecoderAcceptsMissingPadding() {
        CPPUNIT_ASSERT_EQUAL(std::string("f"), enc::base64_decode_prefix("Zg"));
        CPPUNIT_ASSERT_EQUAL(std::string("fo"), enc::base64_decode_prefix("Zm8"));
        CPPUNIT_ASSERT_EQUAL(std::string("foo"), enc::base64_decode_prefix("Zm9vY"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), enc::base64_decode_prefix(""));
        CPPUNIT_ASSERT_EQUAL(std::string(""), enc::base64_decode_prefix("Z"));
        CPPUNIT_ASSERT_EQUAL(std::string("foob"), enc::base64_decode_prefix("Zm9vYg"));
        CPPUNIT_ASSERT_EQUAL(std::string("fooba"), enc::base64_decode_prefix("Zm9vYmE"));
        CPPUNIT_ASSERT_EQUAL(std::string("\xfb\xff"), enc::base64_decode_prefix("+/8"));
        // Every length of a long text decodes to the prefix of the full decoding.
        const std::string bytes("The quick brown fox jumps over the lazy dog\x00\xff\x80", 46);
        std::string text = enc::base64_encode(bytes);
        text.erase(text.find('='));
        for (std::size_t n = 0; n <= text.size(); ++n) {
            const std::string got = enc::base64_decode_prefix(text.substr(0, n));
            CPPUNIT_ASSERT_EQUAL(bytes.substr(0, std::min(got.size(), bytes.size())), got);
            CPPUNIT_ASSERT_EQUAL(n / 4 * 3 + (n % 4 >= 2 ? n % 4 - 1 : 0), got.size());
        }
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(Base64Test);
