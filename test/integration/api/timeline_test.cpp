// The contract state machine (DESIGN.md §2 "Contract timing") through the real stack, on a
// node with a short contract.interval (scripts/test-api.sh: 3 s) and 4 KiB pool chunks
// encoded with 2 challenges. One hand-worked timeline, I = the interval, t = 0 at issue:
//
//   t = 0      A answered (ok), answered again (already answered), its challenge is still the
//              first one with answered = true; B left unanswered; C answered.
//   t = I      B is late: answer and challenge say "contract expired". A's challenge request
//              issues the next challenge (index 1, due I later); the old proof no longer
//              fits (invalid), the new one is ok; answering again says already answered.
//   t = 2I     A has no more challenges (answered, not expired); C, answered once and never
//              advanced, expired at its due + I.
//   t = 3I     A expired for good.
#include "integration/api/api_stack.h"
#include "integration/store/store_fixture.h"

#include <cppunit/extensions/HelperMacros.h>

namespace downstream::testing {
namespace {

std::string single_body(const std::string& proof) { return "{\"proof\":" + proof + "}"; }

}  // namespace

class ApiTimelineTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ApiTimelineTest);
    CPPUNIT_TEST(answer_in_time_late_again_next_and_no_more);
    CPPUNIT_TEST_SUITE_END();

public:
    void answer_in_time_late_again_next_and_no_more() {
        const std::int64_t interval_s = stack_config().contract_interval_s;
        CPPUNIT_ASSERT_MESSAGE("the timeline needs a short contract.interval", interval_s <= 5);
        TestFarmer farmer = new_farmer();
        farmer::FarmerClient& client = *farmer;
        const std::string token = client.token();
        auto a = contracts_for(client, 4096, 1).front();
        auto b = contracts_for(client, 4096, 1).front();
        auto c = contracts_for(client, 4096, 1).front();
        auto one = [&](const farmer::Contract& k) { return client.path("/challenge/" + token + "/" + k.file_hash); };
        auto answer_one = [&](const farmer::Contract& k) { return client.path("/answer/" + token + "/" + k.file_hash); };
        auto list = [&](const farmer::Contract& k) {
            return client.http().post_json(client.path("/challenge/" + token),
                                           "{\"hashes\":[" + quoted(k.file_hash) + "]}");
        };
        const std::string first_proof_a = *client.prove(a);
        const std::int64_t a_due = db_due_ms(a.file_hash);

        // t = 0
        assert_json(client.http().post_json(answer_one(a), single_body(first_proof_a)), R"({"status":"ok"})");
        auto report = client.answer_proofs({{a.file_hash, first_proof_a}});
        CPPUNIT_ASSERT_EQUAL(std::string("challenge already answered"), report->front().message);
        CPPUNIT_ASSERT_EQUAL("{\"answered\":true,\"challenge\":" + a.challenge_json + ",\"due\":D}",
                             normalise_due(client.http().get(one(a)).body, interval_s - 1, interval_s));
        report = client.answer({&c});
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), report->front().message);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, db_heartbeats(token));

        // t = I: B is late; A's next challenge.
        sleep_until_unix_ms(std::max(a_due, db_due_ms(b.file_hash)));
        assert_error(client.http().post_json(answer_one(b), single_body(*client.prove(b))), 400, "contract expired");
        report = client.answer({&b});
        CPPUNIT_ASSERT_EQUAL(std::string("contract expired"), report->front().message);
        assert_error(client.http().get(one(b)), 400, "contract expired");
        assert_json(list(b), "{\"challenges\":[{\"error\":\"contract expired\",\"file_hash\":" + quoted(b.file_hash) + "}]}");
        // A was answered: until due + I it is only "already answered".
        assert_error(client.http().post_json(answer_one(a), single_body(first_proof_a)), 400,
                     "challenge already answered");
        const auto next = client.http().get(one(a));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(next.body, 200, next.status);
        CPPUNIT_ASSERT(next.body.find("\"index\":1}") != std::string::npos);
        CPPUNIT_ASSERT(next.body.find(a.challenge_json) == std::string::npos);
        CPPUNIT_ASSERT(next.body.rfind("{\"answered\":false,\"challenge\":{", 0) == 0);
        normalise_due(next.body, interval_s - 2, interval_s - 1);
        CPPUNIT_ASSERT_EQUAL(a_due + interval_ms(), db_due_ms(a.file_hash));
        CPPUNIT_ASSERT_EQUAL(a_due + interval_ms(), db_expiration_ms(a.file_hash));
        // The list route and the client agree on the new challenge.
        auto updated = client.update({&a});
        CPPUNIT_ASSERT(updated.ok() && updated->front().ok);
        CPPUNIT_ASSERT(next.body.find(a.challenge_json) != std::string::npos);
        assert_error(client.http().post_json(answer_one(a), single_body(first_proof_a)), 400, "proof invalid");
        report = client.answer({&a});
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), report->front().message);
        report = client.answer({&a});
        CPPUNIT_ASSERT_EQUAL(std::string("challenge already answered"), report->front().message);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{3}, db_heartbeats(token));

        // t = 2I: A has used its 2 challenges; C expired at its due + I.
        sleep_until_unix_ms(a_due + interval_ms());
        assert_json(client.http().get(one(a)), R"({"status":"no more challenges"})");
        assert_json(list(a), "{\"challenges\":[{\"file_hash\":" + quoted(a.file_hash) +
                                 ",\"status\":\"no more challenges\"}]}");
        assert_error(client.http().post_json(answer_one(a), single_body(*client.prove(a))), 400,
                     "challenge already answered");
        auto dropped = client.update({&a});
        CPPUNIT_ASSERT(dropped.ok() && !dropped->front().ok);
        CPPUNIT_ASSERT_EQUAL(std::string("no more challenges"), dropped->front().message);
        sleep_until_unix_ms(db_expiration_ms(c.file_hash));
        assert_error(client.http().get(one(c)), 400, "contract expired");
        assert_error(client.http().post_json(answer_one(c), single_body(*client.prove(c))), 400, "contract expired");

        // t = 3I: A's last answered challenge ran out.
        CPPUNIT_ASSERT_EQUAL(a_due + 2 * interval_ms(), db_expiration_ms(a.file_hash));
        sleep_until_unix_ms(a_due + 2 * interval_ms());
        assert_error(client.http().get(one(a)), 400, "contract expired");
        assert_error(client.http().post_json(answer_one(a), single_body(*client.prove(a))), 400, "contract expired");
        assert_json(client.http().get(client.path("/challenge/" + token)),
                    "{\"challenges\":[{\"error\":\"contract expired\",\"file_hash\":" + quoted(a.file_hash) +
                        "},{\"error\":\"contract expired\",\"file_hash\":" + quoted(b.file_hash) +
                        "},{\"error\":\"contract expired\",\"file_hash\":" + quoted(c.file_hash) + "}]}");
        CPPUNIT_ASSERT_EQUAL(std::int64_t{3}, db_heartbeats(token));
        // The status API tells the same story.
        const auto status = api_get("/status/show/" + farmer_id_of(token));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(status.body, 200, status.status);
        CPPUNIT_ASSERT_MESSAGE(status.body, status.body.find("\"heartbeats\":3,") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(status.body, status.body.find("\"online\":false,") != std::string::npos);
        // Online without a gap from the first contract (t = 0) to A's end (t = 3I), asked a
        // quarter second later: a little under 100 %.
        const std::size_t at = status.body.find("\"uptime\":");
        CPPUNIT_ASSERT(at != std::string::npos);
        const double uptime = std::stod(status.body.substr(at + 9));
        CPPUNIT_ASSERT_MESSAGE(status.body, uptime > 90.0 && uptime < 100.0);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ApiTimelineTest);

}  // namespace downstream::testing
