#include "node/interim_address_check.h"
#include "support/test_data.h"

#include <cppunit/extensions/HelperMacros.h>

using downstream::node::is_plausible_address;

// Against the farmers' reference base58check results (test/vectors/addresses.json): a
// whitelist address is a valid base58check string with a 21-byte payload. The reference
// decoder ignores trailing white space; a stored address must be exact (the CSV reader trims
// fields before checking), so such cases are rejected here.
class InterimAddressCheckTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(InterimAddressCheckTest);
    CPPUNIT_TEST(agreesWithReferenceVectors);
    CPPUNIT_TEST_SUITE_END();

public:
    void agreesWithReferenceVectors() {
        auto doc = downstream::testing::load_vectors("addresses.json");
        const auto& cases = (*doc)["cases"];
        int accepted = 0, rejected = 0;
        for (const auto& c : cases.GetArray()) {
            const std::string address = c["address"].GetString();
            const bool valid = c["valid"].GetBool() && c.HasMember("payload_length") &&
                               c["payload_length"].GetInt() == 21 &&
                               address.find_first_of(" \t\r\n") == std::string::npos;
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c["name"].GetString(), valid, is_plausible_address(address));
            (valid ? accepted : rejected)++;
        }
        CPPUNIT_ASSERT(accepted >= 6);
        CPPUNIT_ASSERT(rejected >= 6);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(InterimAddressCheckTest);
