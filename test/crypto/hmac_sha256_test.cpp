#include "crypto/hmac_sha256.h"
#include "encoding/hex.h"

#include <cppunit/extensions/HelperMacros.h>

using downstream::encoding::hex_decode;
using downstream::encoding::hex_encode;
namespace crypto = downstream::crypto;

// Known answers from RFC 4231.
class HmacSha256Test : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(HmacSha256Test);
    CPPUNIT_TEST(rfc4231Case1);
    CPPUNIT_TEST(rfc4231Case2);
    CPPUNIT_TEST(rfc4231Case6LongKey);
    CPPUNIT_TEST(preparedKeyMatchesRfc4231);
    CPPUNIT_TEST(constantTimeEqual);
    CPPUNIT_TEST_SUITE_END();

public:
    void rfc4231Case1() {
        const std::string key(20, '\x0b');
        CPPUNIT_ASSERT_EQUAL(
            std::string("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
            hex_encode(crypto::hmac_sha256(key, "Hi There")));
    }
    void rfc4231Case2() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
            hex_encode(crypto::hmac_sha256("Jefe", "what do ya want for nothing?")));
    }
    void rfc4231Case6LongKey() {
        const std::string key(131, '\xaa');
        CPPUNIT_ASSERT_EQUAL(
            std::string("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
            hex_encode(crypto::hmac_sha256(
                key, "Test Using Larger Than Block-Size Key - Hash Key First")));
    }
    void preparedKeyMatchesRfc4231() {
        // Cases 1, 2, 6 and 7 (a 131-byte key is hashed first), each message twice through
        // the same object, and the object copied: the prepared key is never consumed.
        const crypto::HmacSha256 case1(std::string(20, '\x0b'));
        const crypto::HmacSha256 case2("Jefe");
        const crypto::HmacSha256 case6(std::string(131, '\xaa'));
        const crypto::HmacSha256 copy = case6;
        for (int round = 0; round < 2; ++round) {
            CPPUNIT_ASSERT_EQUAL(
                std::string("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
                hex_encode(case1.mac("Hi There")));
            CPPUNIT_ASSERT_EQUAL(
                std::string("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
                hex_encode(case2.mac("what do ya want for nothing?")));
            CPPUNIT_ASSERT_EQUAL(
                std::string("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
                hex_encode(case6.mac("Test Using Larger Than Block-Size Key - Hash Key First")));
            CPPUNIT_ASSERT_EQUAL(
                std::string("9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
                hex_encode(copy.mac("This is a test using a larger than block-size key and a "
                                    "larger than block-size data. The key needs to be hashed "
                                    "before being used by the HMAC algorithm.")));
        }
        // A key of exactly one block is used as is.
        const std::string block_key(64, 'k');
        CPPUNIT_ASSERT_EQUAL(hex_encode(crypto::hmac_sha256(block_key, "m")),
                             hex_encode(crypto::HmacSha256(block_key).mac("m")));
    }
    void constantTimeEqual() {
        CPPUNIT_ASSERT(crypto::constant_time_equal("abc", "abc"));
        CPPUNIT_ASSERT(!crypto::constant_time_equal("abc", "abd"));
        CPPUNIT_ASSERT(!crypto::constant_time_equal("abc", "ab"));
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(HmacSha256Test);
