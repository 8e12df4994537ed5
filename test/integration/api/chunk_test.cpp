// Chunk contracts through the real stack (DESIGN.md §2 "Chunk contracts"): the default and
// a named size, nothing that fits, the greedy fill, max_chunks_per_request,
// max_size_per_address, the rule for a token asking from another IP, bad input, and nginx
// sending contracts uncompressed (their tags barely compress; DECISIONS.md).
// The stack's pool (scripts/test-api.sh): 32 KiB, 8 KiB and 4 KiB chunks; its limits:
// 4 chunks per request, 160 KiB per address.
#include "crypto/sha256.h"
#include "encoding/hex.h"
#include "identity/token.h"
#include "integration/api/api_stack.h"
#include "integration/store/store_fixture.h"
#include "json/json_parse.h"

#include <cppunit/extensions/HelperMacros.h>

#include <set>

namespace downstream::testing {
namespace {

std::vector<std::int64_t> sizes_of(const std::vector<farmer::Contract>& contracts) {
    std::vector<std::int64_t> sizes;
    for (const auto& c : contracts) sizes.push_back(c.size);
    return sizes;
}

std::string sizes_text(const std::vector<std::int64_t>& sizes) {
    std::string text;
    for (auto s : sizes) text += (text.empty() ? "" : ",") + std::to_string(s);
    return "[" + text + "]";
}

}  // namespace

class ApiChunksTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ApiChunksTest);
    CPPUNIT_TEST(default_size_gives_one_chunk_of_32_kib_with_every_member);
    CPPUNIT_TEST(named_size_is_filled_with_pool_chunks);
    CPPUNIT_TEST(nothing_that_fits_gives_an_empty_list);
    CPPUNIT_TEST(fill_is_greedy_largest_first);
    CPPUNIT_TEST(at_most_max_chunks_per_request);
    CPPUNIT_TEST(never_beyond_max_size_per_address);
    CPPUNIT_TEST(each_pool_chunk_is_handed_out_once);
    CPPUNIT_TEST(token_moves_to_a_new_ip_that_may_hold_it);
    CPPUNIT_TEST(token_stays_when_the_new_ip_is_full);
    CPPUNIT_TEST(location_follows_the_token_to_its_new_ip);
    CPPUNIT_TEST(bad_tokens_and_sizes_are_refused);
    CPPUNIT_TEST(contracts_go_out_uncompressed_to_clients_that_accept_gzip);
    CPPUNIT_TEST_SUITE_END();

public:
    void default_size_gives_one_chunk_of_32_kib_with_every_member() {
        CPPUNIT_ASSERT_EQUAL(std::int64_t{32768}, stack_config().chunk_default_size);
        TestFarmer farmer = new_farmer();
        const auto reply = api_get("/chunk/" + farmer->token(), farmer->http().forwarded_for());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(reply.body, 200, reply.status);
        auto doc = json::parse_json(reply.body);
        CPPUNIT_ASSERT(doc.ok());
        const json::Value& chunks = (**doc)["chunks"];
        CPPUNIT_ASSERT_EQUAL(rapidjson::SizeType{1}, chunks.Size());
        const json::Value& chunk = chunks[0];
        // Exactly these members, in this (sorted) order, as the original node's jsonify wrote.
        std::vector<std::string> names;
        for (auto m = chunk.MemberBegin(); m != chunk.MemberEnd(); ++m) names.push_back(m->name.GetString());
        CPPUNIT_ASSERT(names == (std::vector<std::string>{"challenge", "due", "file_hash", "seed", "size", "tag"}));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{32768}, chunk["size"].GetInt64());
        CPPUNIT_ASSERT(chunk["due"].IsInt64());
        CPPUNIT_ASSERT_EQUAL(stack_config().contract_interval_s, chunk["due"].GetInt64());
        const std::string seed = chunk["seed"].GetString();
        CPPUNIT_ASSERT(encoding::is_hex(seed, 32));
        // file_hash is the hex SHA-256 of the file the seed regenerates.
        const std::string file = farmer::regenerate_file(seed, 32768);
        CPPUNIT_ASSERT_EQUAL(encoding::hex_encode(crypto::sha256(file)), std::string(chunk["file_hash"].GetString()));
        // A Merkle tag for this file and its first challenge.
        const json::Value& tag = chunk["tag"];
        CPPUNIT_ASSERT_EQUAL(std::int64_t{32768}, tag["filesz"].GetInt64());
        CPPUNIT_ASSERT_EQUAL(std::int64_t{327}, tag["chunksz"].GetInt64());  // int(0.01 × 32768)
        CPPUNIT_ASSERT_EQUAL(rapidjson::SizeType{0}, tag["tree"]["leaves"].Size());
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, chunk["challenge"]["index"].GetInt64());
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, db_contracts(farmer->token()));
    }

    void named_size_is_filled_with_pool_chunks() {
        TestFarmer farmer = new_farmer();
        const auto contracts = contracts_for(*farmer, 65536, 2);
        CPPUNIT_ASSERT_EQUAL(std::string("[32768,32768]"), sizes_text(sizes_of(contracts)));
        CPPUNIT_ASSERT(contracts[0].file_hash != contracts[1].file_hash);
        for (const auto& c : contracts)
            CPPUNIT_ASSERT_EQUAL(encoding::hex_encode(crypto::sha256(c.file)), c.file_hash);
    }

    void nothing_that_fits_gives_an_empty_list() {
        TestFarmer farmer = new_farmer();
        assert_json(api_get("/chunk/" + farmer->token() + "/4095", farmer->http().forwarded_for()),
                    R"({"chunks":[]})");
        assert_json(api_get("/chunk/" + farmer->token() + "/0", farmer->http().forwarded_for()),
                    R"({"chunks":[]})");
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, db_contracts(farmer->token()));
    }

    void fill_is_greedy_largest_first() {
        TestFarmer farmer = new_farmer();
        // 45,960 bytes: 32 KiB fits, then 8 KiB, then 4 KiB, then 904 bytes remain.
        const auto contracts = contracts_for(*farmer, 32768 + 8192 + 4096 + 904, 3);
        CPPUNIT_ASSERT_EQUAL(std::string("[32768,8192,4096]"), sizes_text(sizes_of(contracts)));
        // 12 KiB: 8 KiB then 4 KiB, never three 4 KiB chunks.
        TestFarmer second = new_farmer();
        CPPUNIT_ASSERT_EQUAL(std::string("[8192,4096]"), sizes_text(sizes_of(contracts_for(*second, 12288, 2))));
    }

    void at_most_max_chunks_per_request() {
        const int max_chunks = stack_config().limits_max_chunks_per_request;
        CPPUNIT_ASSERT_EQUAL(4, max_chunks);
        TestFarmer farmer = new_farmer();
        const auto contracts = contracts_for(*farmer, 32768 * (max_chunks + 2), static_cast<std::size_t>(max_chunks));
        for (const auto& c : contracts) CPPUNIT_ASSERT_EQUAL(std::int64_t{32768}, c.size);
    }

    void never_beyond_max_size_per_address() {
        const std::int64_t limit = stack_config().limits_max_size_per_address;
        CPPUNIT_ASSERT_EQUAL(std::int64_t{5 * 32768}, limit);
        TestFarmer farmer = new_farmer();
        // These requests must run within one contract interval: unanswered contracts expire
        // at their first due time and then no longer count.
        contracts_for(*farmer, 1 << 20, 4);      // 128 KiB (max_chunks)
        contracts_for(*farmer, 1 << 20, 1);      // 32 KiB more reaches the limit
        contracts_for(*farmer, 1 << 20, 0);      // nothing
        // Another token of the same address (from another IP) shares the limit.
        auto other = make_client();
        const std::string message = "second token";
        CPPUNIT_ASSERT(other->request_signed_token(farmer.key.address(), message, farmer.key.sign(message)).ok());
        contracts_for(*other, 4096, 0);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{5}, db_contracts(farmer->token()));
        // Another address is not limited by this one.
        TestFarmer third = new_farmer();
        contracts_for(*third, 32768, 1);
    }

    void each_pool_chunk_is_handed_out_once() {
        const std::string pool_size = "SELECT COUNT(*) FROM chunk_pool WHERE size = 32768";
        const std::int64_t before = query_number(pool_size);
        std::set<std::string> hashes;
        for (int i = 0; i < 3; ++i) {
            TestFarmer farmer = new_farmer();
            for (const auto& c : contracts_for(*farmer, 65536, 2)) hashes.insert(c.file_hash);
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t{6}, hashes.size());
        CPPUNIT_ASSERT_EQUAL(before - 6, query_number(pool_size));
    }

    void token_moves_to_a_new_ip_that_may_hold_it() {
        TestFarmer farmer = new_farmer();
        const std::string old_ip = farmer->http().forwarded_for();
        CPPUNIT_ASSERT_EQUAL(old_ip, db_token_ip(farmer->token()));
        const std::string new_ip = fresh_ip();
        farmer->http().set_forwarded_for(new_ip);
        contracts_for(*farmer, 4096, 1);
        CPPUNIT_ASSERT_EQUAL(new_ip, db_token_ip(farmer->token()));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, query_number("SELECT tokens FROM ip_token_counts WHERE ip = '" + old_ip + "'"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, query_number("SELECT tokens FROM ip_token_counts WHERE ip = '" + new_ip + "'"));
    }

    void token_stays_when_the_new_ip_is_full() {
        TestFarmer farmer = new_farmer();
        const std::string old_ip = farmer->http().forwarded_for();
        const std::string full_ip = fresh_ip();
        const std::int64_t limit = stack_config().limits_max_tokens_per_ip;
        const auto key = whitelisted_key();
        for (std::int64_t i = 0; i < limit; ++i)
            CPPUNIT_ASSERT_EQUAL(200, api_get("/new/" + key.address(), full_ip).status);
        assert_error(api_get("/chunk/" + farmer->token() + "/4096", full_ip), 400,
                     "this token was issued to another IP address, and this one already holds " +
                         std::to_string(limit) + " tokens, the most allowed");
        CPPUNIT_ASSERT_EQUAL(old_ip, db_token_ip(farmer->token()));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, db_contracts(farmer->token()));
        // From its own IP it still gets contracts.
        contracts_for(*farmer, 4096, 1);
    }

    void location_follows_the_token_to_its_new_ip() {
        // Addresses of the GeoIP test database (test/geoip/README.md), IPv6 first.
        const auto key = whitelisted_key();
        auto client = make_client("2001:480:10::1");
        const std::string message = "where am I";
        CPPUNIT_ASSERT(client->request_signed_token(key.address(), message, key.sign(message)).ok());
        const std::string status = "/status/show/" + farmer_id_of(client->token());
        auto shown = api_get(status);
        CPPUNIT_ASSERT_MESSAGE(shown.body, shown.body.find(
            "\"location\":{\"city\":\"San Diego\",\"country\":\"United States\",\"lat\":32.7203,"
            "\"lon\":-117.1552,\"state\":\"California\",\"zip\":\"92101\"}") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("2001:480:10::1"), db_token_ip(client->token()));
        client->http().set_forwarded_for("89.160.20.112");
        contracts_for(*client, 4096, 1);
        shown = api_get(status);
        CPPUNIT_ASSERT_MESSAGE(shown.body, shown.body.find(
            "\"location\":{\"city\":\"Link\xc3\xb6ping\",\"country\":\"Sweden\",\"lat\":58.4167,"
            "\"lon\":15.6167,\"state\":\"\xc3\x96sterg\xc3\xb6tland County\",\"zip\":null}") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("89.160.20.112"), db_token_ip(client->token()));
    }

    void bad_tokens_and_sizes_are_refused() {
        const std::string unknown = identity::Token::generate().text();
        assert_error(api_get("/chunk/" + unknown), 400, "unknown token");
        assert_error(api_get("/chunk/" + unknown + "/32768"), 400, "unknown token");
        assert_error(api_get("/chunk/nothex"), 400, "invalid token: a token is 32 hexadecimal characters");
        TestFarmer farmer = new_farmer();
        assert_error(api_get("/chunk/" + farmer->token() + "/abc"), 400,
                     "invalid size \"abc\": must be a non-negative integer");
        assert_error(api_get("/chunk/" + farmer->token() + "/-1"), 400,
                     "invalid size \"-1\": must be a non-negative integer");
        assert_error(api_get("/chunk/" + farmer->token() + "/99999999999999999999"), 400,
                     "invalid size \"99999999999999999999\": larger than 9223372036854775807");
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, db_contracts(farmer->token()));
    }

    void contracts_go_out_uncompressed_to_clients_that_accept_gzip() {
        const farmer::HeaderList accept{{"Accept-Encoding", "gzip, deflate"}};  // python-requests'
        const std::string prefix(farmer::kClientPrefix);
        TestFarmer farmer = new_farmer();
        const std::string ip = farmer->http().forwarded_for();
        const auto reply = raw_request("GET", prefix + "/chunk/" + farmer->token() + "/65536", "", accept, ip);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(reply.body, 200, reply.status);
        CPPUNIT_ASSERT(reply.headers.count("content-encoding") == 0);
        CPPUNIT_ASSERT_EQUAL(reply.body.size(), reply.wire_bytes);
        CPPUNIT_ASSERT(reply.body.size() > 1024);  // long enough for gzip_min_length
        auto doc = json::parse_json(reply.body);
        CPPUNIT_ASSERT(doc.ok());
        CPPUNIT_ASSERT_EQUAL(rapidjson::SizeType{2}, (**doc)["chunks"].Size());

        // The control: other long JSON does go out compressed to the same header (a report of
        // 20 unknown contracts), so the header reached nginx and gzip is on.
        std::string proofs;
        for (int i = 0; i < 20; ++i) {
            const std::string hash(64, "0123456789"[i % 10]);
            proofs += std::string(proofs.empty() ? "" : ",") + "{\"file_hash\":\"" + hash + "\",\"proof\":{}}";
        }
        farmer::HeaderList post = accept;
        post.emplace_back("Content-Type", "application/json");
        const auto report = raw_request("POST", prefix + "/answer/" + farmer->token(),
                                        "{\"proofs\":[" + proofs + "]}", post, ip);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(report.body, 200, report.status);
        CPPUNIT_ASSERT_MESSAGE(std::to_string(report.body.size()), report.body.size() > 1024);
        CPPUNIT_ASSERT(report.headers.count("content-encoding") == 1);
        CPPUNIT_ASSERT_EQUAL(std::string("gzip"), report.headers.at("content-encoding"));
        CPPUNIT_ASSERT(report.wire_bytes < report.body.size());
        auto entries = json::parse_json(report.body);
        CPPUNIT_ASSERT(entries.ok());
        CPPUNIT_ASSERT_EQUAL(rapidjson::SizeType{20}, (**entries)["report"].Size());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ApiChunksTest);

}  // namespace downstream::testing
