// Long streamed responses through real nginx arrive whole and in order.
// Needs the stack of scripts/test-http.sh (see integration/http/stack_client.h).
#include "integration/http/stack_client.h"

#include <cppunit/extensions/HelperMacros.h>

using downstream::testing::api_get;

class HttpStackStreamTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(HttpStackStreamTest);
    CPPUNIT_TEST(largeStreamedResponseArrivesWhole);
    CPPUNIT_TEST(slowStreamArrivesWhole);
    CPPUNIT_TEST_SUITE_END();

public:
    void largeStreamedResponseArrivesWhole() {
        const std::size_t kb = 48 * 1024;  // 48 MiB: far beyond nginx's memory buffers
        auto reply = api_get("/stream/" + std::to_string(kb) + "/0");
        CPPUNIT_ASSERT_EQUAL(200, reply.status);
        CPPUNIT_ASSERT_EQUAL(kb * 1024, reply.body.size());
        check_pattern(reply.body);
    }
    void slowStreamArrivesWhole() {
        // 64 pieces of 16 KiB, 20 ms apart: flushed piece by piece, over a second in all.
        auto reply = api_get("/stream/1024/20");
        CPPUNIT_ASSERT_EQUAL(200, reply.status);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1024 * 1024}, reply.body.size());
        check_pattern(reply.body);
    }

private:
    static void check_pattern(const std::string& body) {
        for (std::size_t i = 0; i < body.size(); ++i) {
            if (static_cast<unsigned char>(body[i]) != i % 251) {
                CPPUNIT_FAIL("byte " + std::to_string(i) + " of the streamed body is wrong");
            }
        }
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(HttpStackStreamTest);
