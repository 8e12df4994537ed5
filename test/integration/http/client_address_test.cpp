// X-Forwarded-For is believed only from trusted peers (proxy.trusted = 127.0.0.1).
// Needs the stack of scripts/test-http.sh (see integration/http/stack_client.h).
#include "integration/http/stack_client.h"

#include <cppunit/extensions/HelperMacros.h>

using downstream::testing::HttpCall;
using downstream::testing::http_call;
using downstream::testing::json_member;

namespace {

HttpCall whoami(const std::string& forwarded_for, const std::string& source = "") {
    HttpCall call;
    call.path = "/api/downstream/whoami";
    if (!forwarded_for.empty()) call.headers.push_back({"X-Forwarded-For", forwarded_for});
    call.source_address = source;
    return call;
}

}  // namespace

class HttpStackAddressTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(HttpStackAddressTest);
    CPPUNIT_TEST(peerAddressWithoutHeader);
    CPPUNIT_TEST(forwardedForFromTrustedPeer);
    CPPUNIT_TEST(forwardedChainTakesRightMost);
    CPPUNIT_TEST(forwardedForFromUntrustedPeerIsIgnored);
    CPPUNIT_TEST(garbageHeaderFallsBackToPeer);
    CPPUNIT_TEST_SUITE_END();

public:
    void peerAddressWithoutHeader() {
        auto reply = http_call(whoami(""));
        CPPUNIT_ASSERT_EQUAL(200, reply.status);
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"), json_member(reply.body, "client"));
    }
    void forwardedForFromTrustedPeer() {
        auto reply = http_call(whoami("198.51.100.23"));
        CPPUNIT_ASSERT_EQUAL(std::string("198.51.100.23"), json_member(reply.body, "client"));
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"), json_member(reply.body, "peer"));
    }
    void forwardedChainTakesRightMost() {
        auto reply = http_call(whoami("6.6.6.6, 198.51.100.23"));
        CPPUNIT_ASSERT_EQUAL(std::string("198.51.100.23"), json_member(reply.body, "client"));
    }
    void forwardedForFromUntrustedPeerIsIgnored() {
        // 127.0.0.2 is a loopback address outside proxy.trusted.
        auto reply = http_call(whoami("198.51.100.23", "127.0.0.2"));
        CPPUNIT_ASSERT_EQUAL(200, reply.status);
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.2"), json_member(reply.body, "client"));
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.2"), json_member(reply.body, "peer"));
    }
    void garbageHeaderFallsBackToPeer() {
        auto reply = http_call(whoami("not-an-address"));
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"), json_member(reply.body, "client"));
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(HttpStackAddressTest);
