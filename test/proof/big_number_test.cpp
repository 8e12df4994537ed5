#include "proof/big_number.h"

#include "encoding/hex.h"

#include <cppunit/extensions/HelperMacros.h>

#include <openssl/bn.h>

using downstream::encoding::hex_decode;
using downstream::encoding::hex_encode;
using downstream::proof::BigNumber;
using downstream::proof::BigNumberContext;

namespace {
std::string unhex(const std::string& s) { return hex_decode(s).value(); }
BigNumber dec(const std::string& s) { return BigNumber::from_decimal(s).value(); }
}  // namespace

// Hand-worked values (Python's int arithmetic gives the same digits).
class BigNumberTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(BigNumberTest);
    CPPUNIT_TEST(bytesAreMinimalBigEndian);
    CPPUNIT_TEST(leadingZerosAreIgnored);
    CPPUNIT_TEST(decimalRoundTrips);
    CPPUNIT_TEST(decimalRejectsNonDigits);
    CPPUNIT_TEST(bitLengthCountsSignificantBits);
    CPPUNIT_TEST(comparesByValue);
    CPPUNIT_TEST(addProductIsExact);
    CPPUNIT_TEST(reduceGivesLeastResidue);
    CPPUNIT_TEST(copyIsIndependent);
    CPPUNIT_TEST(randomPrimeHasRequestedBits);
    CPPUNIT_TEST_SUITE_END();

public:
    void bytesAreMinimalBigEndian() {
        CPPUNIT_ASSERT_EQUAL(std::string(""), hex_encode(BigNumber().to_bytes()));
        CPPUNIT_ASSERT_EQUAL(std::string("ff"), hex_encode(BigNumber::from_word(255).to_bytes()));
        CPPUNIT_ASSERT_EQUAL(std::string("0100"), hex_encode(BigNumber::from_word(256).to_bytes()));
        CPPUNIT_ASSERT_EQUAL(std::string("0102030405060708"),
                             hex_encode(BigNumber::from_word(0x0102030405060708ull).to_bytes()));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{0x0102030405060708ull},
                             BigNumber::from_bytes(unhex("0102030405060708")).to_word());
    }
    void leadingZerosAreIgnored() {
        CPPUNIT_ASSERT_EQUAL(std::string("01ff"), hex_encode(BigNumber::from_bytes(unhex("000001ff")).to_bytes()));
        CPPUNIT_ASSERT(BigNumber::from_bytes("").is_zero());
        CPPUNIT_ASSERT(BigNumber::from_bytes(std::string(5, '\0')).is_zero());
        BigNumber reused = BigNumber::from_word(77);
        reused.assign_bytes(unhex("0a"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{10}, reused.to_word());
    }
    void decimalRoundTrips() {
        // 2^300 + 7
        const std::string text =
            "2037035976334486086268445688409378161051468393665936250636140449354381299763336706183397383";
        CPPUNIT_ASSERT_EQUAL(text, dec(text).to_decimal());
        CPPUNIT_ASSERT_EQUAL(301, dec(text).bit_length());
        CPPUNIT_ASSERT_EQUAL(std::string("0"), BigNumber().to_decimal());
    }
    void decimalRejectsNonDigits() {
        CPPUNIT_ASSERT(!BigNumber::from_decimal("").ok());
        CPPUNIT_ASSERT(!BigNumber::from_decimal("-5").ok());
        CPPUNIT_ASSERT(!BigNumber::from_decimal("12a").ok());
        CPPUNIT_ASSERT(!BigNumber::from_decimal(" 1").ok());
    }
    void bitLengthCountsSignificantBits() {
        CPPUNIT_ASSERT_EQUAL(0, BigNumber().bit_length());
        CPPUNIT_ASSERT_EQUAL(1, BigNumber::from_word(1).bit_length());
        CPPUNIT_ASSERT_EQUAL(6, BigNumber::from_word(52).bit_length());
        CPPUNIT_ASSERT_EQUAL(9, BigNumber::from_word(256).bit_length());
    }
    void comparesByValue() {
        CPPUNIT_ASSERT(BigNumber::from_word(3) < BigNumber::from_word(4));
        CPPUNIT_ASSERT(BigNumber::from_bytes(unhex("0004")) == BigNumber::from_word(4));
        CPPUNIT_ASSERT(BigNumber::from_word(5) != BigNumber::from_word(4));
        CPPUNIT_ASSERT_EQUAL(1, BigNumber::from_word(5).compare(BigNumber::from_word(4)));
    }
    void addProductIsExact() {
        BigNumberContext ctx;
        // 7 + (2^64 - 1)^2 = 340282366920938463426481119284349108232
        BigNumber acc = BigNumber::from_word(7);
        const BigNumber big = BigNumber::from_word(0xffffffffffffffffull);
        acc.add_product(big, big, ctx);
        CPPUNIT_ASSERT_EQUAL(std::string("340282366920938463426481119284349108232"), acc.to_decimal());
        acc.add(BigNumber::from_word(8));
        CPPUNIT_ASSERT_EQUAL(std::string("340282366920938463426481119284349108240"), acc.to_decimal());
    }
    void reduceGivesLeastResidue() {
        BigNumberContext ctx;
        BigNumber x = dec("340282366920938463426481119284349108232");
        x.reduce(BigNumber::from_word(1000003), ctx);
        // 340282366920938463426481119284349108232 mod 1000003 = 301663
        CPPUNIT_ASSERT_EQUAL(std::string("301663"), x.to_decimal());
        BigNumber small = BigNumber::from_word(5);
        small.reduce(BigNumber::from_word(7), ctx);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{5}, small.to_word());
        CPPUNIT_ASSERT_THROW(small.reduce(BigNumber(), ctx), std::invalid_argument);
    }
    void copyIsIndependent() {
        BigNumber a = BigNumber::from_word(9);
        BigNumber b = a.copy();
        a.add(BigNumber::from_word(1));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{9}, b.to_word());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{10}, a.to_word());
    }
    void randomPrimeHasRequestedBits() {
        const BigNumber p = BigNumber::random_prime(256);
        CPPUNIT_ASSERT_EQUAL(256, p.bit_length());
        CPPUNIT_ASSERT_EQUAL(1, BN_check_prime(p.get(), nullptr, nullptr));
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(BigNumberTest);
