#include "crypto/sha256.h"
#include "encoding/hex.h"

#include <cppunit/extensions/HelperMacros.h>

using downstream::encoding::hex_encode;
namespace crypto = downstream::crypto;

// Known answers from FIPS 180-2 appendix B.
class Sha256Test : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(Sha256Test);
    CPPUNIT_TEST(oneShotMatchesFips);
    CPPUNIT_TEST(incrementalMatchesOneShot);
    CPPUNIT_TEST(doubleSha256);
    CPPUNIT_TEST(partsHashAsTheirConcatenation);
    CPPUNIT_TEST_SUITE_END();

public:
    void oneShotMatchesFips() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            hex_encode(crypto::sha256("abc")));
        CPPUNIT_ASSERT_EQUAL(
            std::string("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            hex_encode(crypto::sha256("")));
    }

    void incrementalMatchesOneShot() {
        crypto::Sha256 h;
        h.update("abcdbcdecdefdefgefghfghighijhi");
        h.update("jkijkljklmklmnlmnomnopnopq");
        CPPUNIT_ASSERT_EQUAL(
            std::string("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
            hex_encode(h.finish()));
        h.update("abc");  // reusable after finish()
        CPPUNIT_ASSERT_EQUAL(hex_encode(crypto::sha256("abc")), hex_encode(h.finish()));
    }

    void partsHashAsTheirConcatenation() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
            hex_encode(crypto::sha256({"abcdbcdecdefdefgefghfghighijhi", "",
                                       "jkijkljklmklmnlmnomnopnopq"})));
        CPPUNIT_ASSERT_EQUAL(
            std::string("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            hex_encode(crypto::sha256({"", ""})));
    }

    void doubleSha256() {
        CPPUNIT_ASSERT_EQUAL(hex_encode(crypto::sha256(crypto::sha256("abc"))),
                             hex_encode(crypto::double_sha256("abc")));
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(Sha256Test);
