#include "crypto/aes_encryptor.h"
#include "encoding/hex.h"

#include <cppunit/extensions/HelperMacros.h>

using downstream::encoding::hex_decode;
using downstream::encoding::hex_encode;
namespace crypto = downstream::crypto;

namespace {
std::string unhex(const std::string& s) { return hex_decode(s).value(); }
const std::string kKey256 =
    unhex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4");
const std::string kPlain = unhex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51");
}  // namespace

// Known answers from NIST SP 800-38A (F.3.17 CFB8-AES256, F.3.13 CFB128-AES256,
// F.5.5 CTR-AES256), checked in pieces to prove the stream state carries across calls.
class AesEncryptorTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(AesEncryptorTest);
    CPPUNIT_TEST(cfb128ContinuesAcrossOddSizedCalls);
    CPPUNIT_TEST(cfb8MatchesNist);
    CPPUNIT_TEST(ctrMatchesNist);
    CPPUNIT_TEST(cfb128DecryptInvertsEncrypt);
    CPPUNIT_TEST(ctrRestartJumpsToAnotherCounter);
    CPPUNIT_TEST(badKeyLengthIsAnError);
    CPPUNIT_TEST(restartBeginsTheStreamAgain);
    CPPUNIT_TEST_SUITE_END();

public:
    void cfb128ContinuesAcrossOddSizedCalls() {
        auto aes = crypto::AesEncryptor::create(crypto::AesMode::Cfb128, kKey256,
                                                unhex("000102030405060708090a0b0c0d0e0f"));
        CPPUNIT_ASSERT(aes.ok());
        std::string out = aes->update(kPlain.substr(0, 5));
        out += aes->update(kPlain.substr(5, 20));
        out += aes->update(kPlain.substr(25));
        CPPUNIT_ASSERT_EQUAL(std::string("dc7e84bfda79164b7ecd8486985d386039ffed143b28b1c832113c6331e5407b"),
                             hex_encode(out));
    }
    void cfb8MatchesNist() {
        auto aes = crypto::AesEncryptor::create(crypto::AesMode::Cfb8, kKey256,
                                                unhex("000102030405060708090a0b0c0d0e0f"));
        std::string out = aes->update(kPlain.substr(0, 1));
        out += aes->update(kPlain.substr(1, 17));
        CPPUNIT_ASSERT_EQUAL(std::string("dc1f1a8520a64db55fcc8ac554844e88"),
                             hex_encode(out.substr(0, 16)));
    }
    void ctrMatchesNist() {
        auto aes = crypto::AesEncryptor::create(crypto::AesMode::Ctr, kKey256,
                                                unhex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"));
        std::string out = aes->update(kPlain.substr(0, 7));
        out += aes->update(kPlain.substr(7));
        CPPUNIT_ASSERT_EQUAL(std::string("601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c5"),
                             hex_encode(out));
    }
    void ctrRestartJumpsToAnotherCounter() {
        // F.5.5's third block uses the counter f0..fdff01; restart there, mid-stream, and
        // part-way into a block, and the same key schedule gives the NIST ciphertext.
        auto aes = crypto::AesEncryptor::create(crypto::AesMode::Ctr, kKey256,
                                                unhex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"));
        aes->update(kPlain.substr(0, 5));
        CPPUNIT_ASSERT(aes->restart(unhex("f0f1f2f3f4f5f6f7f8f9fafbfcfdff01")).ok());
        const std::string third = unhex("30c81c46a35ce411e5fbc1191a0a52ef");
        std::string out = aes->update(third.substr(0, 3));
        out += aes->update(third.substr(3));
        CPPUNIT_ASSERT_EQUAL(std::string("2b0930daa23de94ce87017ba2d84988d"), hex_encode(out));
        CPPUNIT_ASSERT(!aes->restart("short").ok());
    }
    void cfb128DecryptInvertsEncrypt() {
        const std::string iv = unhex("000102030405060708090a0b0c0d0e0f");
        auto plain = crypto::aes_cfb128_decrypt(
            kKey256, iv, unhex("dc7e84bfda79164b7ecd8486985d386039ffed143b28b1c832113c6331e5407b"));
        CPPUNIT_ASSERT(plain.ok());
        CPPUNIT_ASSERT_EQUAL(hex_encode(kPlain), hex_encode(*plain));
    }
    void badKeyLengthIsAnError() {
        auto aes = crypto::AesEncryptor::create(crypto::AesMode::Cfb128, std::string(33, 'k'),
                                                std::string(16, '\0'));
        CPPUNIT_ASSERT(!aes.ok());
        CPPUNIT_ASSERT(aes.error().message.find("33") != std::string::npos);
    }
    void restartBeginsTheStreamAgain() {
        // Stop mid-block, restart with the NIST IV: the NIST ciphertext from its first byte.
        auto aes = crypto::AesEncryptor::create(crypto::AesMode::Cfb128, kKey256, std::string(16, '\0'));
        (void)aes->update(kPlain.substr(0, 21));
        CPPUNIT_ASSERT(aes->restart(unhex("000102030405060708090a0b0c0d0e0f")).ok());
        std::string out = aes->update(kPlain.substr(0, 3));
        out += aes->update(kPlain.substr(3));
        CPPUNIT_ASSERT_EQUAL(std::string("dc7e84bfda79164b7ecd8486985d386039ffed143b28b1c832113c6331e5407b"),
                             hex_encode(out));
        auto ctr = crypto::AesEncryptor::create(crypto::AesMode::Ctr, kKey256,
                                                unhex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"));
        (void)ctr->update(kPlain.substr(0, 9));
        CPPUNIT_ASSERT(ctr->restart(unhex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff")).ok());
        CPPUNIT_ASSERT_EQUAL(std::string("601ec313775789a5b7a7f504bbf3d228"),
                             hex_encode(ctr->update(kPlain.substr(0, 16))));
        CPPUNIT_ASSERT(!aes->restart("short").ok());
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(AesEncryptorTest);
