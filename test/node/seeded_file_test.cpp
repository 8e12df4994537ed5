#include "node/seeded_file.h"
#include "crypto/sha256.h"
#include "encoding/hex.h"
#include "support/test_data.h"

#include <cppunit/extensions/HelperMacros.h>

using downstream::node::seeded_file_bytes;

// Against the farmers' reference random stream (test/vectors/randomio.json).
class SeededFileTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(SeededFileTest);
    CPPUNIT_TEST(matchesReferenceStream);
    CPPUNIT_TEST_SUITE_END();

public:
    void matchesReferenceStream() {
        auto doc = downstream::testing::load_vectors("randomio.json");
        int checked = 0;
        for (const auto& c : (*doc)["cases"].GetArray()) {
            const std::string seed = c["seed"].GetString();
            const auto size = static_cast<std::size_t>(c["size"].GetUint64());
            const std::string bytes = seeded_file_bytes(seed, size);
            CPPUNIT_ASSERT_EQUAL(size, bytes.size());
            CPPUNIT_ASSERT_EQUAL(std::string(c["sha256"].GetString()),
                                 downstream::encoding::hex_encode(downstream::crypto::sha256(bytes)));
            const std::string first = c["first64_hex"].GetString();
            CPPUNIT_ASSERT_EQUAL(first, downstream::encoding::hex_encode(bytes.substr(0, first.size() / 2)));
            ++checked;
        }
        CPPUNIT_ASSERT(checked >= 40);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SeededFileTest);
