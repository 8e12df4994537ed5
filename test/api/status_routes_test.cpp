#include "api/status_routes.h"

#include "api/fake_status_store.h"
#include "api/routes.h"
#include "api/status_farmers.h"
#include "api/status_index.h"
#include "crypto/hmac_sha256.h"
#include "encoding/hex.h"
#include "geo/locator.h"
#include "http/string_response_writer.h"
#include "proof/merkle_scheme.h"

#include <cppunit/extensions/HelperMacros.h>

#include <map>
#include <stdexcept>

using namespace downstream;
using testing::kNow;

namespace {

class FakeTokens final : public store::TokenStore {
public:
    std::map<std::string, store::TokenRecord> by_id;
    Result<store::TokenRecord> create(const store::NewToken&, const store::TokenLimits&, UnixMillis) override {
        throw std::logic_error("not used");
    }
    std::optional<store::TokenRecord> find_by_hash(const std::string&) override { throw std::logic_error("not used"); }
    std::optional<store::TokenRecord> find_by_farmer_id(const std::string& id) override {
        auto it = by_id.find(id);
        if (it == by_id.end()) return std::nullopt;
        return it->second;
    }
    store::MoveOutcome move_to_ip(std::int64_t, const std::string&, const store::Location&, std::int64_t,
                                  UnixMillis) override {
        throw std::logic_error("not used");
    }
};

class NoContracts final : public store::ContractStore {
public:
    Result<std::vector<store::IssuedContract>> issue_from_pool(const store::IssueRequest&, UnixMillis) override {
        throw std::logic_error("not used");
    }
    std::vector<store::ContractRecord> find_many(std::int64_t, const std::vector<std::string>&) override {
        throw std::logic_error("not used");
    }
    std::vector<store::ContractRecord> find_for_token(std::int64_t) override { throw std::logic_error("not used"); }
    std::vector<bool> advance_challenges(std::int64_t, const std::vector<store::ChallengeAdvance>&, UnixMillis) override {
        throw std::logic_error("not used");
    }
    std::optional<std::vector<store::AnswerOutcome>> answer(const std::string&, const std::vector<std::string>&,
                                                            const store::AnswerDecision&, UnixMillis) override {
        throw std::logic_error("not used");
    }
};

std::string hash_of(const std::string& ip) {
    return encoding::hex_encode(crypto::hmac_sha256("ipkey", ip).substr(0, 16));
}

const char* const kLondon = R"({"city":"London","country":"United Kingdom","lat":51.5142,"lon":-0.0931,"state":"England","zip":null})";

}  // namespace

// Whole answers written out by hand from the farmers of status_farmers.h at kNow
// (1700000000000 ms = 2023-11-14T22:13:20Z).
class StatusRoutesTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(StatusRoutesTest);
    CPPUNIT_TEST(pageOfTheListIsExactJson);
    CPPUNIT_TEST(everyRouteFormAnswers);
    CPPUNIT_TEST(badSortKeysAndNumbersAre400);
    CPPUNIT_TEST(summaryIsExactJson);
    CPPUNIT_TEST(showReadsTheStoreExactly);
    CPPUNIT_TEST(withoutAnIndexListsAre503);
    CPPUNIT_TEST_SUITE_END();

    ManualClock clock_{kNow};
    FakeTokens tokens_;
    NoContracts contracts_;
    testing::FakeStatusStore status_store_;
    std::unique_ptr<proof::MerkleScheme> scheme_;
    geo::UnknownLocator locator_;
    std::unique_ptr<api::StatusIndex> index_;
    std::unique_ptr<api::ApiContext> context_;
    std::unique_ptr<http::Router> router_;

    struct Reply {
        int status;
        std::string body;
        std::string cache_control;
    };

    Reply get(const std::string& path) {
        http::Request r;
        r.method = "GET";
        r.path = "/api/downstream/v1/" + path;
        http::StringResponseWriter out;
        router_->dispatch(r, out);
        return {out.status(), out.body(), out.header("Cache-Control").value_or("")};
    }

    void make(bool with_index) {
        api::ApiSettings settings;
        settings.ip_hash_key = "ipkey";
        context_ = std::make_unique<api::ApiContext>(api::ApiContext{
            clock_, tokens_, contracts_, *scheme_, store::PoolKey{}, locator_, settings});
        if (with_index) context_->status = index_.get();
        router_ = std::make_unique<http::Router>();
        api::add_api_routes(*router_, *context_);
    }

public:
    void setUp() override {
        auto scheme = proof::MerkleScheme::create(proof::MerkleSchemeConfig{std::string(32, 'k')}, clock_);
        CPPUNIT_ASSERT(scheme.ok());
        scheme_ = std::move(scheme).value();
        status_store_.rows = testing::six_farmers();
        for (auto& row : status_store_.rows) tokens_.by_id[row.farmer_id] = row;
        index_ = std::make_unique<api::StatusIndex>(status_store_, clock_, "ipkey");
        make(true);
    }

    void pageOfTheListIsExactJson() {
        const Reply r = get("status/list/by/d/uptime/2");
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("public, max-age=5"), r.cache_control);
        const std::string want =
            std::string(R"({"farmers":[{"address":"1Aaa","contracts":3,"heartbeats":50,"id":"0000000000000000000b","ip_hash":")") +
            hash_of(tokens_.by_id["0000000000000000000b"].ip) +
            R"(","last_due":"2023-11-14T22:14:10Z","location":)" + kLondon +
            R"(,"online":true,"size":3000,"uptime":100.0},{"address":"1Bbb","contracts":3,"heartbeats":10,"id":"0000000000000000000f","ip_hash":")" +
            hash_of(tokens_.by_id["0000000000000000000f"].ip) +
            R"(","last_due":"2023-11-14T22:13:21Z","location":)" + kLondon + R"(,"online":true,"size":1000,"uptime":100.0}]})";
        CPPUNIT_ASSERT_EQUAL(want, r.body);
    }

    void everyRouteFormAnswers() {
        const struct {
            const char* path;
            const char* ids;  // last two hex digits in order
        } cases[] = {
            {"status/list", "0a0b0c0d0e0f"},
            {"status/list/online", "0b0d0f"},
            {"status/list/2", "0a0b"},
            {"status/list/2/1", "0c0d"},
            {"status/list/online/2/1", "0f"},
            {"status/list/online/1", "0b"},
            {"status/list/by/heartbeats", "0e0d0a0f0b0c"},
            {"status/list/by/d/heartbeats", "0b0c0a0f0d0e"},
            {"status/list/by/d/uptime/4/1", "0e0a"},
            {"status/list/by/d/uptime/4/2", ""},
            {"status/list/online/by/size", "0f0b0d"},
            {"status/list/online/by/d/size/1", "0d"},
            {"status/list/online/by/d/size/1/2", "0f"},
            {"status/list/by/address/3", "0b0d0a"},
            {"status/list/by/online/3/1", "0b0d0f"},
            {"status/list/by/d/id", "0f0e0d0c0b0a"},
        };
        for (const auto& c : cases) {
            const Reply r = get(c.path);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.path, 200, r.status);
            std::string ids;
            for (std::size_t at = r.body.find("\"id\":\""); at != std::string::npos; at = r.body.find("\"id\":\"", at + 1))
                ids += r.body.substr(at + 6 + 18, 2);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.path, std::string(c.ids), ids);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.path, std::string("public, max-age=5"), r.cache_control);
        }
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"farmers":[]})"), get("status/list/by/d/uptime/4/2").body);
        // The original prefix answers too.
        http::Request r;
        r.method = "GET";
        r.path = "/api/downstream/status/list/online/1";
        http::StringResponseWriter out;
        router_->dispatch(r, out);
        CPPUNIT_ASSERT_EQUAL(200, out.status());
    }

    void badSortKeysAndNumbersAre400() {
        for (const char* path : {"status/list/by/ip", "status/list/by/d/ip/25/0", "status/list/online/by/Uptime",
                                 "status/list/by/d", "status/list/by/d/d/1"}) {
            const Reply r = get(path);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path, 400, r.status);
            CPPUNIT_ASSERT_MESSAGE(path + (" " + r.body),
                                   r.body.find("unknown sort key") != std::string::npos &&
                                       r.body.find(R"("status":"error")") != std::string::npos);
        }
        for (const char* path : {"status/list/by/uptime/x", "status/list/by/uptime/25/-1", "status/list/abc",
                                 "status/list/online/1/1.5"})
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path, 400, get(path).status);
        CPPUNIT_ASSERT_EQUAL(404, get("status/list/by/uptime/1/2/3").status);
        CPPUNIT_ASSERT_EQUAL(404, get("status/lists").status);
    }

    void summaryIsExactJson() {
        const Reply r = get("status/summary");
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("public, max-age=5"), r.cache_control);
        const std::string want =
            R"({"countries":2,"farmers":6,"heartbeats":127,"online":3,"points":[)"
            R"({"heartbeats":50,"id":"0000000000000000000b","lat":51.5142,"lon":-0.0931,"online":true},)"
            R"({"heartbeats":7,"id":"0000000000000000000d","lat":47.2513,"lon":-122.3149,"online":true},)"
            R"({"heartbeats":10,"id":"0000000000000000000f","lat":51.5142,"lon":-0.0931,"online":true},)"
            R"({"heartbeats":50,"id":"0000000000000000000c","lat":58.4167,"lon":15.6167,"online":false}],)"
            R"("size":9000})";
        CPPUNIT_ASSERT_EQUAL(want, r.body);
    }

    void showReadsTheStoreExactly() {
        // c: offline (its interval ended 100 s ago) with 2 unswept contracts: shown as 0.
        const Reply r = get("status/show/0000000000000000000c");
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        const std::string want =
            std::string(R"({"address":"1Ccc","contracts":0,"heartbeats":50,"id":"0000000000000000000c","ip_hash":")") +
            hash_of(tokens_.by_id["0000000000000000000c"].ip) +
            R"(","last_due":"2023-11-14T22:11:40Z","location":{"city":"Link)" "\xc3\xb6" R"(ping","country":"Sweden","lat":58.4167,"lon":15.6167,"state":")"
            "\xc3\x96" R"(sterg)" "\xc3\xb6" R"(tland County","zip":null},"online":false,"size":0,"uptime":50.0})";
        CPPUNIT_ASSERT_EQUAL(want, r.body);
        // e: 1 s online in 300 s = 0.333 %; a: never contracted.
        CPPUNIT_ASSERT(get("status/show/0000000000000000000e").body.find(R"("uptime":0.33})") != std::string::npos);
        const std::string a = get("status/show/0000000000000000000a").body;
        CPPUNIT_ASSERT(a.find(R"("last_due":null)") != std::string::npos);
        CPPUNIT_ASSERT(a.find(R"("uptime":0.0})") != std::string::npos);
        // A change in the store shows at once (no index in between).
        tokens_.by_id["0000000000000000000a"].heartbeats = 99;
        CPPUNIT_ASSERT(get("status/show/0000000000000000000a").body.find(R"("heartbeats":99)") != std::string::npos);
        const Reply missing = get("status/show/ffffffffffffffffffff");
        CPPUNIT_ASSERT_EQUAL(404, missing.status);
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"status":"error","message":"no farmer with id ffffffffffffffffffff"})"),
                             missing.body);
        CPPUNIT_ASSERT_EQUAL(404, get("status/show/nothex").status);
    }

    void withoutAnIndexListsAre503() {
        make(false);
        CPPUNIT_ASSERT_EQUAL(503, get("status/list").status);
        CPPUNIT_ASSERT_EQUAL(503, get("status/summary").status);
        CPPUNIT_ASSERT_EQUAL(200, get("status/show/0000000000000000000b").status);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StatusRoutesTest);
