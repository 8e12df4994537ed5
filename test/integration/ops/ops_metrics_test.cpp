// /metrics against the real node: requests by route, tokens, contracts and proofs of every
// result, database and worker figures, the pool gauge. A scrape reaches one worker at random,
// so every figure asserted here is the sum over all workers.
#include "integration/http/stack_client.h"
#include "integration/ops/ops_stack.h"
#include "integration/store/store_fixture.h"
#include "json/json_parse.h"
#include "proof/merkle_heartbeat.h"
#include "proof/merkle_json.h"
#include "proof/random_stream.h"

#include <cppunit/extensions/HelperMacros.h>

#include <thread>

using namespace downstream;
using namespace downstream::testing;
using namespace std::chrono_literals;

namespace {

const std::map<std::string, std::string> kApiRoot{{"method", "GET"}, {"route", "/api/downstream/v1/"}, {"code", "2xx"}};

double proofs(const PromPage& page, const std::string& result) {
    return page.value("downstream_proofs_total", {{"result", result}}).value_or(-1);
}

// A contract handed out by GET /chunk, and a valid proof for its current challenge, made
// the way a farmer makes it: regenerate the file from the seed, prove against the tag.
struct Contract {
    std::string file_hash;
    std::string proof_json;
};

std::vector<Contract> take_contracts(const std::string& token, int bytes) {
    const HttpReply reply = api_get("/chunk/" + token + "/" + std::to_string(bytes));
    CPPUNIT_ASSERT_EQUAL_MESSAGE(reply.body, 200, reply.status);
    auto doc = json::parse_json(reply.body);
    CPPUNIT_ASSERT(doc.ok());
    std::vector<Contract> out;
    for (const json::Value& chunk : (**doc)["chunks"].GetArray()) {
        const std::string seed = chunk["seed"].GetString();
        proof::RandomStream file(seed, chunk["size"].GetUint64());
        auto challenge = proof::decode_challenge(chunk["challenge"]);
        auto tag = proof::decode_tag(chunk["tag"]);
        CPPUNIT_ASSERT(challenge.ok() && tag.ok());
        auto proved = proof::MerkleHeartbeat::prove(file, *challenge, *tag);
        CPPUNIT_ASSERT(proved.ok());
        out.push_back(Contract{chunk["file_hash"].GetString(), proof::to_json(*proved)});
    }
    return out;
}

HttpReply post_answers(const std::string& token, const std::string& body) {
    HttpCall call;
    call.method = "POST";
    call.path = "/api/downstream/v1/answer/" + token;
    call.body = body;
    call.headers = {{"Content-Type", "application/json"}};
    return http_call(call);
}

}  // namespace

class OpsMetricsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(OpsMetricsTest);
    CPPUNIT_TEST(requestsAreCountedByRouteOverAllWorkers);
    CPPUNIT_TEST(tokensContractsAndProofsAreCounted);
    CPPUNIT_TEST(workerAndDatabaseFiguresAreReported);
    CPPUNIT_TEST(thePoolIsCountedForThisScheme);
    CPPUNIT_TEST_SUITE_END();

public:
    void requestsAreCountedByRouteOverAllWorkers() {
        const PromPage before = scrape_metrics();
        for (int i = 0; i < 20; ++i) CPPUNIT_ASSERT_EQUAL(200, api_get("/").status);
        for (int i = 0; i < 3; ++i) CPPUNIT_ASSERT_EQUAL(404, api_get("/no/such/route").status);
        const PromPage after = scrape_metrics();
        // 20 requests spread over the workers, every one counted once.
        CPPUNIT_ASSERT_EQUAL(20.0, after.value("downstream_http_requests_total", kApiRoot).value_or(0) -
                                       before.value("downstream_http_requests_total", kApiRoot).value_or(0));
        const std::map<std::string, std::string> root{{"method", "GET"}, {"route", "/api/downstream/v1/"}};
        CPPUNIT_ASSERT_EQUAL(20.0, after.value("downstream_http_request_duration_seconds_count", root).value_or(0) -
                                       before.value("downstream_http_request_duration_seconds_count", root).value_or(0));
        // Unknown paths share one series, whatever their text (tokens never become labels).
        const std::map<std::string, std::string> other{{"method", "<other>"}, {"route", "<other>"}, {"code", "4xx"}};
        CPPUNIT_ASSERT_EQUAL(3.0, after.value("downstream_http_requests_total", other).value_or(0) -
                                      before.value("downstream_http_requests_total", other).value_or(0));
        // A cheap route answers well inside the 20 ms target.
        CPPUNIT_ASSERT(after.value("downstream_http_request_duration_seconds_bucket",
                                   {{"method", "GET"}, {"route", "/api/downstream/v1/"}, {"le", "0.02"}})
                           .value_or(0) >= 19);
        // The scrapes themselves are counted under /metrics.
        CPPUNIT_ASSERT(after.value("downstream_http_requests_total",
                                   {{"method", "GET"}, {"route", "/metrics"}, {"code", "2xx"}})
                           .value_or(0) >= 1);
    }

    void tokensContractsAndProofsAreCounted() {
        const std::string address = test_address(9001);
        run_node_cli("whitelist " + address);
        run_node_cli("generate-chunk 32768 4");
        const PromPage before = scrape_metrics();

        const std::string token = new_token(address);
        const std::vector<Contract> contracts = take_contracts(token, 2 * 32768);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, contracts.size());
        const Contract& a = contracts[0];
        const Contract& b = contracts[1];
        // B's proof with its leaf's blob changed: parses, does not verify.
        std::string tampered = b.proof_json;
        const std::size_t blob = tampered.find("\"blob\":\"") + 8;
        tampered[blob] = tampered[blob] == 'A' ? 'B' : 'A';
        const std::string unknown(64, 'f');
        const HttpReply first = post_answers(
            token, "{\"proofs\":[{\"file_hash\":\"" + a.file_hash + "\",\"proof\":" + a.proof_json + "}," +
                       "{\"file_hash\":\"" + b.file_hash + "\",\"proof\":" + tampered + "}," +
                       "{\"file_hash\":\"" + b.file_hash + "\",\"proof\":\"not a proof\"}," +
                       "{\"file_hash\":\"" + unknown + "\",\"proof\":" + a.proof_json + "}]}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(first.body, 200, first.status);
        // Keys sorted, as the original node's jsonify wrote them.
        CPPUNIT_ASSERT_EQUAL(std::string("{\"report\":[{\"file_hash\":\"" + a.file_hash + "\",\"status\":\"ok\"}," +
                                         "{\"error\":\"proof invalid\",\"file_hash\":\"" + b.file_hash + "\"}," +
                                         "{\"error\":\"proof corrupted\",\"file_hash\":\"" + b.file_hash + "\"}," +
                                         "{\"error\":\"contract not found\",\"file_hash\":\"" + unknown + "\"}]}"),
                             first.body);
        const HttpReply again = post_answers(
            token, "{\"proofs\":[{\"file_hash\":\"" + a.file_hash + "\",\"proof\":" + a.proof_json + "}]}");
        CPPUNIT_ASSERT(again.body.find("challenge already answered") != std::string::npos);

        const PromPage after = scrape_metrics();
        auto grew = [&](const std::string& name) {
            return after.value(name).value_or(0) - before.value(name).value_or(0);
        };
        CPPUNIT_ASSERT_EQUAL(1.0, grew("downstream_tokens_issued_total"));
        CPPUNIT_ASSERT_EQUAL(2.0, grew("downstream_contracts_issued_total"));
        CPPUNIT_ASSERT_EQUAL(65536.0, grew("downstream_contract_bytes_issued_total"));
        CPPUNIT_ASSERT_EQUAL(1.0, proofs(after, "ok") - proofs(before, "ok"));
        CPPUNIT_ASSERT_EQUAL(1.0, proofs(after, "invalid") - proofs(before, "invalid"));
        CPPUNIT_ASSERT_EQUAL(1.0, proofs(after, "corrupted") - proofs(before, "corrupted"));
        CPPUNIT_ASSERT_EQUAL(1.0, proofs(after, "not_found") - proofs(before, "not_found"));
        CPPUNIT_ASSERT_EQUAL(1.0, proofs(after, "already_answered") - proofs(before, "already_answered"));
        CPPUNIT_ASSERT_EQUAL(0.0, proofs(after, "expired") - proofs(before, "expired"));
        CPPUNIT_ASSERT_EQUAL(0.0, proofs(after, "state_invalid"));
        // Every route above ran at least one transaction, published by its worker.
        CPPUNIT_ASSERT(grew("downstream_db_transactions_total") >= 5);
        CPPUNIT_ASSERT_EQUAL(2.0, after.value("downstream_http_requests_total",
                                              {{"method", "POST"}, {"route", "/api/downstream/v1/answer/<token>"}, {"code", "2xx"}})
                                      .value_or(0) -
                                      before.value("downstream_http_requests_total",
                                                   {{"method", "POST"}, {"route", "/api/downstream/v1/answer/<token>"}, {"code", "2xx"}})
                                          .value_or(0));
    }

    void workerAndDatabaseFiguresAreReported() {
        const PromPage page = scrape_metrics();
        CPPUNIT_ASSERT_EQUAL(static_cast<double>(ops_workers()), *page.value("downstream_workers"));
        CPPUNIT_ASSERT(*page.value("downstream_worker_starts_total") >= ops_workers());
        CPPUNIT_ASSERT(page.value("downstream_worker_restarts_total").has_value());
        CPPUNIT_ASSERT(page.value("downstream_reloads_total").has_value());
        CPPUNIT_ASSERT(*page.value("downstream_db_sessions_opened_total") >= 1);
        CPPUNIT_ASSERT(page.value("downstream_db_errors_total").has_value());
        CPPUNIT_ASSERT(page.value("downstream_db_conflict_retries_total").has_value());
        CPPUNIT_ASSERT(page.value("downstream_db_connection_retries_total").has_value());
        CPPUNIT_ASSERT(page.value("downstream_challenges_issued_total").has_value());
    }

    void thePoolIsCountedForThisScheme() {
        // Counted at most every 5 s per worker: wait for fresh counts after adding chunks.
        run_node_cli("generate-chunk 65536 3");
        const auto deadline = std::chrono::steady_clock::now() + 20s;
        double chunks = 0;
        while (std::chrono::steady_clock::now() < deadline) {
            const PromPage page = scrape_metrics();
            chunks = page.value("downstream_pool_chunks", {{"scheme", "Merkle"}, {"size", "65536"}}).value_or(0);
            if (chunks >= 3) {
                const double bytes = *page.value("downstream_pool_bytes", {{"scheme", "Merkle"}});
                CPPUNIT_ASSERT(bytes >= 3 * 65536.0);
                break;
            }
            std::this_thread::sleep_for(500ms);
        }
        CPPUNIT_ASSERT_EQUAL(3.0, chunks);
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(OpsMetricsTest);
