// Challenges through the real stack (DESIGN.md §2 "Challenges"), the parts that need no
// waiting: one contract, all of them, a POSTed list with unknown and malformed hashes, the
// answered flag, bad input. Expiry and exhaustion are in timeline_test.cpp.
#include "identity/token.h"
#include "integration/api/api_stack.h"

#include <cppunit/extensions/HelperMacros.h>


namespace downstream::testing {

namespace {

// Due times right after issue: one interval or a second less.
std::string fresh_due(const std::string& body) {
    const std::int64_t interval = stack_config().contract_interval_s;
    return normalise_due(body, interval - 1, interval);
}

}  // namespace

class ApiChallengesTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ApiChallengesTest);
    CPPUNIT_TEST(one_contract_gets_its_current_challenge);
    CPPUNIT_TEST(all_contracts_in_the_order_issued);
    CPPUNIT_TEST(listed_contracts_in_the_order_listed_with_unknown_and_malformed_hashes);
    CPPUNIT_TEST(answered_challenge_is_reported_until_due);
    CPPUNIT_TEST(token_without_contracts_has_an_empty_list);
    CPPUNIT_TEST(unknown_contracts_and_tokens_are_refused);
    CPPUNIT_TEST(another_tokens_contract_is_not_found);
    CPPUNIT_TEST(malformed_list_bodies_are_refused);
    CPPUNIT_TEST_SUITE_END();

public:
    void one_contract_gets_its_current_challenge() {
        TestFarmer farmer = new_farmer();
        const auto c = contracts_for(*farmer, 32768, 1).front();
        const auto reply = farmer->http().get(farmer->path("/challenge/" + farmer->token() + "/" + c.file_hash));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(reply.body, 200, reply.status);
        CPPUNIT_ASSERT_EQUAL("{\"answered\":false,\"challenge\":" + c.challenge_json + ",\"due\":D}",
                             fresh_due(reply.body));
        // Upper-case hex names the same contract.
        std::string upper = c.file_hash;
        for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        const auto again = farmer->http().get(farmer->path("/challenge/" + farmer->token() + "/" + upper));
        CPPUNIT_ASSERT_EQUAL(fresh_due(reply.body), fresh_due(again.body));
    }

    void all_contracts_in_the_order_issued() {
        TestFarmer farmer = new_farmer();
        auto first = contracts_for(*farmer, 32768, 1);
        auto second = contracts_for(*farmer, 8192 + 4096, 2);
        const auto reply = farmer->http().get(farmer->path("/challenge/" + farmer->token()));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(reply.body, 200, reply.status);
        CPPUNIT_ASSERT_EQUAL("{\"challenges\":[" + challenge_entry(first[0], false) + "," + challenge_entry(second[0], false) +
                                 "," + challenge_entry(second[1], false) + "]}",
                             fresh_due(reply.body));
    }

    void listed_contracts_in_the_order_listed_with_unknown_and_malformed_hashes() {
        TestFarmer farmer = new_farmer();
        const auto c = contracts_for(*farmer, 65536, 2);
        const std::string zeros(64, '0');
        // Each hash comes back with its JSON type unchanged; a file listed twice is answered twice.
        const std::string body = "{\"hashes\":[" + quoted(c[1].file_hash) + "," + quoted(zeros) +
                                 ",\"xyz\",42,null,{\"a\":[1]}," + quoted(c[0].file_hash) + "," +
                                 quoted(c[1].file_hash) + "]}";
        const auto reply = farmer->http().post_json(farmer->path("/challenge/" + farmer->token()), body);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(reply.body, 200, reply.status);
        const std::string not_found = "{\"error\":\"contract not found\",\"file_hash\":";
        CPPUNIT_ASSERT_EQUAL("{\"challenges\":[" + challenge_entry(c[1], false) + "," + not_found + quoted(zeros) + "}," +
                                 not_found + "\"xyz\"}," + not_found + "42}," + not_found + "null}," +
                                 not_found + "{\"a\":[1]}}," + challenge_entry(c[0], false) + "," + challenge_entry(c[1], false) + "]}",
                             fresh_due(reply.body));
        // What the shipped client does with it.
        auto copy = c;
        std::vector<farmer::Contract*> mine{&copy[0], &copy[1]};
        auto report = farmer->update(mine);
        CPPUNIT_ASSERT(report.ok());
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, report->size());
        CPPUNIT_ASSERT((*report)[0].ok && (*report)[1].ok);
        CPPUNIT_ASSERT_EQUAL(c[0].challenge_json, copy[0].challenge_json);
        // An empty list is an empty answer.
        assert_json(farmer->http().post_json(farmer->path("/challenge/" + farmer->token()), R"({"hashes":[]})"),
                    R"({"challenges":[]})");
    }

    void answered_challenge_is_reported_until_due() {
        TestFarmer farmer = new_farmer();
        auto c = contracts_for(*farmer, 32768, 1);
        auto report = farmer->answer({&c[0]});
        CPPUNIT_ASSERT(report.ok());
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), report->front().message);
        const auto one = farmer->http().get(farmer->path("/challenge/" + farmer->token() + "/" + c[0].file_hash));
        CPPUNIT_ASSERT_EQUAL("{\"answered\":true,\"challenge\":" + c[0].challenge_json + ",\"due\":D}",
                             fresh_due(one.body));
        const auto all = farmer->http().get(farmer->path("/challenge/" + farmer->token()));
        CPPUNIT_ASSERT_EQUAL("{\"challenges\":[" + challenge_entry(c[0], true) + "]}", fresh_due(all.body));
        // The client retries such a contract later: nothing changes.
        auto again = farmer->update({&c[0]});
        CPPUNIT_ASSERT(again.ok());
        CPPUNIT_ASSERT(again->front().still_answered);
    }

    void token_without_contracts_has_an_empty_list() {
        TestFarmer farmer = new_farmer();
        assert_json(farmer->http().get(farmer->path("/challenge/" + farmer->token())), R"({"challenges":[]})");
    }

    void unknown_contracts_and_tokens_are_refused() {
        TestFarmer farmer = new_farmer();
        const std::string base = "/challenge/" + farmer->token() + "/";
        assert_error(farmer->http().get(farmer->path(base + std::string(64, 'a'))), 400, "contract not found");
        assert_error(farmer->http().get(farmer->path(base + "xyz")), 400, "contract not found");
        assert_error(farmer->http().get(farmer->path(base + std::string(63, 'a'))), 400, "contract not found");
        const std::string unknown = identity::Token::generate().text();
        assert_error(api_get("/challenge/" + unknown), 400, "unknown token");
        assert_error(api_get("/challenge/" + unknown + "/" + std::string(64, 'a')), 400, "unknown token");
        assert_error(api_post("/challenge/" + unknown, R"({"hashes":[]})"), 400, "unknown token");
        assert_error(api_get("/challenge/x"), 400, "invalid token: a token is 32 hexadecimal characters");
    }

    void another_tokens_contract_is_not_found() {
        TestFarmer owner = new_farmer();
        const auto c = contracts_for(*owner, 32768, 1).front();
        TestFarmer other = new_farmer();
        assert_error(other->http().get(other->path("/challenge/" + other->token() + "/" + c.file_hash)), 400,
                     "contract not found");
        assert_json(other->http().post_json(other->path("/challenge/" + other->token()),
                                            "{\"hashes\":[" + quoted(c.file_hash) + "]}"),
                    "{\"challenges\":[{\"error\":\"contract not found\",\"file_hash\":" + quoted(c.file_hash) + "}]}");
        assert_json(other->http().get(other->path("/challenge/" + other->token())), R"({"challenges":[]})");
    }

    void malformed_list_bodies_are_refused() {
        TestFarmer farmer = new_farmer();
        const std::string route = farmer->path("/challenge/" + farmer->token());
        assert_error(farmer->http().post_json(route, "{}"), 400, "the request body must have a \"hashes\" member");
        assert_error(farmer->http().post_json(route, R"({"hashes":"abc"})"), 400,
                     "\"hashes\" must be an array, not a string");
        assert_error(farmer->http().post_json(route, "[]"), 400, "the request body must be a JSON object, not an array");
        const auto broken = farmer->http().post_json(route, "{\"hashes\":[");
        CPPUNIT_ASSERT_EQUAL(400, broken.status);
        CPPUNIT_ASSERT_MESSAGE(broken.body, broken.body.rfind("{\"status\":\"error\",\"message\":\"the request body is not valid JSON: ", 0) == 0);
        const auto empty = farmer->http().post_json(route, "");
        CPPUNIT_ASSERT_EQUAL(400, empty.status);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ApiChallengesTest);

}  // namespace downstream::testing
