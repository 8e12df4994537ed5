// A Swizzle node through the real stack (heartbeat.type = swizzle; scripts/test-api.sh starts
// a separate stack with its own key and database): the token announces the public Swizzle
// heartbeat, the test farmer farms several rounds with every proof accepted, and wrong,
// corrupted or misdirected proofs are refused as on a Merkle node.
#include "encoding/base64.h"
#include "farmer/farm_rounds.h"
#include "integration/api/api_stack.h"
#include "integration/store/store_fixture.h"
#include "proof/swizzle_heartbeat.h"

#include <cppunit/extensions/HelperMacros.h>

#include <sstream>

namespace downstream::testing {

class ApiSwizzleTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ApiSwizzleTest);
    CPPUNIT_TEST(token_announces_the_public_swizzle_heartbeat);
    CPPUNIT_TEST(test_farmer_farms_with_every_proof_accepted);
    CPPUNIT_TEST(bad_proofs_are_refused);
    CPPUNIT_TEST(empty_pool_gives_an_empty_list);  // last: it drains the pool
    CPPUNIT_TEST_SUITE_END();

public:
    void token_announces_the_public_swizzle_heartbeat() {
        CPPUNIT_ASSERT(stack_config().heartbeat_type == node::HeartbeatType::Swizzle);
        TestFarmer farmer = new_farmer();
        CPPUNIT_ASSERT_EQUAL(std::string("Swizzle"), farmer->type());
        const std::string& heartbeat = farmer->heartbeat_json();
        CPPUNIT_ASSERT(heartbeat.size() > 2 && heartbeat.front() == '"' && heartbeat.back() == '"');
        auto bytes = encoding::base64_decode_skipping(heartbeat.substr(1, heartbeat.size() - 2));
        CPPUNIT_ASSERT(bytes.ok());
        auto parsed = proof::SwizzleHeartbeat::parse(*bytes);
        CPPUNIT_ASSERT(parsed.ok());
        CPPUNIT_ASSERT(parsed->is_public());  // the node's keys never leave it
        CPPUNIT_ASSERT_EQUAL(std::size_t{141}, bytes->size());
        assert_json(api_get("/heartbeat/" + farmer->token()),
                    "{\"heartbeat\":" + heartbeat + ",\"token\":\"" + farmer->token() + "\",\"type\":\"Swizzle\"}");
    }

    void test_farmer_farms_with_every_proof_accepted() {
        const auto key = whitelisted_key();
        auto client = make_client();
        farmer::FarmPlan plan;
        plan.address = key.address();
        plan.key = key;
        plan.size = 65536;
        plan.rounds = 3;
        std::ostringstream log;
        const farmer::FarmTally tally = farmer::farm_rounds(*client, plan, log);
        CPPUNIT_ASSERT_MESSAGE(log.str(), tally.clean(plan.rounds));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(log.str(), 2, tally.contracts);
        CPPUNIT_ASSERT_EQUAL(6, tally.answers_ok);
        CPPUNIT_ASSERT_EQUAL(4, tally.challenges_fetched);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{6}, db_heartbeats(tally.token));
    }

    void bad_proofs_are_refused() {
        TestFarmer farmer = new_farmer();
        auto contracts = contracts_for(*farmer, 32768, 1);
        const farmer::Contract& c = contracts[0];
        const std::string route = farmer->path("/answer/" + farmer->token() + "/" + c.file_hash);
        auto wrong = farmer->prove(c, wrong_file(c));
        CPPUNIT_ASSERT(wrong.ok());
        assert_error(farmer->http().post_json(route, "{\"proof\":" + *wrong + "}"), 400, "proof invalid");
        for (const char* corrupted : {R"("AAAA")", R"({"mu":[]})", "12", R"("")"})
            assert_error(farmer->http().post_json(route, std::string("{\"proof\":") + corrupted + "}"), 400,
                         "proof corrupted");
        TestFarmer other = new_farmer();
        assert_error(other->http().post_json(other->path("/answer/" + other->token() + "/" + c.file_hash),
                                             "{\"proof\":" + *farmer->prove(c) + "}"),
                     400, "contract not found");
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, db_heartbeats(farmer->token()));
        auto report = farmer->answer({&contracts[0]});
        CPPUNIT_ASSERT(report.ok());
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), report->front().message);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, db_heartbeats(farmer->token()));
    }

    void empty_pool_gives_an_empty_list() {
        TestFarmer farmer = new_farmer();
        const std::string route = farmer->path("/chunk/" + farmer->token() + "/1048576");
        for (int i = 0; i < 10 && query_number("SELECT COUNT(*) FROM chunk_pool") > 0; ++i)
            CPPUNIT_ASSERT_EQUAL(200, farmer->http().get(route).status);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, query_number("SELECT COUNT(*) FROM chunk_pool"));
        assert_json(farmer->http().get(route), R"({"chunks":[]})");
        assert_json(farmer->http().get(farmer->path("/chunk/" + farmer->token())), R"({"chunks":[]})");
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ApiSwizzleTest);

}  // namespace downstream::testing
