// Tokens on a node that requires signatures (limits.require_signature = true, the production
// default): GET /new and unsigned POSTs are refused with what to do instead; signed POSTs get
// tokens. scripts/test-api.sh runs this suite after restarting the pool with that setting.
#include "integration/api/api_stack.h"

#include <cppunit/extensions/HelperMacros.h>

namespace downstream::testing {
namespace {

const std::string kRequired =
    "this node requires a signature: POST /new/<address> with {\"message\": ..., \"signature\": ...} "
    "signed by the address's key";

}  // namespace

class ApiSignatureRequiredTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ApiSignatureRequiredTest);
    CPPUNIT_TEST(get_new_is_refused);
    CPPUNIT_TEST(unsigned_post_is_refused);
    CPPUNIT_TEST(signed_posts_get_tokens_and_farm);
    CPPUNIT_TEST_SUITE_END();

public:
    void get_new_is_refused() {
        CPPUNIT_ASSERT(stack_config().limits_require_signature);
        const auto key = whitelisted_key();
        assert_error(api_get("/new/" + key.address()), 400, kRequired);
        assert_error(raw_request("GET", "/api/downstream/new/" + key.address()), 400, kRequired);
    }

    void unsigned_post_is_refused() {
        const auto key = whitelisted_key();
        const auto empty = api_post("/new/" + key.address(), "");
        CPPUNIT_ASSERT_EQUAL(400, empty.status);
        CPPUNIT_ASSERT_MESSAGE(empty.body, empty.body.rfind("{\"status\":\"error\",\"message\":\"the request body is not valid JSON: ", 0) == 0);
        assert_error(api_post("/new/" + key.address(), "{}"), 400,
                     "the request body must have \"message\" and \"signature\" members");
    }

    void signed_posts_get_tokens_and_farm() {
        for (auto form : {identity::KeyForm::Compressed, identity::KeyForm::Uncompressed}) {
            const auto key = whitelisted_key(1000000, form);
            auto client = make_client();
            const std::string message = "signed " + key.address();
            CPPUNIT_ASSERT(client->request_signed_token(key.address(), message, key.sign(message)).ok());
            auto contracts = contracts_for(*client, 4096, 1);
            CPPUNIT_ASSERT_EQUAL(std::string("ok"), client->answer({&contracts[0]})->front().message);
            const auto other = farmer::FarmerKey::generate(form);
            assert_error(api_post("/new/" + key.address(),
                                  "{\"message\":\"m\",\"signature\":" + quoted(other.sign("m")) + "}"),
                         400, "signature rejected: signature does not match the address and the message");
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ApiSignatureRequiredTest);

}  // namespace downstream::testing
