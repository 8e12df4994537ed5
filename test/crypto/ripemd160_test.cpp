#include "crypto/ripemd160.h"
#include "encoding/hex.h"

#include <cppunit/extensions/HelperMacros.h>

#include <thread>
#include <vector>

using downstream::encoding::hex_encode;
namespace crypto = downstream::crypto;

// Known answers from the RIPEMD-160 authors' page (Dobbertin, Bosselaers, Preneel).
class Ripemd160Test : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(Ripemd160Test);
    CPPUNIT_TEST(matchesPublishedAnswers);
    CPPUNIT_TEST(millionAs);
    CPPUNIT_TEST(concurrentCallsAgree);
    CPPUNIT_TEST_SUITE_END();

public:
    void matchesPublishedAnswers() {
        CPPUNIT_ASSERT_EQUAL(std::string("9c1185a5c5e9fc54612808977ee8f548b2258d31"),
                             hex_encode(crypto::ripemd160("")));
        CPPUNIT_ASSERT_EQUAL(std::string("0bdc9d2d256b3ee9daae347be6f4dc835a467ffe"),
                             hex_encode(crypto::ripemd160("a")));
        CPPUNIT_ASSERT_EQUAL(std::string("8eb208f7e05d987a9b044a8e98c6b087f15a0bfc"),
                             hex_encode(crypto::ripemd160("abc")));
        CPPUNIT_ASSERT_EQUAL(std::string("5d0689ef49d2fae572b881b123a85ffa21595f36"),
                             hex_encode(crypto::ripemd160("message digest")));
        CPPUNIT_ASSERT_EQUAL(
            std::string("12a053384a9c0c88e405a06c27dcf49ada62eb2b"),
            hex_encode(crypto::ripemd160(
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")));
    }
    void millionAs() {
        CPPUNIT_ASSERT_EQUAL(std::string("52783243c1697bdbe16d37f97f68f08325dc1528"),
                             hex_encode(crypto::ripemd160(std::string(1000000, 'a'))));
    }
    void concurrentCallsAgree() {
        std::vector<std::string> results(4);
        std::vector<std::thread> threads;
        for (auto& result : results)
            threads.emplace_back([&result] {
                for (int i = 0; i < 200; ++i) result = hex_encode(crypto::ripemd160("abc"));
            });
        for (auto& t : threads) t.join();
        for (const auto& result : results)
            CPPUNIT_ASSERT_EQUAL(std::string("8eb208f7e05d987a9b044a8e98c6b087f15a0bfc"), result);
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(Ripemd160Test);
