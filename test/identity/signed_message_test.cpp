#include "identity/signed_message.h"

#include "crypto/secure_random.h"
#include "encoding/base64.h"
#include "encoding/hex.h"
#include "support/test_data.h"

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <map>
#include <thread>
#include <vector>

namespace id = downstream::identity;
using downstream::encoding::hex_decode;
using downstream::encoding::hex_encode;
using id::SignatureStatus;

namespace {

std::string text_of(const downstream::json::Value& v) { return std::string(v.GetString(), v.GetStringLength()); }

// The reference's outcome for a vector: "True", "False", or the exception class it raised.
std::string reference_outcome(const downstream::json::Value& vector) {
    if (vector.HasMember("siggy_result")) return vector["siggy_result"].GetBool() ? "True" : "False";
    return text_of(vector["siggy_raises"]);
}

// The reference outcome each status stands for (see SignatureStatus in signed_message.h).
std::string outcome_of(SignatureStatus status) {
    switch (status) {
    case SignatureStatus::Verified: return "True";
    case SignatureStatus::Mismatch:
    case SignatureStatus::BadSignatureText: return "False";
    case SignatureStatus::BadSignatureValue: return "AssertionError";
    case SignatureStatus::BadAddress: return "pycoin.encoding.EncodingError";
    }
    return "?";
}

struct KeyVector {
    std::string secret;
    std::string address_compressed;
    std::string address_uncompressed;
};

std::vector<KeyVector> vector_keys(const downstream::json::Document& doc) {
    std::vector<KeyVector> keys;
    for (const auto& k : doc["keys"].GetArray())
        keys.push_back({*hex_decode(k["secret_exponent_hex"].GetString()),
                        text_of(k["address_compressed"]), text_of(k["address_uncompressed"])});
    return keys;
}

// a + b of two 32-byte big-endian numbers, modulo 2^256.
std::string add_256(const std::string& a, const std::string& b) {
    std::string sum(32, '\0');
    unsigned carry = 0;
    for (int i = 31; i >= 0; --i) {
        carry += static_cast<unsigned char>(a[i]) + static_cast<unsigned char>(b[i]);
        sum[i] = static_cast<char>(carry & 0xff);
        carry >>= 8;
    }
    return sum;
}

}  // namespace

class SignedMessageTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(SignedMessageTest);
    CPPUNIT_TEST(encodesEveryVarint);
    CPPUNIT_TEST(hashesEveryMessage);
    CPPUNIT_TEST(reproducesEveryVectorOutcome);
    CPPUNIT_TEST(classifiesMalformedInputPrecisely);
    CPPUNIT_TEST(derivesTheVectorKeysAndAddresses);
    CPPUNIT_TEST(signsTheVectorMessagesByteForByte);
    CPPUNIT_TEST(ownSignaturesVerifyForBothKeyForms);
    CPPUNIT_TEST(refusesBadSecrets);
    CPPUNIT_TEST(rOverTheFieldPrimeCountsModuloP);
    CPPUNIT_TEST(randomSignaturesNeverThrowOrVerify);
    CPPUNIT_TEST(verifiesFromSeveralThreads);
    CPPUNIT_TEST_SUITE_END();

public:
    void encodesEveryVarint() {
        auto doc = downstream::testing::load_vectors("signatures.json");
        const auto& varints = (*doc)["varints"];
        CPPUNIT_ASSERT_EQUAL(11u, varints.Size());
        for (const auto& v : varints.GetArray())
            CPPUNIT_ASSERT_EQUAL(text_of(v["hex"]), hex_encode(id::bitcoin_varint(v["value"].GetUint64())));
        // Beyond the vectors: the 8-byte form's top end.
        CPPUNIT_ASSERT_EQUAL(std::string("ffffffffffffffffff"), hex_encode(id::bitcoin_varint(~0ULL)));
    }

    void hashesEveryMessage() {
        auto doc = downstream::testing::load_vectors("signatures.json");
        const auto& hashes = (*doc)["message_hashes"];
        CPPUNIT_ASSERT_EQUAL(6u, hashes.Size());
        for (const auto& h : hashes.GetArray()) {
            const std::string message = text_of(h["message"]);
            CPPUNIT_ASSERT_EQUAL(h["message_utf8_len"].GetUint64(), static_cast<uint64_t>(message.size()));
            CPPUNIT_ASSERT_EQUAL(text_of(h["preimage_hex"]), hex_encode(id::signed_message_preimage(message)));
            CPPUNIT_ASSERT_EQUAL(text_of(h["double_sha256_hex"]), hex_encode(id::signed_message_hash(message)));
        }
    }

    // signatures.json vectors[]: True, False or the exception, for every one of the 50.
    void reproducesEveryVectorOutcome() {
        auto doc = downstream::testing::load_vectors("signatures.json");
        const auto& vectors = (*doc)["vectors"];
        CPPUNIT_ASSERT_EQUAL(50u, vectors.Size());
        CPPUNIT_ASSERT_EQUAL(88, (*doc)["signature_length"].GetInt());
        std::map<std::string, int> counts;
        for (const auto& v : vectors.GetArray()) {
            const std::string name = text_of(v["name"]);
            const std::string signature = text_of(v["signature"]);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name, v["signature_length"].GetUint64(),
                                         static_cast<uint64_t>(signature.size()));
            const auto check = id::verify_signed_message(text_of(v["address"]), text_of(v["message"]), signature);
            const std::string expected = reference_outcome(v);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name + " (" + check.reason + ")", expected, outcome_of(check.status));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name, v["valid"].GetBool(), check.verified());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name, check.verified(), check.reason.empty());
            ++counts[expected];
        }
        CPPUNIT_ASSERT_EQUAL(25, counts["True"]);
        CPPUNIT_ASSERT_EQUAL(13, counts["False"]);
        CPPUNIT_ASSERT_EQUAL(7, counts["AssertionError"]);
        CPPUNIT_ASSERT_EQUAL(5, counts["pycoin.encoding.EncodingError"]);
    }

    // Within the reference's "False", text faults are told apart from a wrong signer.
    void classifiesMalformedInputPrecisely() {
        auto doc = downstream::testing::load_vectors("signatures.json");
        const std::map<std::string, SignatureStatus> expected = {
            {"wrong_message", SignatureStatus::Mismatch},
            {"wrong_address_other_key", SignatureStatus::Mismatch},
            {"s_zero", SignatureStatus::Mismatch},
            {"last_data_char_changed", SignatureStatus::Mismatch},
            {"truncated_87_chars", SignatureStatus::BadSignatureText},
            {"extra_char_89", SignatureStatus::BadSignatureText},
            {"empty_signature", SignatureStatus::BadSignatureText},
            {"equals_sign_inside", SignatureStatus::BadSignatureText},
            {"undecodable_85_data_chars", SignatureStatus::BadSignatureText},
            {"all_zero_65_bytes", SignatureStatus::BadSignatureValue},
            {"r_equals_order", SignatureStatus::BadSignatureValue},
            {"address_testnet_same_hash160", SignatureStatus::BadAddress},
        };
        std::size_t seen = 0;
        for (const auto& v : (*doc)["vectors"].GetArray()) {
            const auto it = expected.find(text_of(v["name"]));
            if (it == expected.end()) continue;
            const auto check = id::verify_signed_message(text_of(v["address"]), text_of(v["message"]),
                                                         text_of(v["signature"]));
            CPPUNIT_ASSERT_MESSAGE(it->first + ": " + check.reason, it->second == check.status);
            CPPUNIT_ASSERT_EQUAL(it->second != SignatureStatus::Mismatch, check.malformed());
            ++seen;
        }
        CPPUNIT_ASSERT_EQUAL(expected.size(), seen);
        const auto short_text = id::verify_signed_message("17wJTaBfX7cry26fDXsDuv7FLvUzujejwM", "m", "abc");
        CPPUNIT_ASSERT_EQUAL(std::string("signature must be 88 base64 characters, not 3"), short_text.reason);
    }

    void derivesTheVectorKeysAndAddresses() {
        auto doc = downstream::testing::load_vectors("signatures.json");
        int derived = 0;
        for (const auto& k : (*doc)["keys"].GetArray()) {
            const std::string secret = *hex_decode(k["secret_exponent_hex"].GetString());
            CPPUNIT_ASSERT_EQUAL(text_of(k["pubkey_compressed_hex"]),
                                 hex_encode(*id::public_key_for_secret(secret, id::KeyForm::Compressed)));
            CPPUNIT_ASSERT_EQUAL(text_of(k["pubkey_uncompressed_hex"]),
                                 hex_encode(*id::public_key_for_secret(secret, id::KeyForm::Uncompressed)));
            CPPUNIT_ASSERT_EQUAL(text_of(k["address_compressed"]),
                                 *id::address_for_secret(secret, id::KeyForm::Compressed));
            CPPUNIT_ASSERT_EQUAL(text_of(k["address_uncompressed"]),
                                 *id::address_for_secret(secret, id::KeyForm::Uncompressed));
            ++derived;
        }
        CPPUNIT_ASSERT_EQUAL(3, derived);
    }

    // The valid_* vectors were signed by pycoin with RFC 6979 nonces, and libsecp256k1 uses the
    // same nonces, so r always agrees. pycoin leaves s as computed; libsecp256k1 always gives
    // the low s (n - s for a high one, with the recovery id flipped). So: identical for the six
    // vectors with a low s; for the eight with a high s, same r, s_ours + s_vector = n, and a
    // header byte one off (27 <-> 28, 31 <-> 32).
    void signsTheVectorMessagesByteForByte() {
        auto doc = downstream::testing::load_vectors("signatures.json");
        const auto keys = vector_keys(*doc);
        const std::string order = *hex_decode("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
        int identical = 0, negated = 0;
        for (const auto& v : (*doc)["vectors"].GetArray()) {
            const std::string name = text_of(v["name"]);
            if (name.rfind("valid_", 0) != 0) continue;
            const std::string address = text_of(v["address"]);
            const bool compressed = v["key_compressed"].GetBool();
            const KeyVector* key = nullptr;
            for (const auto& k : keys)
                if ((compressed ? k.address_compressed : k.address_uncompressed) == address) key = &k;
            CPPUNIT_ASSERT_MESSAGE(name, key != nullptr);
            const auto signature = id::sign_message(
                key->secret, text_of(v["message"]), compressed ? id::KeyForm::Compressed : id::KeyForm::Uncompressed);
            CPPUNIT_ASSERT_MESSAGE(name, signature.ok());
            if (*signature == text_of(v["signature"])) {
                ++identical;
                continue;
            }
            const std::string ours = *downstream::encoding::base64_decode_skipping(*signature);
            const std::string theirs = *downstream::encoding::base64_decode_skipping(text_of(v["signature"]));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name, hex_encode(theirs.substr(1, 32)), hex_encode(ours.substr(1, 32)));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name, hex_encode(order), hex_encode(add_256(ours.substr(33, 32), theirs.substr(33, 32))));
            const int header = static_cast<unsigned char>(ours[0]);
            const int flipped = ((header - 27) & 1) ? header - 1 : header + 1;  // the other recovery id
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name, v["header_byte"].GetInt(), flipped);
            ++negated;
        }
        CPPUNIT_ASSERT_EQUAL(6, identical);
        CPPUNIT_ASSERT_EQUAL(8, negated);
    }

    void ownSignaturesVerifyForBothKeyForms() {
        const std::string secret = downstream::crypto::secure_random_bytes(32);
        const std::string message = "token request \xe2\x9c\x93";
        for (auto form : {id::KeyForm::Compressed, id::KeyForm::Uncompressed}) {
            const auto signature = id::sign_message(secret, message, form);
            CPPUNIT_ASSERT(signature.ok());
            CPPUNIT_ASSERT_EQUAL(std::size_t{88}, signature->size());
            const auto bytes = downstream::encoding::base64_decode_skipping(*signature);
            const int header = static_cast<unsigned char>((*bytes)[0]);
            CPPUNIT_ASSERT(form == id::KeyForm::Compressed ? (header == 31 || header == 32)
                                                           : (header == 27 || header == 28));
            // Either address of the key verifies, as in the reference.
            for (auto address_form : {id::KeyForm::Compressed, id::KeyForm::Uncompressed})
                CPPUNIT_ASSERT(id::verify_signed_message(*id::address_for_secret(secret, address_form),
                                                         message, *signature).verified());
            CPPUNIT_ASSERT_EQUAL(SignatureStatus::Mismatch == id::verify_signed_message(
                                     *id::address_for_secret(secret, form), message + "!", *signature).status,
                                 true);
        }
    }

    void refusesBadSecrets() {
        const std::string order = *hex_decode("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
        const std::vector<std::string> secrets = {std::string(32, '\0'), order, std::string(31, '\x01'),
                                                  std::string(33, '\x01')};
        for (const std::string& secret : secrets) {
            CPPUNIT_ASSERT(!id::sign_message(secret, "m", id::KeyForm::Compressed).ok());
            CPPUNIT_ASSERT(!id::address_for_secret(secret, id::KeyForm::Compressed).ok());
        }
        // n - 1 is the largest secret there is.
        std::string largest = order;
        largest[31] = '\x40';
        CPPUNIT_ASSERT(id::sign_message(largest, "m", id::KeyForm::Compressed).ok());
    }

    // r >= p: pycoin builds R from r mod p and asserts it is on the curve, then rejects (r, s)
    // because r >= n. So such an r raises when r - p is no x coordinate, and is False when it is.
    void rOverTheFieldPrimeCountsModuloP() {
        const std::string address = "17wJTaBfX7cry26fDXsDuv7FLvUzujejwM";
        const std::string p = *hex_decode("fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f");
        const auto signature_with_r = [](const std::string& r) {
            return downstream::encoding::base64_encode(std::string(1, '\x1f') + r + std::string(31, '\0') + "\x01");
        };
        // x = 1: 1 + 7 = 8 is a square mod p (x = 1 is on secp256k1); x = 5 is not (125 + 7).
        std::string r_one = p, r_five = p;
        r_one[31] = static_cast<char>(0x30);   // p + 1
        r_five[31] = static_cast<char>(0x34);  // p + 5
        CPPUNIT_ASSERT(SignatureStatus::Mismatch == id::verify_signed_message(address, "m", signature_with_r(r_one)).status);
        CPPUNIT_ASSERT(SignatureStatus::BadSignatureValue == id::verify_signed_message(address, "m", signature_with_r(r_five)).status);
        std::string one(31, '\0'), five(31, '\0');
        one += '\x01';
        five += '\x05';
        CPPUNIT_ASSERT(SignatureStatus::Mismatch == id::verify_signed_message(address, "m", signature_with_r(one)).status);
        CPPUNIT_ASSERT(SignatureStatus::BadSignatureValue == id::verify_signed_message(address, "m", signature_with_r(five)).status);
    }

    void randomSignaturesNeverThrowOrVerify() {
        int verified = 0;
        for (int i = 0; i < 300; ++i) {
            const std::string bytes = downstream::crypto::secure_random_bytes(65);
            const auto check = id::verify_signed_message("17wJTaBfX7cry26fDXsDuv7FLvUzujejwM", "m",
                                                         downstream::encoding::base64_encode(bytes));
            verified += check.verified();
            CPPUNIT_ASSERT(check.verified() || !check.reason.empty());
        }
        CPPUNIT_ASSERT_EQUAL(0, verified);
    }

    void verifiesFromSeveralThreads() {
        auto doc = downstream::testing::load_vectors("signatures.json");
        const auto& v = (*doc)["vectors"][0];
        const std::string address = text_of(v["address"]), message = text_of(v["message"]),
                          signature = text_of(v["signature"]);
        std::atomic<int> failures{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&] {
                for (int i = 0; i < 100; ++i) {
                    if (!id::verify_signed_message(address, message, signature).verified()) ++failures;
                    if (id::verify_signed_message(address, message + "x", signature).verified()) ++failures;
                }
            });
        for (auto& t : threads) t.join();
        CPPUNIT_ASSERT_EQUAL(0, failures.load());
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(SignedMessageTest);
