// Tokens through the real stack (DESIGN.md §2 "Tokens"): GET /new where signatures are not
// required, signed POST /new with both key forms, every refusal with its exact message, the
// per-IP limit, GET /heartbeat. Expected bodies are written out by hand from the design.
// Runs on a stack with limits.require_signature = false (ApiSignatureRequired covers true).
#include "identity/token.h"
#include "integration/api/api_stack.h"
#include "integration/store/store_fixture.h"

#include <cppunit/extensions/HelperMacros.h>

namespace downstream::testing {
namespace {

const std::string kMerkleHeartbeat = R"({"key":"","check_fraction":0.01})";

std::string token_reply(const std::string& token) {
    return "{\"heartbeat\":" + kMerkleHeartbeat + ",\"token\":\"" + token + "\",\"type\":\"Merkle\"}";
}

std::string signed_body(const std::string& message, const std::string& signature) {
    return "{\"message\":" + quoted(message) + ",\"signature\":" + quoted(signature) + "}";
}

// The token of a 200 token reply, after checking the reply is exactly what the design says.
std::string token_of(const farmer::HttpResponse& reply) {
    CPPUNIT_ASSERT_EQUAL_MESSAGE(reply.body, 200, reply.status);
    const std::string prefix = "{\"heartbeat\":" + kMerkleHeartbeat + ",\"token\":\"";
    CPPUNIT_ASSERT_EQUAL_MESSAGE(reply.body, prefix, reply.body.substr(0, prefix.size()));
    const std::string token = reply.body.substr(prefix.size(), 32);
    CPPUNIT_ASSERT(identity::Token::parse(token).ok());
    CPPUNIT_ASSERT_EQUAL(token_reply(token), reply.body);
    return token;
}

}  // namespace

class ApiTokensTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ApiTokensTest);
    CPPUNIT_TEST(get_new_issues_a_token_when_signatures_are_optional);
    CPPUNIT_TEST(signed_post_with_a_compressed_key);
    CPPUNIT_TEST(signed_post_with_an_uncompressed_key);
    CPPUNIT_TEST(post_with_an_empty_body_is_unsigned_when_optional);
    CPPUNIT_TEST(signature_by_another_key_is_rejected);
    CPPUNIT_TEST(signature_of_another_message_is_rejected);
    CPPUNIT_TEST(signature_with_bad_base64_is_rejected);
    CPPUNIT_TEST(signature_of_the_wrong_length_is_rejected);
    CPPUNIT_TEST(message_longer_than_the_limit_is_rejected);
    CPPUNIT_TEST(malformed_signed_bodies_are_rejected);
    CPPUNIT_TEST(invalid_address_is_rejected);
    CPPUNIT_TEST(address_not_on_the_whitelist_is_rejected);
    CPPUNIT_TEST(balance_below_the_minimum_is_rejected);
    CPPUNIT_TEST(per_ip_limit_holds_and_other_ips_are_unaffected);
    CPPUNIT_TEST(heartbeat_repeats_the_reply_for_a_known_token);
    CPPUNIT_TEST(heartbeat_refuses_unknown_and_invalid_tokens);
    CPPUNIT_TEST(token_records_farmer_and_ip_in_the_database);
    CPPUNIT_TEST(revoked_token_is_unknown_everywhere);
    CPPUNIT_TEST_SUITE_END();

public:
    void get_new_issues_a_token_when_signatures_are_optional() {
        CPPUNIT_ASSERT(!stack_config().limits_require_signature);
        const auto key = whitelisted_key();
        const std::string token = token_of(api_get("/new/" + key.address()));
        // Every token is new.
        CPPUNIT_ASSERT(token != token_of(api_get("/new/" + key.address())));
    }

    void signed_post_with_a_compressed_key() {
        const auto key = whitelisted_key(1000000, identity::KeyForm::Compressed);
        const std::string message = "I own " + key.address();
        token_of(api_post("/new/" + key.address(), signed_body(message, key.sign(message))));
    }

    void signed_post_with_an_uncompressed_key() {
        const auto key = whitelisted_key(1000000, identity::KeyForm::Uncompressed);
        const std::string message = "uncompressed \xc3\xa9t\xc3\xa9";  // UTF-8 text signs too
        token_of(api_post("/new/" + key.address(), signed_body(message, key.sign(message))));
    }

    void post_with_an_empty_body_is_unsigned_when_optional() {
        const auto key = whitelisted_key();
        token_of(api_post("/new/" + key.address(), ""));
    }

    void signature_by_another_key_is_rejected() {
        const auto key = whitelisted_key();
        const auto other = farmer::FarmerKey::generate(identity::KeyForm::Compressed);
        const std::string message = "hello";
        assert_error(api_post("/new/" + key.address(), signed_body(message, other.sign(message))), 400,
                     "signature rejected: signature does not match the address and the message");
    }

    void signature_of_another_message_is_rejected() {
        const auto key = whitelisted_key();
        assert_error(api_post("/new/" + key.address(), signed_body("hello", key.sign("hullo"))), 400,
                     "signature rejected: signature does not match the address and the message");
    }

    void signature_with_bad_base64_is_rejected() {
        const auto key = whitelisted_key();
        std::string signature = key.sign("hello");
        signature[10] = '*';
        const auto reply = api_post("/new/" + key.address(), signed_body("hello", signature));
        CPPUNIT_ASSERT_EQUAL(400, reply.status);
        const std::string expected = error_json("signature rejected: signature is not valid base64 (");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(reply.body, expected.substr(0, expected.size() - 2),
                                     reply.body.substr(0, expected.size() - 2));
    }

    void signature_of_the_wrong_length_is_rejected() {
        const auto key = whitelisted_key();
        const std::string signature = key.sign("hello");
        assert_error(api_post("/new/" + key.address(), signed_body("hello", signature.substr(0, 87))), 400,
                     "signature rejected: signature must be 88 base64 characters, not 87");
        assert_error(api_post("/new/" + key.address(), signed_body("hello", signature + "A")), 400,
                     "signature rejected: signature must be 88 base64 characters, not 89");
        assert_error(api_post("/new/" + key.address(), signed_body("hello", "")), 400,
                     "signature rejected: signature must be 88 base64 characters, not 0");
    }

    void message_longer_than_the_limit_is_rejected() {
        const auto key = whitelisted_key();
        const std::int64_t limit = stack_config().limits_max_message_size;
        const std::string at_limit(static_cast<std::size_t>(limit), 'm');
        token_of(api_post("/new/" + key.address(), signed_body(at_limit, key.sign(at_limit))));
        const std::string longer = at_limit + "m";
        assert_error(api_post("/new/" + key.address(), signed_body(longer, key.sign(longer))), 400,
                     "the signed message is " + std::to_string(limit + 1) +
                         " bytes long; this node accepts at most " + std::to_string(limit));
    }

    void malformed_signed_bodies_are_rejected() {
        const auto key = whitelisted_key();
        const std::string route = "/new/" + key.address();
        assert_error(api_post(route, R"({"message":"hi"})"), 400,
                     "the request body must have \"message\" and \"signature\" members");
        assert_error(api_post(route, R"({"message":1,"signature":"x"})"), 400,
                     "\"message\" must be a string, not a number");
        assert_error(api_post(route, R"({"message":"x","signature":null})"), 400,
                     "\"signature\" must be a string, not null");
        assert_error(api_post(route, R"(["message"])"), 400,
                     "the request body must be a JSON object, not an array");
        const auto not_json = api_post(route, "{\"message\":");
        CPPUNIT_ASSERT_EQUAL(400, not_json.status);
        CPPUNIT_ASSERT(not_json.body.find("the request body is not valid JSON: ") != std::string::npos);
    }

    void invalid_address_is_rejected() {
        // A valid address with its last character changed fails the checksum.
        const auto key = farmer::FarmerKey::generate(identity::KeyForm::Compressed);
        std::string bad = key.address();
        bad.back() = bad.back() == 'z' ? 'y' : 'z';
        const auto reply = api_get("/new/" + bad);
        assert_error(reply, 400, "invalid address: address checksum does not match");
        assert_error(api_get("/new/1O1"), 400,
                     "invalid address: address contains 'O', which is not a base58 character");
        // The signed route checks the address first too.
        const auto signed_reply = api_post("/new/" + bad, signed_body("m", key.sign("m")));
        CPPUNIT_ASSERT_EQUAL(reply.body, signed_reply.body);
    }

    void address_not_on_the_whitelist_is_rejected() {
        const auto key = farmer::FarmerKey::generate(identity::KeyForm::Compressed);
        assert_error(api_get("/new/" + key.address()), 400,
                     "address " + key.address() + " is not on the whitelist");
        assert_error(api_post("/new/" + key.address(), signed_body("m", key.sign("m"))), 400,
                     "address " + key.address() + " is not on the whitelist");
    }

    void balance_below_the_minimum_is_rejected() {
        const std::int64_t minimum = stack_config().limits_min_balance;
        const auto poor = whitelisted_key(minimum - 1);
        assert_error(api_get("/new/" + poor.address()), 400,
                     "address " + poor.address() + " has a balance of " + std::to_string(minimum - 1) +
                         ", below the minimum of " + std::to_string(minimum));
        const auto enough = whitelisted_key(minimum);
        token_of(api_get("/new/" + enough.address()));
    }

    void per_ip_limit_holds_and_other_ips_are_unaffected() {
        const std::int64_t limit = stack_config().limits_max_tokens_per_ip;
        const std::string ip = fresh_ip();
        const auto key = whitelisted_key();
        for (std::int64_t i = 0; i < limit; ++i) token_of(api_get("/new/" + key.address(), ip));
        const std::string refusal =
            "this IP address already holds the maximum of " + std::to_string(limit) + " tokens";
        assert_error(api_get("/new/" + key.address(), ip), 400, refusal);
        assert_error(api_post("/new/" + key.address(), signed_body("m", key.sign("m")), {}, ip), 400, refusal);
        // The limit is per IP, not per address.
        token_of(api_get("/new/" + key.address(), fresh_ip()));
        CPPUNIT_ASSERT_EQUAL(limit, query_number("SELECT tokens FROM ip_token_counts WHERE ip = '" + ip + "'"));
    }

    void heartbeat_repeats_the_reply_for_a_known_token() {
        TestFarmer farmer = new_farmer();
        const std::string token = farmer->token();
        assert_json(api_get("/heartbeat/" + token), token_reply(token));
        // Tokens read case-insensitively; the reply names the canonical form.
        std::string upper = token;
        for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        assert_json(api_get("/heartbeat/" + upper), token_reply(token));
        // And the client can resume with it.
        auto resumed = make_client();
        CPPUNIT_ASSERT(resumed->resume(token).ok());
        CPPUNIT_ASSERT_EQUAL(token, resumed->token());
    }

    void heartbeat_refuses_unknown_and_invalid_tokens() {
        assert_error(api_get("/heartbeat/" + identity::Token::generate().text()), 400, "unknown token");
        assert_error(api_get("/heartbeat/abc"), 400, "invalid token: a token is 32 hexadecimal characters");
        assert_error(api_get("/heartbeat/" + std::string(32, 'g')), 400,
                     "invalid token: a token is 32 hexadecimal characters");
    }

    void token_records_farmer_and_ip_in_the_database() {
        const auto key = whitelisted_key();
        const std::string ip = fresh_ip();
        const std::string token = token_of(api_get("/new/" + key.address(), ip));
        CPPUNIT_ASSERT_EQUAL(ip, db_token_ip(token));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, db_heartbeats(token));
        const auto stored = query_strings("SELECT address FROM tokens WHERE farmer_id = '" + farmer_id_of(token) + "'");
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, stored.size());
        CPPUNIT_ASSERT_EQUAL(key.address(), stored.front());
        // The plain token is never stored.
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0},
                             query_number("SELECT COUNT(*) FROM tokens WHERE HEX(token_hash) = '" + token + "'"
                                          " OR farmer_id = '" + token + "'"));
    }

    void revoked_token_is_unknown_everywhere() {
        TestFarmer farmer = new_farmer();
        auto contracts = contracts_for(*farmer, 4096, 1);
        const std::string token = farmer->token();
        const std::string ip = farmer->http().forwarded_for();
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, query_number("SELECT tokens FROM ip_token_counts WHERE ip = '" + ip + "'"));
        run_admin({"revoke-token", token});
        assert_error(api_get("/heartbeat/" + token), 400, "unknown token");
        assert_error(api_get("/chunk/" + token, ip), 400, "unknown token");
        assert_error(api_get("/challenge/" + token), 400, "unknown token");
        assert_error(api_post("/answer/" + token + "/" + contracts[0].file_hash, "{\"proof\":" + *farmer->prove(contracts[0]) + "}"),
                     400, "unknown token");
        assert_error(api_get("/status/show/" + farmer_id_of(token)), 404, "no farmer with id " + farmer_id_of(token));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, db_contracts(token));
        // The IP may hold a token again.
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, query_number("SELECT tokens FROM ip_token_counts WHERE ip = '" + ip + "'"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ApiTokensTest);

}  // namespace downstream::testing
