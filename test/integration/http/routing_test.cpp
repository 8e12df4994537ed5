// Routing and error mapping as a farmer sees them through nginx.
// Needs the stack of scripts/test-http.sh (see integration/http/stack_client.h).
#include "integration/http/stack_client.h"

#include <cppunit/extensions/HelperMacros.h>

using downstream::testing::api_get;
using downstream::testing::HttpCall;
using downstream::testing::http_call;
using downstream::testing::json_member;

class HttpStackRoutingTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(HttpStackRoutingTest);
    CPPUNIT_TEST(bothPrefixesAnswer);
    CPPUNIT_TEST(badNumberIs400);
    CPPUNIT_TEST(traversalIsJustBadText);
    CPPUNIT_TEST(unknownRouteIs404Json);
    CPPUNIT_TEST(wrongMethodIs405);
    CPPUNIT_TEST(internalErrorDoesNotLeak);
    CPPUNIT_TEST(storeDownIs503);
    CPPUNIT_TEST(statusPageAtRoot);
    CPPUNIT_TEST(requestsCarryingTokens);
    CPPUNIT_TEST_SUITE_END();

public:
    void bothPrefixesAnswer() {
        for (const char* prefix : {"/api/downstream", "/api/downstream/v1"}) {
            HttpCall call;
            call.path = std::string(prefix) + "/typed/abCD01/42";
            auto reply = http_call(call);
            CPPUNIT_ASSERT_EQUAL(200, reply.status);
            CPPUNIT_ASSERT_EQUAL(std::string("abCD01"), json_member(reply.body, "token"));
            CPPUNIT_ASSERT_EQUAL(std::string("42"), json_member(reply.body, "size"));
        }
    }
    void badNumberIs400() {
        auto reply = api_get("/typed/ab/-1");
        CPPUNIT_ASSERT_EQUAL(400, reply.status);
        CPPUNIT_ASSERT_EQUAL(std::string("invalid size \"-1\": must be a non-negative integer"),
                             json_member(reply.body, "message"));
        reply = api_get("/typed/ab/99999999999999999999");
        CPPUNIT_ASSERT_EQUAL(400, reply.status);
    }
    void traversalIsJustBadText() {
        auto reply = api_get("/typed/%2e%2e%2f%2e%2e%2fetc%2fpasswd/1");
        CPPUNIT_ASSERT_EQUAL(400, reply.status);
        CPPUNIT_ASSERT(json_member(reply.body, "message").find("must be hexadecimal") != std::string::npos);
        reply = api_get("/typed/1%27%20OR%201%3D1/1");
        CPPUNIT_ASSERT_EQUAL(400, reply.status);
    }
    void unknownRouteIs404Json() {
        auto reply = api_get("/no/such/route");
        CPPUNIT_ASSERT_EQUAL(404, reply.status);
        CPPUNIT_ASSERT_EQUAL(std::string("application/json"), reply.headers["content-type"]);
        CPPUNIT_ASSERT_EQUAL(std::string("error"), json_member(reply.body, "status"));
    }
    void wrongMethodIs405() {
        HttpCall call;
        call.method = "DELETE";
        call.path = "/api/downstream/v1/echo";
        auto reply = http_call(call);
        CPPUNIT_ASSERT_EQUAL(405, reply.status);
        CPPUNIT_ASSERT_EQUAL(std::string("POST"), reply.headers["allow"]);
    }
    void internalErrorDoesNotLeak() {
        auto reply = api_get("/fail");
        CPPUNIT_ASSERT_EQUAL(500, reply.status);
        CPPUNIT_ASSERT_EQUAL(std::string("internal error"), json_member(reply.body, "message"));
        CPPUNIT_ASSERT(reply.body.find("t_tokens") == std::string::npos);
    }
    void storeDownIs503() {
        auto reply = api_get("/unavailable");
        CPPUNIT_ASSERT_EQUAL(503, reply.status);
        CPPUNIT_ASSERT(reply.body.find("mysqld") == std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("5"), reply.headers["retry-after"]);
    }
    void statusPageAtRoot() {
        HttpCall call;
        call.path = "/";
        auto reply = http_call(call);
        CPPUNIT_ASSERT_EQUAL(200, reply.status);  // the shipped client GETs the bare URL first
    }
    void requestsCarryingTokens() {
        // scripts/test-http.sh then checks that this token never reached the worker's log,
        // neither for a matched route nor for an unknown one.
        const std::string token = "8f14e45fceea167a5a36dedd4bea2543";
        auto reply = api_get("/typed/" + token + "/1");
        CPPUNIT_ASSERT_EQUAL(200, reply.status);
        CPPUNIT_ASSERT_EQUAL(token, json_member(reply.body, "token"));
        CPPUNIT_ASSERT_EQUAL(404, api_get("/chunkk/" + token + "/1").status);
        CPPUNIT_ASSERT_EQUAL(400, api_get("/typed/" + token + "/x").status);
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(HttpStackRoutingTest);
