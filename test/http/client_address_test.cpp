#include "http/client_address.h"

#include <cppunit/extensions/HelperMacros.h>

#include <string>

using downstream::http::IpAddress;
using downstream::http::IpNetwork;
using downstream::http::resolve_client_address;
using downstream::http::TrustedProxies;

namespace {

TrustedProxies trust(const char* list) {
    auto parsed = TrustedProxies::parse(list);
    CPPUNIT_ASSERT_MESSAGE(list, parsed.ok());
    return *parsed;
}

}  // namespace

class ClientAddressTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ClientAddressTest);
    CPPUNIT_TEST(parsesAndCanonicalisesAddresses);
    CPPUNIT_TEST(rejectsGarbageAddresses);
    CPPUNIT_TEST(rejectsTextWithNulBytes);
    CPPUNIT_TEST(cidrContainment);
    CPPUNIT_TEST(untrustedPeerIgnoresForwardedFor);
    CPPUNIT_TEST(trustedPeerUsesRightMostUntrustedEntry);
    CPPUNIT_TEST(skipsTrustedHopsInTheChain);
    CPPUNIT_TEST(allHopsTrustedGivesTheLeftMost);
    CPPUNIT_TEST(garbageEntryStopsTheWalk);
    CPPUNIT_TEST(entriesWithPortsAndIpv6);
    CPPUNIT_TEST(emptyOrMissingHeader);
    CPPUNIT_TEST(emptyTrustListTrustsNobody);
    CPPUNIT_TEST(badTrustListIsAnError);
    CPPUNIT_TEST(nonIpPeerIsReturnedAsIs);
    CPPUNIT_TEST_SUITE_END();

public:
    void parsesAndCanonicalisesAddresses() {
        CPPUNIT_ASSERT_EQUAL(std::string("1.2.3.4"), IpAddress::parse("1.2.3.4")->to_string());
        CPPUNIT_ASSERT_EQUAL(std::string("1.2.3.4"), IpAddress::parse("::ffff:1.2.3.4")->to_string());
        CPPUNIT_ASSERT(*IpAddress::parse("::ffff:1.2.3.4") == *IpAddress::parse("1.2.3.4"));
        // RFC 5952 canonical form.
        CPPUNIT_ASSERT_EQUAL(std::string("2001:db8::1"),
                             IpAddress::parse("2001:0DB8:0000:0000:0000:0000:0000:0001")->to_string());
        CPPUNIT_ASSERT_EQUAL(std::string("2001:db8::1"), IpAddress::parse("[2001:db8::1]")->to_string());
        CPPUNIT_ASSERT(!IpAddress::parse("2001:db8::1")->is_v4());
    }
    void rejectsGarbageAddresses() {
        for (const char* bad : {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "localhost", "1.2.3.4 ",
                                "01.2.3.4x", "::g", "[1.2.3.4", "1.2.3.4/8", "unknown"}) {
            CPPUNIT_ASSERT_MESSAGE(bad, !IpAddress::parse(bad).ok());
        }
    }
    // Found by test/fuzz/client_address_fuzz: inet_pton stopped at a NUL, so "1.2.3.4\0junk"
    // parsed as 1.2.3.4 and a proxy.trusted entry with a NUL trusted its prefix.
    void rejectsTextWithNulBytes() {
        using namespace std::string_literals;
        for (const std::string& bad : {"1.2.3.4\0"s, "1.2.3.4\0junk"s, "::1\0:2"s, "\0"s,
                                       "[2001:db8::1\0]"s}) {
            CPPUNIT_ASSERT_MESSAGE(bad, !IpAddress::parse(bad).ok());
        }
        CPPUNIT_ASSERT(!IpNetwork::parse("10.0.0.0\0/8"s).ok());
        CPPUNIT_ASSERT(!IpNetwork::parse("::f\0\0f:127.0.0.0/104"s).ok());
        CPPUNIT_ASSERT(!TrustedProxies::parse("127.0.0.1\0, 10.0.0.0/8"s).ok());
    }
    void cidrContainment() {
        auto net = *IpNetwork::parse("10.0.0.0/8");
        CPPUNIT_ASSERT(net.contains(*IpAddress::parse("10.255.1.2")));
        CPPUNIT_ASSERT(!net.contains(*IpAddress::parse("11.0.0.1")));
        auto odd = *IpNetwork::parse("192.168.1.128/25");
        CPPUNIT_ASSERT(odd.contains(*IpAddress::parse("192.168.1.200")));
        CPPUNIT_ASSERT(!odd.contains(*IpAddress::parse("192.168.1.127")));
        auto v6 = *IpNetwork::parse("2001:db8::/32");
        CPPUNIT_ASSERT(v6.contains(*IpAddress::parse("2001:db8:ffff::1")));
        CPPUNIT_ASSERT(!v6.contains(*IpAddress::parse("2001:db9::1")));
        CPPUNIT_ASSERT(!v6.contains(*IpAddress::parse("10.0.0.1")));
        auto all = *IpNetwork::parse("0.0.0.0/0");
        CPPUNIT_ASSERT(all.contains(*IpAddress::parse("8.8.8.8")));
        CPPUNIT_ASSERT(!all.contains(*IpAddress::parse("2001:db8::1")));
        CPPUNIT_ASSERT_EQUAL(std::string("10.0.0.0/8"), net.to_string());
        CPPUNIT_ASSERT(!IpNetwork::parse("10.0.0.0/33").ok());
        CPPUNIT_ASSERT(!IpNetwork::parse("10.0.0.0/").ok());
        CPPUNIT_ASSERT(!IpNetwork::parse("10.0.0.0/x").ok());
        CPPUNIT_ASSERT(!IpNetwork::parse("2001:db8::/129").ok());
    }
    void untrustedPeerIgnoresForwardedFor() {
        CPPUNIT_ASSERT_EQUAL(std::string("203.0.113.9"),
                             resolve_client_address("203.0.113.9", "1.1.1.1", trust("127.0.0.1")));
    }
    void trustedPeerUsesRightMostUntrustedEntry() {
        // The client wrote "6.6.6.6" itself; the trusted proxy appended the real peer.
        CPPUNIT_ASSERT_EQUAL(std::string("203.0.113.9"),
                             resolve_client_address("127.0.0.1", "6.6.6.6, 203.0.113.9", trust("127.0.0.1")));
    }
    void skipsTrustedHopsInTheChain() {
        CPPUNIT_ASSERT_EQUAL(std::string("203.0.113.9"),
                             resolve_client_address("127.0.0.1", "6.6.6.6,203.0.113.9, 10.1.2.3,10.9.9.9",
                                                    trust("127.0.0.1, 10.0.0.0/8")));
    }
    void allHopsTrustedGivesTheLeftMost() {
        CPPUNIT_ASSERT_EQUAL(std::string("10.0.0.1"),
                             resolve_client_address("127.0.0.1", "10.0.0.1, 10.0.0.2", trust("127.0.0.1 10.0.0.0/8")));
    }
    void garbageEntryStopsTheWalk() {
        // "unknown" sits where a trusted hop should have written an address: believe nothing
        // left of it and answer the nearest vouched-for hop.
        CPPUNIT_ASSERT_EQUAL(std::string("10.0.0.2"),
                             resolve_client_address("127.0.0.1", "1.2.3.4, unknown, 10.0.0.2",
                                                    trust("127.0.0.1, 10.0.0.0/8")));
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"),
                             resolve_client_address("127.0.0.1", "<script>", trust("127.0.0.1")));
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"),
                             resolve_client_address("127.0.0.1", std::string(5000, ','), trust("127.0.0.1")));
    }
    void entriesWithPortsAndIpv6() {
        CPPUNIT_ASSERT_EQUAL(std::string("203.0.113.9"),
                             resolve_client_address("127.0.0.1", "203.0.113.9:51234", trust("127.0.0.1")));
        CPPUNIT_ASSERT_EQUAL(std::string("2001:db8::7"),
                             resolve_client_address("::1", "[2001:db8::7]:443", trust("::1")));
        CPPUNIT_ASSERT_EQUAL(std::string("2001:db8::7"),
                             resolve_client_address("::1", "2001:db8::7", trust("127.0.0.1, ::1")));
        CPPUNIT_ASSERT_EQUAL(std::string("203.0.113.9"),
                             resolve_client_address("::ffff:127.0.0.1", "203.0.113.9", trust("127.0.0.1")));
    }
    void emptyOrMissingHeader() {
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"), resolve_client_address("127.0.0.1", "", trust("127.0.0.1")));
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"), resolve_client_address("127.0.0.1", " , ", trust("127.0.0.1")));
    }
    void emptyTrustListTrustsNobody() {
        CPPUNIT_ASSERT(trust("").empty());
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"),
                             resolve_client_address("127.0.0.1", "203.0.113.9", trust("")));
    }
    void badTrustListIsAnError() {
        auto bad = TrustedProxies::parse("127.0.0.1, 10.0.0.0/99");
        CPPUNIT_ASSERT(!bad.ok());
        CPPUNIT_ASSERT(bad.error().message.find("10.0.0.0/99") != std::string::npos);
        CPPUNIT_ASSERT(!TrustedProxies::parse("localhost").ok());
    }
    void nonIpPeerIsReturnedAsIs() {
        CPPUNIT_ASSERT_EQUAL(std::string("unix:"), resolve_client_address("unix:", "1.2.3.4", trust("127.0.0.1")));
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(ClientAddressTest);
