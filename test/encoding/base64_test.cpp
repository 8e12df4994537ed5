#include "encoding/base64.h"

#include <cppunit/extensions/HelperMacros.h>

namespace enc = downstream::encoding;

// RFC 4648 §10 known answers, plus the two lenient decoders' documented behaviour
// (CPython's binascii.a2b_base64 and Crypto++'s Base64Decoder).
class Base64Test : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(Base64Test);
    CPPUNIT_TEST(encodeMatchesRfc4648);
    CPPUNIT_TEST(skippingDecoderRoundTrips);
    CPPUNIT_TEST(skippingDecoderIgnoresForeignCharacters);
    CPPUNIT_TEST(skippingDecoderStopsAtCompletingPadding);
    CPPUNIT_TEST(skippingDecoderRejectsBadPadding);
    CPPUNIT_TEST(skippingDecoderRejectsNonAscii);
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
