// Request bodies through real nginx and the worker pool: limits, gzip, bombs.
// Needs the stack of scripts/test-http.sh (see integration/http/stack_client.h).
#include "integration/http/stack_client.h"

#include "farmer/gzip_body.h"

#include <cppunit/extensions/HelperMacros.h>

using downstream::farmer::gzip_compress;
using downstream::testing::HttpCall;
using downstream::testing::http_call;
using downstream::testing::json_member;
using downstream::testing::stack_worker_max_body;

namespace {

HttpCall echo(std::string body, bool gzip_header) {
    HttpCall call;
    call.method = "POST";
    call.path = "/api/downstream/v1/echo";
    call.body = std::move(body);
    call.headers.push_back({"Content-Type", "application/json"});
    if (gzip_header) call.headers.push_back({"Content-Encoding", "gzip"});
    return call;
}

}  // namespace

class HttpStackBodyTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(HttpStackBodyTest);
    CPPUNIT_TEST(plainBodyIsEchoed);
    CPPUNIT_TEST(gzipBodyIsInflated);
    CPPUNIT_TEST(plainBodyWithGzipHeaderIsAccepted);
    CPPUNIT_TEST(bodyAtTheWorkerLimitPasses);
    CPPUNIT_TEST(workerRefusesBodyOverItsLimit);
    CPPUNIT_TEST(nginxRefusesBodyOverItsLimit);
    CPPUNIT_TEST(gzipBombIsRefused);
    CPPUNIT_TEST(corruptGzipIs400);
    CPPUNIT_TEST(workerStillAnswersAfterRefusals);
    CPPUNIT_TEST_SUITE_END();

public:
    void plainBodyIsEchoed() {
        std::string body;
        for (int i = 0; i < 256; ++i) body.push_back(static_cast<char>(i));
        auto reply = http_call(echo(body, false));
        CPPUNIT_ASSERT_EQUAL(200, reply.status);
        CPPUNIT_ASSERT(reply.body == body);
    }
    void gzipBodyIsInflated() {
        std::string proofs = "{\"proofs\": [";
        for (int i = 0; i < 2000; ++i) proofs += "{\"file_hash\": \"" + std::to_string(i) + "\"},";
        proofs += "{}]}";
        const std::string packed = gzip_compress(proofs);
        CPPUNIT_ASSERT(packed.size() < proofs.size() / 4);
        auto reply = http_call(echo(packed, true));
        CPPUNIT_ASSERT_EQUAL(200, reply.status);
        CPPUNIT_ASSERT_EQUAL(std::to_string(proofs.size()), reply.headers["x-body-length"]);
        CPPUNIT_ASSERT(reply.body == proofs);
    }
    void plainBodyWithGzipHeaderIsAccepted() {
        // What the shipped downstream-farmer client does.
        const std::string body = "{\"proofs\": [{\"file_hash\": \"ab\", \"proof\": {}}]}";
        auto reply = http_call(echo(body, true));
        CPPUNIT_ASSERT_EQUAL(200, reply.status);
        CPPUNIT_ASSERT_EQUAL(body, reply.body);
    }
    void bodyAtTheWorkerLimitPasses() {
        const std::size_t limit = stack_worker_max_body();
        auto reply = http_call(echo(std::string(limit, 'a'), false));
        CPPUNIT_ASSERT_EQUAL(200, reply.status);
        CPPUNIT_ASSERT_EQUAL(limit, reply.body.size());
    }
    void workerRefusesBodyOverItsLimit() {
        const std::size_t limit = stack_worker_max_body();
        auto reply = http_call(echo(std::string(2 * limit, 'a'), false));
        CPPUNIT_ASSERT_EQUAL(413, reply.status);
        CPPUNIT_ASSERT_EQUAL(std::string("error"), json_member(reply.body, "status"));
        CPPUNIT_ASSERT_EQUAL("request body larger than " + std::to_string(limit) + " bytes",
                             json_member(reply.body, "message"));
    }
    void nginxRefusesBodyOverItsLimit() {
        // nginx's client_max_body_size is 16m: it answers before the worker sees anything.
        HttpCall call = echo(std::string(17u << 20, 'a'), false);
        auto reply = http_call(call);
        CPPUNIT_ASSERT_EQUAL(413, reply.status);
        CPPUNIT_ASSERT_EQUAL(std::string("error"), json_member(reply.body, "status"));
        CPPUNIT_ASSERT_EQUAL(std::string("request body larger than 16 MiB"), json_member(reply.body, "message"));
    }
    void gzipBombIsRefused() {
        const std::string bomb = gzip_compress(std::string(256u << 20, '\0'));  // 256 MiB -> ~250 KiB
        CPPUNIT_ASSERT(bomb.size() < stack_worker_max_body());
        auto reply = http_call(echo(bomb, true));
        CPPUNIT_ASSERT_EQUAL(413, reply.status);
        CPPUNIT_ASSERT(json_member(reply.body, "message").find("larger than") != std::string::npos);
    }
    void corruptGzipIs400() {
        std::string packed = gzip_compress(std::string(5000, 'x'));
        packed[packed.size() - 6] = static_cast<char>(packed[packed.size() - 6] ^ 0x10);  // CRC
        auto reply = http_call(echo(packed, true));
        CPPUNIT_ASSERT_EQUAL(400, reply.status);
        CPPUNIT_ASSERT_EQUAL(std::string("request body is not valid gzip data"), json_member(reply.body, "message"));
    }
    void workerStillAnswersAfterRefusals() {
        auto reply = http_call(echo("ok", false));
        CPPUNIT_ASSERT_EQUAL(200, reply.status);
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), reply.body);
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(HttpStackBodyTest);
