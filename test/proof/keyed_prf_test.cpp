#include "proof/keyed_prf.h"

#include "encoding/hex.h"
#include "support/test_data.h"
#include "support/vector_fields.h"

#include <cppunit/extensions/HelperMacros.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>

#include <memory>

using downstream::encoding::hex_encode;
using downstream::proof::KeyedPrf;
using namespace downstream::testing;
namespace json = downstream::json;

namespace {

// Decimal text <-> big-endian bytes, through OpenSSL's BIGNUM (independent of the code
// under test).
struct BnFree {
    void operator()(BIGNUM* bn) const { BN_free(bn); }
};

std::string decimal_to_be(const std::string& decimal) {
    BIGNUM* raw = nullptr;
    if (BN_dec2bn(&raw, decimal.c_str()) == 0) CPPUNIT_FAIL("bad decimal in vector: " + decimal);
    std::unique_ptr<BIGNUM, BnFree> bn(raw);
    std::string be(static_cast<std::size_t>(BN_num_bytes(bn.get())), '\0');
    BN_bn2bin(bn.get(), reinterpret_cast<unsigned char*>(be.data()));
    return be;
}

std::string be_to_decimal(const std::string& be) {
    std::unique_ptr<BIGNUM, BnFree> bn(
        BN_bin2bn(reinterpret_cast<const unsigned char*>(be.data()), static_cast<int>(be.size()),
                  nullptr));
    char* text = BN_bn2dec(bn.get());
    std::string out(text);
    OPENSSL_free(text);
    return out;
}

}  // namespace

// Every entry of test/vectors/keyed_prf.json (heartbeat 0.1.10's KeyedPRF).
class KeyedPrfTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(KeyedPrfTest);
    CPPUNIT_TEST(everyCaseMatchesReference);
    CPPUNIT_TEST(uint64RangesAgreeWithBigEndianRanges);
    CPPUNIT_TEST(leadingZeroBytesDoNotChangeTheRange);
    CPPUNIT_TEST(zeroRangeAndBadKeysFail);
    CPPUNIT_TEST_SUITE_END();

public:
    void everyCaseMatchesReference() {
        auto vectors = load_vectors("keyed_prf.json");
        int checked = 0;
        int repeated = 0;
        for (const auto& c : array_field(*vectors, "cases", 160).GetArray()) {
            const std::string range = string_field(c, "range");
            auto prf = KeyedPrf::create(hex_field(c, "key_hex"), decimal_to_be(range));
            CPPUNIT_ASSERT_MESSAGE(range, prf.ok());
            CPPUNIT_ASSERT_EQUAL(static_cast<unsigned>(uint_field(c, "range_bits")),
                                 prf->range_bits());
            CPPUNIT_ASSERT_EQUAL(static_cast<std::size_t>(uint_field(c, "block_bytes")),
                                 prf->block_bytes());
            const std::uint64_t x = uint_field(c, "x");
            CPPUNIT_ASSERT_EQUAL(string_field(c, "input_block_hex"),
                                 hex_encode(prf->input_block(x)));
            const KeyedPrf::Trace trace = prf->eval_traced(x);
            const auto& ciphertexts = array_field(c, "ciphertexts_hex");
            CPPUNIT_ASSERT_EQUAL(static_cast<std::size_t>(uint_field(c, "iterations")),
                                 trace.ciphertexts.size());
            CPPUNIT_ASSERT_EQUAL(static_cast<std::size_t>(ciphertexts.Size()),
                                 trace.ciphertexts.size());
            for (rapidjson::SizeType i = 0; i < ciphertexts.Size(); ++i)
                CPPUNIT_ASSERT_EQUAL(std::string(ciphertexts[i].GetString()),
                                     hex_encode(trace.ciphertexts[i]));
            CPPUNIT_ASSERT_EQUAL(string_field(c, "output"), be_to_decimal(trace.output));
            CPPUNIT_ASSERT_EQUAL(trace.output, prf->eval(x));
            if (trace.ciphertexts.size() > 1) ++repeated;
            ++checked;
        }
        CPPUNIT_ASSERT_EQUAL(160, checked);
        // The quirk (re-encrypting with the advancing stream) is exercised, not just the
        // first attempt.
        CPPUNIT_ASSERT_EQUAL(54, repeated);
    }

    void uint64RangesAgreeWithBigEndianRanges() {
        auto vectors = load_vectors("keyed_prf.json");
        int checked = 0;
        for (const auto& c : array_field(*vectors, "cases", 160).GetArray()) {
            if (uint_field(c, "range_bits") > 64) continue;
            const std::uint64_t range = std::stoull(string_field(c, "range"));
            auto prf = KeyedPrf::create(hex_field(c, "key_hex"), range);
            CPPUNIT_ASSERT(prf.ok());
            CPPUNIT_ASSERT_EQUAL(string_field(c, "output"),
                                 std::to_string(prf->eval_u64(uint_field(c, "x"))));
            ++checked;
        }
        CPPUNIT_ASSERT(checked >= 100);
    }

    void leadingZeroBytesDoNotChangeTheRange() {
        const std::string key(32, 'k');
        auto a = KeyedPrf::create(key, std::string("\x01\x00", 2));
        auto b = KeyedPrf::create(key, std::string("\x00\x00\x01\x00", 4));
        CPPUNIT_ASSERT_EQUAL(9u, b->range_bits());
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, b->block_bytes());
        CPPUNIT_ASSERT_EQUAL(a->eval(5), b->eval(5));
    }

    void zeroRangeAndBadKeysFail() {
        CPPUNIT_ASSERT(!KeyedPrf::create(std::string(32, 'k'), std::uint64_t{0}).ok());
        CPPUNIT_ASSERT(!KeyedPrf::create(std::string(32, 'k'), std::string(3, '\0')).ok());
        CPPUNIT_ASSERT(!KeyedPrf::create(std::string(31, 'k'), std::uint64_t{10}).ok());
        CPPUNIT_ASSERT(!KeyedPrf::create("", std::uint64_t{10}).ok());
        CPPUNIT_ASSERT(KeyedPrf::create(std::string(16, 'k'), std::uint64_t{10}).ok());
        CPPUNIT_ASSERT(KeyedPrf::create(std::string(24, 'k'), std::uint64_t{10}).ok());
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(KeyedPrfTest);
