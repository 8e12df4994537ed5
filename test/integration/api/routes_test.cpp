// The API as a whole through the real stack: both prefixes (/api/downstream/ of the original
// README, /api/downstream/v1/ of the shipped client) serve every route, unknown routes and
// methods get JSON errors, the bare server URL answers the client's first GET, and the
// status route shows a farmer.
#include "integration/api/api_stack.h"

#include <cppunit/extensions/HelperMacros.h>

namespace downstream::testing {

class ApiRoutesTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ApiRoutesTest);
    CPPUNIT_TEST(root_of_both_prefixes_is_ok);
    CPPUNIT_TEST(bare_server_url_answers_2xx);
    CPPUNIT_TEST(unknown_routes_and_methods_are_json_errors);
    CPPUNIT_TEST(farming_works_under_both_prefixes);
    CPPUNIT_TEST(status_show_knows_farmers_by_id);
    CPPUNIT_TEST_SUITE_END();

public:
    void root_of_both_prefixes_is_ok() {
        for (const char* path : {"/api/downstream/", "/api/downstream/v1/"}) {
            assert_json(raw_request("GET", path), R"({"msg":"ok"})");
            // HEAD answers like GET, without a body.
            const auto head = raw_request("HEAD", path);
            CPPUNIT_ASSERT_EQUAL(200, head.status);
            CPPUNIT_ASSERT(head.body.empty());
        }
    }

    void bare_server_url_answers_2xx() {
        auto client = make_client();
        const int status = client->check_server();
        CPPUNIT_ASSERT(status >= 200 && status < 300);
    }

    void unknown_routes_and_methods_are_json_errors() {
        assert_error(raw_request("GET", "/api/downstream/v1/nope"), 404,
                     "unknown route GET \"/api/downstream/v1/nope\"");
        assert_error(raw_request("GET", "/api/downstream/nope/1"), 404,
                     "unknown route GET \"/api/downstream/nope/1\"");
        // Tokens never echo back (runs of 16+ hex digits are redacted).
        assert_error(raw_request("GET", "/api/downstream/v1/nope/0123456789abcdef0123"), 404,
                     "unknown route GET \"/api/downstream/v1/nope/<redacted>\"");
        const auto key = whitelisted_key();
        const auto wrong = raw_request("DELETE", "/api/downstream/v1/new/" + key.address());
        assert_error(wrong, 405, "method DELETE not allowed here; allowed: GET, POST");
        CPPUNIT_ASSERT_EQUAL(std::string("GET, POST"), wrong.headers.at("allow"));
        assert_error(raw_request("GET", "/api/downstream/v1/answer/" + std::string(32, 'a')), 405,
                     "method GET not allowed here; allowed: POST");
    }

    void farming_works_under_both_prefixes() {
        for (const std::string prefix : {"/api/downstream", "/api/downstream/v1"}) {
            TestFarmer farmer = new_farmer(prefix);
            farmer::FarmerClient& client = *farmer;
            assert_json(client.http().get(client.path("/heartbeat/" + client.token())),
                        "{\"heartbeat\":{\"key\":\"\",\"check_fraction\":0.01},\"token\":\"" + client.token() +
                            "\",\"type\":\"Merkle\"}");
            auto contracts = contracts_for(client, 65536, 2);
            // One answered alone, one in a batch.
            const std::string one = client.path("/answer/" + client.token() + "/" + contracts[0].file_hash);
            assert_json(client.http().post_json(one, "{\"proof\":" + *client.prove(contracts[0]) + "}"),
                        R"({"status":"ok"})");
            auto report = client.answer({&contracts[1]});
            CPPUNIT_ASSERT_MESSAGE(prefix, report.ok());
            CPPUNIT_ASSERT_EQUAL(std::string("ok"), report->front().message);
            const auto challenge = client.http().get(client.path("/challenge/" + client.token() + "/" + contracts[0].file_hash));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(challenge.body, 200, challenge.status);
            CPPUNIT_ASSERT(challenge.body.rfind("{\"answered\":true,", 0) == 0);
            const auto all = client.http().get(client.path("/challenge/" + client.token()));
            CPPUNIT_ASSERT_EQUAL(200, all.status);
            auto listed = client.update({&contracts[0], &contracts[1]});
            CPPUNIT_ASSERT(listed.ok());
            CPPUNIT_ASSERT(listed->at(0).still_answered && listed->at(1).still_answered);
            CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, db_heartbeats(client.token()));
            const auto status = client.http().get(client.path("/status/show/" + farmer_id_of(client.token())));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(status.body, 200, status.status);
        }
    }

    void status_show_knows_farmers_by_id() {
        TestFarmer farmer = new_farmer();
        auto contracts = contracts_for(*farmer, 32768 + 4096, 2);
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), farmer->answer({&contracts[0]})->front().message);
        const std::string id = farmer_id_of(farmer->token());
        const auto reply = api_get("/status/show/" + id);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(reply.body, 200, reply.status);
        for (const std::string& part :
             {"{\"address\":" + quoted(farmer.key.address()) + ",", std::string("\"contracts\":2,"),
              std::string("\"heartbeats\":1,"), "\"id\":" + quoted(id) + ",", std::string("\"online\":true,"),
              std::string("\"size\":36864,"), std::string("\"location\":{\"city\":null,\"country\":null,")})
            CPPUNIT_ASSERT_MESSAGE(part + " in " + reply.body, reply.body.find(part) != std::string::npos);
        // The farmer's IP never appears, only its keyed hash.
        CPPUNIT_ASSERT(reply.body.find(farmer->http().forwarded_for()) == std::string::npos);
        assert_error(api_get("/status/show/" + std::string(20, '0')), 404,
                     "no farmer with id 00000000000000000000");
        assert_error(api_get("/status/show/nothex"), 404, "no farmer with id nothex");
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ApiRoutesTest);

}  // namespace downstream::testing
