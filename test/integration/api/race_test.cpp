// Racing requests through the real stack: many connections answering the same challenge at
// once count it once (DESIGN.md §2 "Two answers for the same challenge racing each other
// count once"), racing batches over several contracts neither deadlock nor double count, and
// racing challenge requests after the due time issue the next challenge once.
#include "integration/api/api_stack.h"
#include "integration/store/store_fixture.h"

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

namespace downstream::testing {
namespace {

constexpr int kRacers = 16;

// Runs body(i) on n threads, each with its own connection already open, released together.
// Returns what each thread returned.
std::vector<farmer::HttpResponse> race(int n, const std::string& ip,
                                       const std::function<farmer::HttpResponse(farmer::HttpClient&, int)>& body) {
    std::vector<farmer::HttpResponse> replies(static_cast<std::size_t>(n));
    std::mutex mutex;
    std::condition_variable cv;
    int ready = 0;
    bool go = false;
    run_in_threads(n, [&](int i) {
        farmer::HttpClientOptions options;
        options.endpoint = api_endpoint();
        options.forwarded_for = ip;
        farmer::HttpClient client(options);
        client.get("/api/downstream/v1/");  // opens the connection before the start
        {
            std::unique_lock<std::mutex> lock(mutex);
            if (++ready == n) {
                go = true;
                cv.notify_all();
            }
            cv.wait(lock, [&] { return go; });
        }
        replies[static_cast<std::size_t>(i)] = body(client, i);
    });
    return replies;
}

}  // namespace

class ApiRaceTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ApiRaceTest);
    CPPUNIT_TEST(racing_answers_to_one_challenge_count_once);
    CPPUNIT_TEST(racing_batches_over_several_contracts_count_each_once);
    CPPUNIT_TEST(racing_challenge_requests_issue_the_next_challenge_once);
    CPPUNIT_TEST(racing_token_requests_from_one_ip_respect_its_limit);
    CPPUNIT_TEST(racing_chunk_requests_of_one_address_respect_its_size_limit);
    CPPUNIT_TEST_SUITE_END();

public:
    void racing_answers_to_one_challenge_count_once() {
        // Several rounds: a lost update needs two racers inside one transaction's window.
        TestFarmer farmer = new_farmer();
        const auto contracts = contracts_for(*farmer, 4 * 32768, 4);
        std::int64_t expected_heartbeats = 0;
        for (const auto& c : contracts) {
            const std::string proof = *farmer->prove(c);
            const std::string single = farmer->path("/answer/" + farmer->token() + "/" + c.file_hash);
            const std::string batch = farmer->path("/answer/" + farmer->token());
            const auto replies = race(kRacers, farmer->http().forwarded_for(), [&](farmer::HttpClient& http, int i) {
                // Half on each answer route.
                if (i % 2 == 0) return http.post_json(single, "{\"proof\":" + proof + "}");
                return http.post_json(batch, "{\"proofs\":[{\"file_hash\":" + quoted(c.file_hash) + ",\"proof\":" + proof + "}]}",
                                      {{"Content-Encoding", "gzip"}});
            });
            int ok = 0, already = 0;
            const std::string batch_ok = "{\"report\":[{\"file_hash\":" + quoted(c.file_hash) + ",\"status\":\"ok\"}]}";
            const std::string batch_already = "{\"report\":[{\"error\":\"challenge already answered\",\"file_hash\":" +
                                              quoted(c.file_hash) + "}]}";
            for (const auto& r : replies) {
                if (r.body == R"({"status":"ok"})" || r.body == batch_ok) {
                    CPPUNIT_ASSERT_EQUAL(200, r.status);
                    ++ok;
                } else if (r.body == error_json("challenge already answered") || r.body == batch_already) {
                    ++already;
                } else {
                    CPPUNIT_FAIL("unexpected reply " + std::to_string(r.status) + " " + r.body);
                }
            }
            CPPUNIT_ASSERT_EQUAL(1, ok);
            CPPUNIT_ASSERT_EQUAL(kRacers - 1, already);
            CPPUNIT_ASSERT_EQUAL(++expected_heartbeats, db_heartbeats(farmer->token()));
        }
    }

    void racing_batches_over_several_contracts_count_each_once() {
        TestFarmer farmer = new_farmer();
        auto contracts = contracts_for(*farmer, 4 * 32768, 4);
        std::vector<std::string> entries;
        for (const auto& c : contracts)
            entries.push_back("{\"file_hash\":" + quoted(c.file_hash) + ",\"proof\":" + *farmer->prove(c) + "}");
        const std::string route = farmer->path("/answer/" + farmer->token());
        const auto replies = race(8, farmer->http().forwarded_for(), [&](farmer::HttpClient& http, int i) {
            // Each racer lists the contracts in another order (rows are locked in id order).
            std::string body = "{\"proofs\":[";
            for (std::size_t k = 0; k < entries.size(); ++k)
                body += (k ? "," : "") + entries[(k + static_cast<std::size_t>(i)) % entries.size()];
            return http.post_json(route, body + "]}");
        });
        std::map<std::string, int> ok_per_hash;
        int total_ok = 0;
        for (const auto& r : replies) {
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
            for (const auto& c : contracts) {
                if (r.body.find("{\"file_hash\":" + quoted(c.file_hash) + ",\"status\":\"ok\"}") != std::string::npos) {
                    ++ok_per_hash[c.file_hash];
                    ++total_ok;
                } else {
                    CPPUNIT_ASSERT_MESSAGE(r.body, r.body.find("{\"error\":\"challenge already answered\",\"file_hash\":" +
                                                               quoted(c.file_hash) + "}") != std::string::npos);
                }
            }
        }
        CPPUNIT_ASSERT_EQUAL(4, total_ok);
        for (const auto& c : contracts) CPPUNIT_ASSERT_EQUAL(1, ok_per_hash[c.file_hash]);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{4}, db_heartbeats(farmer->token()));
    }

    void racing_challenge_requests_issue_the_next_challenge_once() {
        TestFarmer farmer = new_farmer();
        auto c = contracts_for(*farmer, 32768, 1);
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), farmer->answer({&c[0]})->front().message);
        const std::int64_t due = db_due_ms(c[0].file_hash);
        sleep_until_unix_ms(due);
        const std::string single = farmer->path("/challenge/" + farmer->token() + "/" + c[0].file_hash);
        const std::string listed = farmer->path("/challenge/" + farmer->token());
        const auto replies = race(kRacers, farmer->http().forwarded_for(), [&](farmer::HttpClient& http, int i) {
            if (i % 2 == 0) return http.get(single);
            return http.post_json(listed, "{\"hashes\":[" + quoted(c[0].file_hash) + "]}");
        });
        const std::int64_t interval_s = stack_config().contract_interval_s;
        std::string challenge;
        for (const auto& r : replies) {
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
            const std::string body = normalise_due(r.body, interval_s - 2, interval_s - 1);
            const std::size_t from = body.find("\"challenge\":");
            const std::size_t to = body.find(",\"due\":D");
            CPPUNIT_ASSERT_MESSAGE(body, from != std::string::npos && to != std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(body, body.find("\"answered\":false") != std::string::npos);
            const std::string seen = body.substr(from, to - from);
            if (challenge.empty()) challenge = seen;
            CPPUNIT_ASSERT_EQUAL(challenge, seen);
        }
        CPPUNIT_ASSERT(challenge.find("\"index\":1}") != std::string::npos);
        // Advanced once: one interval on, not several.
        CPPUNIT_ASSERT_EQUAL(due + interval_ms(), db_due_ms(c[0].file_hash));
        // And the one challenge everybody saw is the one to answer.
        CPPUNIT_ASSERT(farmer->update({&c[0]})->front().ok);
        CPPUNIT_ASSERT_EQUAL("\"challenge\":" + c[0].challenge_json, challenge);
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), farmer->answer({&c[0]})->front().message);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, db_heartbeats(farmer->token()));
    }

    void racing_token_requests_from_one_ip_respect_its_limit() {
        const std::int64_t limit = stack_config().limits_max_tokens_per_ip;
        const auto key = whitelisted_key();
        const std::string ip = fresh_ip();
        const std::string body = "{\"message\":\"m\",\"signature\":" + quoted(key.sign("m")) + "}";
        const auto replies = race(kRacers, ip, [&](farmer::HttpClient& http, int) {
            return http.post_json("/api/downstream/v1/new/" + key.address(), body);
        });
        std::int64_t issued = 0;
        for (const auto& r : replies) {
            if (r.status == 200) {
                ++issued;
                continue;
            }
            CPPUNIT_ASSERT_EQUAL(error_json("this IP address already holds the maximum of " + std::to_string(limit) +
                                            " tokens"),
                                 r.body);
        }
        CPPUNIT_ASSERT_EQUAL(limit, issued);
        CPPUNIT_ASSERT_EQUAL(limit, query_number("SELECT tokens FROM ip_token_counts WHERE ip = '" + ip + "'"));
        CPPUNIT_ASSERT_EQUAL(limit, query_number("SELECT COUNT(*) FROM tokens WHERE ip = '" + ip + "'"));
    }

    void racing_chunk_requests_of_one_address_respect_its_size_limit() {
        const std::int64_t limit = stack_config().limits_max_size_per_address;
        const auto key = whitelisted_key();
        // One token per racer, each from its own IP, all for the same address.
        std::vector<std::unique_ptr<farmer::FarmerClient>> clients;
        for (int i = 0; i < 8; ++i) {
            clients.push_back(make_client());
            const std::string message = "racer " + std::to_string(i);
            CPPUNIT_ASSERT(clients.back()->request_signed_token(key.address(), message, key.sign(message)).ok());
        }
        std::vector<std::int64_t> bytes(clients.size(), 0);
        run_in_threads(static_cast<int>(clients.size()), [&](int i) {
            auto got = clients[static_cast<std::size_t>(i)]->request_contracts(65536);
            if (!got) throw std::runtime_error(got.error().message);
            for (const auto& c : *got) bytes[static_cast<std::size_t>(i)] += c.size;
        });
        std::int64_t total = 0;
        for (auto b : bytes) total += b;
        // All within one interval: every contract is still live and counts.
        CPPUNIT_ASSERT_EQUAL(limit, total);
        CPPUNIT_ASSERT_EQUAL(limit, query_number("SELECT CAST(SUM(c.size) AS SIGNED) FROM contracts c JOIN tokens t"
                                                 " ON t.id = c.token_id WHERE t.address = '" + key.address() + "'"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ApiRaceTest);

}  // namespace downstream::testing
