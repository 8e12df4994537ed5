#include "identity/bitcoin_address.h"

#include "encoding/hex.h"
#include "support/test_data.h"

#include <cppunit/extensions/HelperMacros.h>

namespace id = downstream::identity;
using downstream::encoding::hex_decode;
using downstream::encoding::hex_encode;

class BitcoinAddressTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(BitcoinAddressTest);
    CPPUNIT_TEST(vectorKeysHashToTheirAddresses);
    CPPUNIT_TEST(hash160OfTheGenerator);
    CPPUNIT_TEST(readsTheHash160OfMainnetAddresses);
    CPPUNIT_TEST(refusesWhatPycoinRefuses);
    CPPUNIT_TEST_SUITE_END();

public:
    // signatures.json keys[]: each public key, in both forms, hashes to the recorded address.
    void vectorKeysHashToTheirAddresses() {
        auto doc = downstream::testing::load_vectors("signatures.json");
        const auto& keys = (*doc)["keys"];
        CPPUNIT_ASSERT_EQUAL(3u, keys.Size());
        for (const auto& key : keys.GetArray()) {
            CPPUNIT_ASSERT_EQUAL(
                std::string(key["address_compressed"].GetString()),
                id::p2pkh_address_for_public_key(*hex_decode(key["pubkey_compressed_hex"].GetString())));
            CPPUNIT_ASSERT_EQUAL(
                std::string(key["address_uncompressed"].GetString()),
                id::p2pkh_address_for_public_key(*hex_decode(key["pubkey_uncompressed_hex"].GetString())));
        }
    }

    // The public key of secret 1 (the generator G) has the well-known address
    // 1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH (compressed) / 1EHNa6Q4Jz2uvNExL497mE43ikXhwF6kZm.
    void hash160OfTheGenerator() {
        const std::string g_compressed =
            *hex_decode("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
        CPPUNIT_ASSERT_EQUAL(std::string("751e76e8199196d454941c45d1b3a323f1433bd6"),
                             hex_encode(id::hash160(g_compressed)));
        CPPUNIT_ASSERT_EQUAL(std::string("1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH"),
                             id::p2pkh_address_for_public_key(g_compressed));
        const std::string g_uncompressed = *hex_decode(
            "0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
            "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8");
        CPPUNIT_ASSERT_EQUAL(std::string("1EHNa6Q4Jz2uvNExL497mE43ikXhwF6kZm"),
                             id::p2pkh_address_for_public_key(g_uncompressed));
    }

    // addresses.json: every valid 21-byte version-0 case gives its payload less the version.
    void readsTheHash160OfMainnetAddresses() {
        auto doc = downstream::testing::load_vectors("addresses.json");
        int read = 0;
        for (const auto& c : (*doc)["cases"].GetArray()) {
            const std::string address = c["address"].GetString();
            const bool p2pkh = c["valid"].GetBool() && c["payload_length"].GetInt() == 21 &&
                               c["version_byte"].GetInt() == 0 &&
                               address.find_first_of(" \n") == std::string::npos;
            const auto hash = id::p2pkh_hash160(address);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(address, p2pkh, hash.ok());
            if (!p2pkh) continue;
            CPPUNIT_ASSERT_EQUAL(std::string(c["payload_hex"].GetString()).substr(2), hex_encode(*hash));
            ++read;
        }
        CPPUNIT_ASSERT_EQUAL(5, read);
    }

    // The reasons pycoin 0.52 gives (signatures.json address_* vectors), in our words.
    void refusesWhatPycoinRefuses() {
        const auto message_of = [](const std::string& address) {
            const auto hash = id::p2pkh_hash160(address);
            CPPUNIT_ASSERT(!hash.ok());
            return hash.error().message;
        };
        CPPUNIT_ASSERT(message_of("17wJTaBfX7cry26fDXsDuv7FLvUzujejwN").find("checksum") != std::string::npos);
        CPPUNIT_ASSERT(message_of("mnTFkdGeL947k8aGw6qbjqKaCv5hoADp2H").find("test network") != std::string::npos);
        CPPUNIT_ASSERT(message_of("38dKP7g751wF4Bo6LdXpLYUBVSmiVR4eiL").find("version byte 5") != std::string::npos);
        CPPUNIT_ASSERT(message_of("").find("checksum") != std::string::npos);
        CPPUNIT_ASSERT(message_of("17wJT0BfX7cry26fDXsDuv7FLvUzujejwM").find("'0'") != std::string::npos);
        CPPUNIT_ASSERT(message_of("1HHkVwKgoxuE").find("5 bytes") != std::string::npos);
        // pycoin strips nothing: the trailing space `base58` forgives is a bad character here.
        CPPUNIT_ASSERT(message_of("17wJTaBfX7cry26fDXsDuv7FLvUzujejwM ").find("' '") != std::string::npos);
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(BitcoinAddressTest);
