// Answers through the real stack (DESIGN.md §2 "Answers"), the parts that need no waiting:
// one proof and a batch, every error of the design with its exact words, the order of the
// report, one bad entry never failing the others, gzip and plain bodies, proofs built from
// the wrong bytes or for another token's contract, and the database effects. Late answers
// are in timeline_test.cpp, racing ones in race_test.cpp.
#include "farmer/gzip_body.h"
#include "identity/token.h"
#include "integration/api/api_stack.h"
#include "integration/store/store_fixture.h"

#include <cppunit/extensions/HelperMacros.h>

namespace downstream::testing {
namespace {

std::string proof_of(farmer::FarmerClient& client, const farmer::Contract& c) {
    auto proof = client.prove(c);
    if (!proof) CPPUNIT_FAIL("prove: " + proof.error().message);
    return *proof;
}

std::string single_body(const std::string& proof) { return "{\"proof\":" + proof + "}"; }

std::string ok_entry(const std::string& hash_json) {
    return "{\"file_hash\":" + hash_json + ",\"status\":\"ok\"}";
}

std::string error_entry(const std::string& hash_json, const std::string& error) {
    return "{\"error\":\"" + error + "\",\"file_hash\":" + hash_json + "}";
}

std::string contract_row(const std::string& token, const farmer::Contract& c, const std::string& column) {
    const auto values = query_strings("SELECT CAST(c." + column + " AS CHAR) FROM contracts c JOIN tokens t ON t.id = c.token_id"
                                      " WHERE t.farmer_id = '" + farmer_id_of(token) + "' AND HEX(c.file_hash) = UPPER('" +
                                      c.file_hash + "')");
    if (values.size() != 1) CPPUNIT_FAIL("no contract row for " + c.file_hash);
    return values.front();
}

}  // namespace

class ApiAnswersTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ApiAnswersTest);
    CPPUNIT_TEST(single_answer_is_counted_once);
    CPPUNIT_TEST(single_answer_errors);
    CPPUNIT_TEST(failed_answers_leave_the_challenge_open);
    CPPUNIT_TEST(batch_reports_every_entry_in_request_order);
    CPPUNIT_TEST(batch_of_the_shipped_client_answers_every_contract);
    CPPUNIT_TEST(gzip_and_plain_bodies);
    CPPUNIT_TEST(proof_from_the_wrong_file_is_invalid);
    CPPUNIT_TEST(proof_for_another_tokens_contract_is_not_found);
    CPPUNIT_TEST(malformed_batch_bodies_are_refused);
    CPPUNIT_TEST(tampered_state_is_never_used);
    CPPUNIT_TEST_SUITE_END();

public:
    void single_answer_is_counted_once() {
        TestFarmer farmer = new_farmer();
        const auto c = contracts_for(*farmer, 32768, 1).front();
        const std::string route = farmer->path("/answer/" + farmer->token() + "/" + c.file_hash);
        const std::string due = contract_row(farmer->token(), c, "due_ms");
        CPPUNIT_ASSERT_EQUAL(due, contract_row(farmer->token(), c, "expiration_ms"));
        assert_json(farmer->http().post_json(route, single_body(proof_of(*farmer, c))), R"({"status":"ok"})");
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, db_heartbeats(farmer->token()));
        CPPUNIT_ASSERT_EQUAL(std::string("1"), contract_row(farmer->token(), c, "answered"));
        // Answered: it lives one interval past its due time.
        CPPUNIT_ASSERT_EQUAL(std::to_string(std::stoll(due) + interval_ms()),
                             contract_row(farmer->token(), c, "expiration_ms"));
        assert_error(farmer->http().post_json(route, single_body(proof_of(*farmer, c))), 400,
                     "challenge already answered");
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, db_heartbeats(farmer->token()));
    }

    void single_answer_errors() {
        TestFarmer farmer = new_farmer();
        const auto c = contracts_for(*farmer, 32768, 1).front();
        const std::string proof = proof_of(*farmer, c);
        auto post = [&](const std::string& token, const std::string& hash, const std::string& body) {
            return farmer->http().post_json(farmer->path("/answer/" + token + "/" + hash), body);
        };
        const std::string token = farmer->token();
        assert_error(post(identity::Token::generate().text(), c.file_hash, single_body(proof)), 400, "unknown token");
        assert_error(post("abc", c.file_hash, single_body(proof)), 400, "invalid token: a token is 32 hexadecimal characters");
        assert_error(post(token, std::string(64, '0'), single_body(proof)), 400, "contract not found");
        assert_error(post(token, "xyz", single_body(proof)), 400, "contract not found");
        assert_error(post(token, c.file_hash, "[]"), 400, "the request body must be a JSON object, not an array");
        assert_error(post(token, c.file_hash, R"({"prof":{}})"), 400, "the request body must have a \"proof\" member");
        const auto broken = post(token, c.file_hash, "{\"proof\":");
        CPPUNIT_ASSERT_EQUAL(400, broken.status);
        CPPUNIT_ASSERT_MESSAGE(broken.body, broken.body.rfind("{\"status\":\"error\",\"message\":\"the request body is not valid JSON: ", 0) == 0);
        // Not a Merkle proof at all.
        for (const char* corrupted : {R"("garbage")", "{}", "null", "[1,2]",
                                      R"({"leaf":{"index":0,"blob":"abc"},"branch":{"rows":[]}})",
                                      R"({"leaf":{"index":0},"branch":{"rows":[]}})"})
            assert_error(post(token, c.file_hash, single_body(corrupted)), 400, "proof corrupted");
        // Well-formed but wrong: another leaf index than the challenge's.
        std::string other_index = proof;
        const std::string leaf0 = "\"index\":0";
        CPPUNIT_ASSERT(other_index.find(leaf0) != std::string::npos);
        other_index.replace(other_index.find(leaf0), leaf0.size(), "\"index\":1");
        assert_error(post(token, c.file_hash, single_body(other_index)), 400, "proof invalid");
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, db_heartbeats(token));
        // After all that, the right proof still counts.
        assert_json(post(token, c.file_hash, single_body(proof)), R"({"status":"ok"})");
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, db_heartbeats(token));
    }

    void failed_answers_leave_the_challenge_open() {
        TestFarmer farmer = new_farmer();
        auto c = contracts_for(*farmer, 32768, 1);
        auto wrong = farmer->prove(c[0], wrong_file(c[0]));
        CPPUNIT_ASSERT(wrong.ok());
        auto report = farmer->answer_proofs({{c[0].file_hash, *wrong}});
        CPPUNIT_ASSERT(report.ok());
        CPPUNIT_ASSERT_EQUAL(std::string("proof invalid"), report->front().message);
        CPPUNIT_ASSERT_EQUAL(std::string("0"), contract_row(farmer->token(), c[0], "answered"));
        report = farmer->answer({&c[0]});
        CPPUNIT_ASSERT(report.ok());
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), report->front().message);
        CPPUNIT_ASSERT(c[0].answered);
    }

    void batch_reports_every_entry_in_request_order() {
        TestFarmer farmer = new_farmer();
        auto c = contracts_for(*farmer, 32768 * 3, 3);
        TestFarmer other = new_farmer();
        const auto theirs = contracts_for(*other, 32768, 1).front();
        const std::string zeros(64, '0');
        const std::string h0 = quoted(c[0].file_hash), h1 = quoted(c[1].file_hash), h2 = quoted(c[2].file_hash);
        const std::string p0 = proof_of(*farmer, c[0]), p2 = proof_of(*farmer, c[2]);
        const std::string invalid = *farmer->prove(c[1], wrong_file(c[1]));
        const std::string body =
            "{\"proofs\":["
            "{\"file_hash\":" + h1 + ",\"proof\":" + invalid + "},"       // proof invalid
            "{\"file_hash\":" + quoted(zeros) + ",\"proof\":" + p0 + "},"  // unknown
            "42,"                                                           // not an entry
            "{\"file_hash\":" + h0 + ",\"proof\":" + p0 + "},"              // ok
            "{\"file_hash\":" + h2 + "},"                                   // no proof
            "{\"proof\":" + p0 + "},"                                       // no file_hash
            "{\"file_hash\":" + quoted(theirs.file_hash) + ",\"proof\":" + proof_of(*other, theirs) + "},"
            "{\"file_hash\":" + h0 + ",\"proof\":" + p0 + "},"              // again: answered
            "{\"file_hash\":\"xyz\",\"proof\":" + p0 + "},"                 // malformed hash
            "{\"file_hash\":7,\"proof\":" + p0 + "},"                       // not a string
            "{\"file_hash\":" + h2 + ",\"proof\":\"corrupted\"},"          // proof corrupted
            "{\"file_hash\":" + h2 + ",\"proof\":" + p2 + "}"               // ok after the bad one
            "]}";
        const auto reply = farmer->http().post_json(farmer->path("/answer/" + farmer->token()), body);
        assert_json(reply, "{\"report\":[" +
                               error_entry(h1, "proof invalid") + "," +
                               error_entry(quoted(zeros), "contract not found") + "," +
                               error_entry("null", "proof corrupted") + "," +
                               ok_entry(h0) + "," +
                               error_entry(h2, "proof corrupted") + "," +
                               error_entry("null", "contract not found") + "," +
                               error_entry(quoted(theirs.file_hash), "contract not found") + "," +
                               error_entry(h0, "challenge already answered") + "," +
                               error_entry("\"xyz\"", "contract not found") + "," +
                               error_entry("7", "contract not found") + "," +
                               error_entry(h2, "proof corrupted") + "," +
                               ok_entry(h2) + "]}");
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, db_heartbeats(farmer->token()));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, db_heartbeats(other->token()));
        CPPUNIT_ASSERT_EQUAL(std::string("0"), contract_row(farmer->token(), c[1], "answered"));
        // An empty batch is an empty report.
        assert_json(farmer->http().post_json(farmer->path("/answer/" + farmer->token()), R"({"proofs":[]})"),
                    R"({"report":[]})");
    }

    void batch_of_the_shipped_client_answers_every_contract() {
        TestFarmer farmer = new_farmer();
        auto c = contracts_for(*farmer, 32768 + 8192 + 4096, 3);
        auto report = farmer->answer({&c[0], &c[1], &c[2]});
        CPPUNIT_ASSERT(report.ok());
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, report->size());
        for (std::size_t i = 0; i < 3; ++i) {
            CPPUNIT_ASSERT_EQUAL(c[i].file_hash, (*report)[i].file_hash);
            CPPUNIT_ASSERT_EQUAL(std::string("ok"), (*report)[i].message);
            CPPUNIT_ASSERT(c[i].answered);
        }
        CPPUNIT_ASSERT_EQUAL(std::int64_t{3}, db_heartbeats(farmer->token()));
    }

    void gzip_and_plain_bodies() {
        TestFarmer farmer = new_farmer();
        auto c = contracts_for(*farmer, 32768 * 4, 4);
        const std::string batch_route = farmer->path("/answer/" + farmer->token());
        auto batch = [&](const farmer::Contract& k) {
            return "{\"proofs\":[{\"file_hash\":" + quoted(k.file_hash) + ",\"proof\":" + proof_of(*farmer, k) + "}]}";
        };
        auto single_route = [&](const farmer::Contract& k) {
            return farmer->path("/answer/" + farmer->token() + "/" + k.file_hash);
        };
        const farmer::HeaderList gzip{{"Content-Encoding", "gzip"}};
        // Really gzipped, labelled so.
        assert_json(farmer->http().post_json(batch_route, farmer::gzip_compress(batch(c[0])), gzip),
                    "{\"report\":[" + ok_entry(quoted(c[0].file_hash)) + "]}");
        // Plain, labelled gzip (the shipped client).
        assert_json(farmer->http().post_json(batch_route, batch(c[1]), gzip),
                    "{\"report\":[" + ok_entry(quoted(c[1].file_hash)) + "]}");
        // Gzipped without the label: the body's first bytes decide.
        assert_json(farmer->http().post_json(single_route(c[2]),
                                             farmer::gzip_compress(single_body(proof_of(*farmer, c[2])))),
                    R"({"status":"ok"})");
        // Plain and unlabelled.
        assert_json(farmer->http().post_json(single_route(c[3]), single_body(proof_of(*farmer, c[3]))),
                    R"({"status":"ok"})");
        CPPUNIT_ASSERT_EQUAL(std::int64_t{4}, db_heartbeats(farmer->token()));
        // Broken gzip.
        std::string truncated = farmer::gzip_compress(batch(c[0]));
        truncated.resize(truncated.size() / 2);
        assert_error(farmer->http().post_json(batch_route, truncated, gzip), 400, "request body is truncated gzip data");
        std::string garbage = "\x1f\x8b" + std::string(40, 'x');
        assert_error(farmer->http().post_json(batch_route, garbage, gzip), 400, "request body is not valid gzip data");
    }

    void proof_from_the_wrong_file_is_invalid() {
        TestFarmer farmer = new_farmer();
        auto c = contracts_for(*farmer, 32768, 1);
        // Another file of the same size, and the right file with the challenged chunk changed.
        const std::string other_file = wrong_file(c[0]);
        assert_error(farmer->http().post_json(farmer->path("/answer/" + farmer->token() + "/" + c[0].file_hash),
                                              single_body(*farmer->prove(c[0], other_file))),
                     400, "proof invalid");
        std::string damaged = c[0].file;
        for (char& byte : damaged) byte = static_cast<char>(byte ^ 0x01);
        auto report = farmer->answer_proofs({{c[0].file_hash, *farmer->prove(c[0], damaged)}});
        CPPUNIT_ASSERT(report.ok());
        CPPUNIT_ASSERT_EQUAL(std::string("proof invalid"), report->front().message);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, db_heartbeats(farmer->token()));
    }

    void proof_for_another_tokens_contract_is_not_found() {
        TestFarmer owner = new_farmer();
        auto c = contracts_for(*owner, 32768, 1);
        const std::string proof = proof_of(*owner, c[0]);
        TestFarmer other = new_farmer();
        assert_error(other->http().post_json(other->path("/answer/" + other->token() + "/" + c[0].file_hash),
                                             single_body(proof)),
                     400, "contract not found");
        auto report = other->answer_proofs({{c[0].file_hash, proof}});
        CPPUNIT_ASSERT(report.ok());
        CPPUNIT_ASSERT_EQUAL(std::string("contract not found"), report->front().message);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, db_heartbeats(other->token()));
        // The owner's challenge is untouched.
        report = owner->answer({&c[0]});
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), report->front().message);
    }

    void malformed_batch_bodies_are_refused() {
        TestFarmer farmer = new_farmer();
        const std::string route = farmer->path("/answer/" + farmer->token());
        assert_error(farmer->http().post_json(route, "{}"), 400, "the request body must have a \"proofs\" member");
        assert_error(farmer->http().post_json(route, R"({"proofs":{}})"), 400, "\"proofs\" must be an array, not an object");
        assert_error(farmer->http().post_json(route, "7"), 400, "the request body must be a JSON object, not a number");
        assert_error(api_post("/answer/" + identity::Token::generate().text(), R"({"proofs":[]})"), 400, "unknown token");
    }

    void tampered_state_is_never_used() {
        // A contract whose stored state fails its HMAC (here: the last byte of the HMAC flipped
        // behind the node's back) is never used to verify or to issue: the single routes answer
        // 500 without details, lists name the entry, the other entries still count.
        TestFarmer farmer = new_farmer();
        auto c = contracts_for(*farmer, 65536, 2);
        const std::string proof = proof_of(*farmer, c[0]);
        execute_sql("UPDATE contracts SET state = CONCAT(LEFT(state, LENGTH(state) - 1),"
                    " CHAR(ASCII(RIGHT(state, 1)) ^ 1)) WHERE file_hash = UNHEX('" + c[0].file_hash + "')");
        assert_error(farmer->http().post_json(farmer->path("/answer/" + farmer->token() + "/" + c[0].file_hash),
                                              single_body(proof)),
                     500, "internal error");
        const std::string h0 = quoted(c[0].file_hash), h1 = quoted(c[1].file_hash);
        assert_json(farmer->http().post_json(farmer->path("/answer/" + farmer->token()),
                                             "{\"proofs\":[{\"file_hash\":" + h0 + ",\"proof\":" + proof +
                                                 "},{\"file_hash\":" + h1 + ",\"proof\":" + proof_of(*farmer, c[1]) + "}]}"),
                    "{\"report\":[" + error_entry(h0, "contract state invalid") + "," + ok_entry(h1) + "]}");
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, db_heartbeats(farmer->token()));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ApiAnswersTest);

}  // namespace downstream::testing
