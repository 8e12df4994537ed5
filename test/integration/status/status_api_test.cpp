// The status API of the real node (nginx, worker pool, MariaDB, the GeoIP test database),
// started by scripts/test-status.sh. Farmers are made through the API (GET /new with a
// trusted X-Forwarded-For, GET /chunk) and, where a varied history is needed, by setting
// their summary columns in SQL. Orders are checked independently: each answer is checked
// against comparators written here from docs/STATUS_API.md, never against the node's code.
//
//   DOWNSTREAM_HTTP_URL        nginx of the stack (http://127.0.0.1:18140)
//   DOWNSTREAM_TEST_DB_URI     the stack's database
//   DOWNSTREAM_STATUS_INTERVAL contract.interval of the stack, seconds
//   DOWNSTREAM_STATUS_SERVE_LOG, DOWNSTREAM_STATUS_GEO_BROKEN  (StatusNoGeo only) the serve
//                              log, and the broken geoip.mmdb the stack was restarted with
#include "integration/http/stack_client.h"
#include "integration/store/store_fixture.h"

#include "crypto/sha256.h"
#include "encoding/hex.h"
#include "http/gzip_inflater.h"
#include "json/json_parse.h"
#include "store/address_repository.h"

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <thread>

using namespace downstream;
using namespace downstream::testing;

namespace {

struct Place {
    const char* city;
    const char* country;
    const char* state;
    const char* zip;
    double lat;
    double lon;
};

// /work/shared/geoip/README.md and test/geoip/README.md: what the test database answers.
const Place kLondon{"London", "United Kingdom", "England", nullptr, 51.5142, -0.0931};
const Place kBoxford{"Boxford", "United Kingdom", "England", "OX1", 51.75, -1.25};
const Place kMilton{"Milton", "United States", "Washington", "98354", 47.2513, -122.3149};
const Place kLinkoping{"Link\xc3\xb6ping", "Sweden", "\xc3\x96sterg\xc3\xb6tland County", nullptr, 58.4167, 15.6167};

std::unique_ptr<json::Document> parse(const std::string& body) {
    auto doc = json::parse_json(body);
    CPPUNIT_ASSERT_MESSAGE(body.substr(0, 300), doc.ok());
    return std::move(doc).value();
}

HttpReply get(const std::string& path, const std::string& forwarded_for = "") {
    HttpCall call;
    call.path = "/api/downstream/v1/" + path;
    if (!forwarded_for.empty()) call.headers.emplace_back("X-Forwarded-For", forwarded_for);
    return http_call(call);
}

// The body nginx stored for `key` (its proxy_cache_key) under `dir`: what follows the stored
// response's header in the cache file holding "KEY: <key>". Empty when there is none.
std::string cached_body(const std::string& dir, const std::string& key) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
        if (!entry.is_regular_file()) continue;
        std::ifstream in(entry.path(), std::ios::binary);
        const std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const std::size_t at = file.find("\nKEY: " + key + "\n");
        if (at == std::string::npos) continue;
        const std::size_t body = file.find("\r\n\r\n", at);
        if (body != std::string::npos) return file.substr(body + 4);
    }
    return {};
}

// A farmer object as the API shows it.
struct Farmer {
    std::string id, address, ip_hash;
    std::optional<std::string> last_due;
    double uptime = 0;
    std::int64_t heartbeats = 0, contracts = 0, size = 0;
    bool online = false;
    std::map<std::string, std::optional<std::string>> place;  // city, country, state, zip
    std::optional<double> lat, lon;
};

Farmer farmer_of(const json::Value& v) {
    CPPUNIT_ASSERT(v.IsObject());
    CPPUNIT_ASSERT_EQUAL(10u, v.MemberCount());
    Farmer f;
    f.id = v["id"].GetString();
    f.address = v["address"].GetString();
    f.ip_hash = v["ip_hash"].GetString();
    if (v["last_due"].IsString()) f.last_due = v["last_due"].GetString();
    else CPPUNIT_ASSERT(v["last_due"].IsNull());
    f.uptime = v["uptime"].GetDouble();
    f.heartbeats = v["heartbeats"].GetInt64();
    f.contracts = v["contracts"].GetInt64();
    f.size = v["size"].GetInt64();
    f.online = v["online"].GetBool();
    const json::Value& loc = v["location"];
    CPPUNIT_ASSERT_EQUAL(6u, loc.MemberCount());
    for (const char* key : {"city", "country", "state", "zip"}) {
        if (loc[key].IsString()) f.place[key] = std::string(loc[key].GetString());
        else CPPUNIT_ASSERT(loc[key].IsNull()), f.place[key] = std::nullopt;
    }
    if (loc["lat"].IsNumber()) f.lat = loc["lat"].GetDouble();
    if (loc["lon"].IsNumber()) f.lon = loc["lon"].GetDouble();
    return f;
}

// A list as the node answers it now: the query string makes every call miss nginx's 5 s
// cache (the node ignores it), so answers read one after another describe one moment each.
std::vector<Farmer> list(const std::string& path) {
    static int calls = 0;
    const HttpReply r = get(path + "?fresh=" + std::to_string(++calls));
    CPPUNIT_ASSERT_EQUAL_MESSAGE(path + ": " + r.body.substr(0, 200), 200, r.status);
    auto doc = parse(r.body);
    CPPUNIT_ASSERT_EQUAL(1u, doc->MemberCount());
    std::vector<Farmer> farmers;
    for (const auto& v : (*doc)["farmers"].GetArray()) farmers.push_back(farmer_of(v));
    return farmers;
}

std::optional<Farmer> show(const std::string& id) {
    const HttpReply r = get("status/show/" + id);
    if (r.status == 404) return std::nullopt;
    CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
    return farmer_of(*parse(r.body));
}

std::string farmer_id_of(const std::string& token) {
    // DESIGN.md §2: the first 20 hex characters of SHA-256 of the 16 raw token bytes.
    return encoding::hex_encode(crypto::sha256(*encoding::hex_decode(token))).substr(0, 20);
}

// A token for a whitelisted test address, asked for from `ip` (through X-Forwarded-For).
std::string new_token(int address, const std::string& ip) {
    const std::string a = test_address(address);
    store::AddressRepository(test_database()).add(store::WhitelistEntry{a, 1000000}, 1);
    const HttpReply r = get("new/" + a, ip);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
    auto doc = parse(r.body);
    return (*doc)["token"].GetString();
}

// One 4 KiB contract (the stack's pool holds 4 KiB chunks); the number of chunks issued.
std::size_t take_chunk(const std::string& token, const std::string& ip) {
    const HttpReply r = get("chunk/" + token + "/4096", ip);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
    return (*parse(r.body))["chunks"].GetArray().Size();
}

void expect_place(const Farmer& f, const Place* p, const std::string& what) {
    auto text = [](const char* s) { return s ? std::optional<std::string>(s) : std::nullopt; };
    CPPUNIT_ASSERT_MESSAGE(what + " city", f.place.at("city") == (p ? text(p->city) : std::nullopt));
    CPPUNIT_ASSERT_MESSAGE(what + " country", f.place.at("country") == (p ? text(p->country) : std::nullopt));
    CPPUNIT_ASSERT_MESSAGE(what + " state", f.place.at("state") == (p ? text(p->state) : std::nullopt));
    CPPUNIT_ASSERT_MESSAGE(what + " zip", f.place.at("zip") == (p ? text(p->zip) : std::nullopt));
    if (p) {
        CPPUNIT_ASSERT_MESSAGE(what + " lat", f.lat && std::fabs(*f.lat - p->lat) < 1e-9);
        CPPUNIT_ASSERT_MESSAGE(what + " lon", f.lon && std::fabs(*f.lon - p->lon) < 1e-9);
    } else {
        CPPUNIT_ASSERT_MESSAGE(what + " coordinates", !f.lat && !f.lon);
    }
}

// Retries `check` until it holds or `seconds` have passed (lists follow changes within about
// a second: the index refreshes at most once per second per worker).
bool eventually(const std::function<bool()>& check, double seconds = 5) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (!check()) {
        if (std::chrono::steady_clock::now() > until) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return true;
}

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch()).count();
}

int interval_s() {
    const char* v = std::getenv("DOWNSTREAM_STATUS_INTERVAL");
    if (!v) CPPUNIT_FAIL("DOWNSTREAM_STATUS_INTERVAL is not set: run scripts/test-status.sh");
    return std::atoi(v);
}

// The rules of docs/STATUS_API.md, written independently of the node: -1, 0, 1.
int compare_key(const Farmer& a, const Farmer& b, const std::string& key) {
    auto cmp = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
    if (key == "id") return cmp(a.id, b.id);  // std::string compares as unsigned bytes
    if (key == "address") return cmp(a.address, b.address);
    if (key == "uptime") return cmp(std::llround(a.uptime * 100), std::llround(b.uptime * 100));
    if (key == "heartbeats") return cmp(a.heartbeats, b.heartbeats);
    if (key == "contracts") return cmp(a.contracts, b.contracts);
    if (key == "size") return cmp(a.size, b.size);
    if (key == "online") return cmp(int(a.online), int(b.online));
    CPPUNIT_FAIL("unknown key " + key);
    return 0;
}

void expect_ordered(const std::vector<Farmer>& farmers, const std::string& key, bool descending,
                    const std::string& what) {
    for (std::size_t i = 1; i < farmers.size(); ++i) {
        const Farmer& a = farmers[i - 1];
        const Farmer& b = farmers[i];
        int c = compare_key(a, b, key);
        if (descending) c = -c;
        CPPUNIT_ASSERT_MESSAGE(what + ": " + a.id + " before " + b.id + " by " + key, c < 0 || (c == 0 && a.id < b.id));
    }
}

const std::vector<std::string> kKeys{"id", "address", "uptime", "heartbeats", "contracts", "size", "online"};

}  // namespace

// Locations through the API: set from the address a token is created from, and moved with it.
class StatusGeoTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(StatusGeoTest);
    CPPUNIT_TEST(locationsOfNewTokens);
    CPPUNIT_TEST(locationFollowsANewIp);
    CPPUNIT_TEST(ipHashIsKeyedAndNeverTheIp);
    CPPUNIT_TEST_SUITE_END();

public:
    void locationsOfNewTokens() {
        const struct {
            const char* ip;
            const Place* place;
        } cases[] = {{"81.2.69.142", &kLondon},
                     {"2.125.160.216", &kBoxford},
                     {"216.160.83.56", &kMilton},
                     {"89.160.20.112", &kLinkoping},
                     {"127.0.0.1", nullptr},
                     {"", nullptr}};  // no X-Forwarded-For: nginx's own 127.0.0.1
        int n = 100;
        for (const auto& c : cases) {
            const std::string token = new_token(++n, c.ip);
            const auto f = show(farmer_id_of(token));
            CPPUNIT_ASSERT_MESSAGE(c.ip, f.has_value());
            expect_place(*f, c.place, c.ip);
            CPPUNIT_ASSERT_EQUAL(test_address(n), f->address);
            CPPUNIT_ASSERT(!f->online);
            CPPUNIT_ASSERT_EQUAL(0.0, f->uptime);
            CPPUNIT_ASSERT(!f->last_due);
            // The lists show the same place once the index has caught up.
            CPPUNIT_ASSERT_MESSAGE(c.ip, eventually([&] {
                for (const Farmer& g : list("status/list"))
                    if (g.id == f->id) return g.place == f->place && g.lat == f->lat && g.lon == f->lon;
                return false;
            }));
        }
    }

    void locationFollowsANewIp() {
        const std::string token = new_token(120, "81.2.69.142");
        const std::string id = farmer_id_of(token);
        const auto before = show(id);
        expect_place(*before, &kLondon, "created in London");
        // A chunk request from Milton moves the token there (it may hold one more token).
        take_chunk(token, "216.160.83.56");
        const auto after = show(id);
        expect_place(*after, &kMilton, "after a chunk request from Milton");
        CPPUNIT_ASSERT(after->ip_hash != before->ip_hash);
        // The same IP again changes nothing; then to an address the database does not know.
        take_chunk(token, "216.160.83.56");
        expect_place(*show(id), &kMilton, "again from Milton");
        take_chunk(token, "10.11.12.13");
        expect_place(*show(id), nullptr, "from an unknown address");
        CPPUNIT_ASSERT(eventually([&] {
            for (const Farmer& g : list("status/list")) if (g.id == id) return !g.place.at("city");
            return false;
        }));
    }

    void ipHashIsKeyedAndNeverTheIp() {
        const std::string a = new_token(130, "89.160.20.113");
        const std::string b = new_token(131, "89.160.20.113");
        const std::string c = new_token(132, "89.160.20.114");
        const auto fa = show(farmer_id_of(a));
        const auto fb = show(farmer_id_of(b));
        const auto fc = show(farmer_id_of(c));
        CPPUNIT_ASSERT(encoding::is_hex(fa->ip_hash, 32));
        CPPUNIT_ASSERT_EQUAL(fa->ip_hash, fb->ip_hash);
        CPPUNIT_ASSERT(fa->ip_hash != fc->ip_hash);
        // Not an unkeyed hash of the IP either.
        CPPUNIT_ASSERT(fa->ip_hash != encoding::hex_encode(crypto::sha256("89.160.20.113")).substr(0, 32));
        const HttpReply all = get("status/list");
        CPPUNIT_ASSERT(all.body.find("89.160.20.113") == std::string::npos);
        CPPUNIT_ASSERT(get("status/show/" + fa->id).body.find("89.160.20.113") == std::string::npos);
    }
};

// Every route of DESIGN.md §2 "Status" and docs/STATUS_API.md against farmers with varied
// histories.
class StatusApiTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(StatusApiTest);
    CPPUNIT_TEST(seedFarmers);
    CPPUNIT_TEST(everySortKeyBothWays);
    CPPUNIT_TEST(pagesPutTogetherAreTheList);
    CPPUNIT_TEST(onlineFilter);
    CPPUNIT_TEST(errors);
    CPPUNIT_TEST(summaryAgreesWithTheList);
    CPPUNIT_TEST(cacheHeaders);
    CPPUNIT_TEST(cachedGzippedOnce);
    CPPUNIT_TEST(onlineGoesFalseAfterExpiry);
    CPPUNIT_TEST(uptimeOfAFarmerWithAGap);
    CPPUNIT_TEST_SUITE_END();

public:
    // Twelve more farmers: contracts now for some, and for others histories written into
    // their summary columns (first contract days ago, time covered, heartbeats, an interval
    // still open for hours), so every sort key has ties and differences.
    void seedFarmers() {
        const char* ips[] = {"81.2.69.150", "81.2.69.151", "2.125.160.217", "216.160.83.57", "89.160.20.115",
                             "175.16.199.1", "214.0.0.1", "214.0.1.1", "67.43.156.1", "127.0.0.1", "81.2.69.152",
                             "214.78.120.1"};
        std::vector<std::string> tokens;
        for (int i = 0; i < 12; ++i) tokens.push_back(new_token(200 + i, ips[i]));
        for (int i = 0; i < 4; ++i) CPPUNIT_ASSERT_EQUAL(std::size_t{1}, take_chunk(tokens[i], ips[i]));
        const std::int64_t now = now_ms();
        const std::int64_t day = 86400000;
        for (int i = 4; i < 12; ++i) {
            const std::int64_t first = now - (i + 1) * day;
            const std::int64_t start = first + (i % 3) * day / 2;
            const std::int64_t end = i % 2 ? now + 6 * 3600000 : start + day / 4;  // odd: online
            execute_sql("UPDATE tokens SET heartbeats = " + std::to_string((i % 4) * 10) +
                        ", first_contract_ms = " + std::to_string(first) + ", online_start_ms = " + std::to_string(start) +
                        ", online_end_ms = " + std::to_string(end) + ", covered_ms = " + std::to_string((i % 3) * day / 8) +
                        ", contracts_online = " + std::to_string(i % 2 ? i % 3 + 1 : 0) +
                        ", size_online = " + std::to_string(i % 2 ? (i % 3 + 1) * 32768 : 0) +
                        ", last_due_ms = " + std::to_string(end - 60000) + ", changed_ms = " + std::to_string(now) +
                        " WHERE farmer_id = '" + farmer_id_of(tokens[i]) + "'");
        }
        // The lists catch up within a few seconds. Every worker keeps its own index, refreshed
        // on its own schedule, so one up-to-date answer says nothing of the next worker's:
        // wait until a run of consecutive answers (spread over the workers) all agree.
        const auto all_listed = [&] {
            std::set<std::string> ids;
            for (const Farmer& f : list("status/list")) ids.insert(f.id);
            return std::all_of(tokens.begin(), tokens.end(), [&](auto& t) { return ids.count(farmer_id_of(t)); });
        };
        const auto heartbeats_sorted = [&] {
            for (const Farmer& f : list("status/list/by/d/heartbeats/5")) if (f.heartbeats == 30) return true;
            return false;
        };
        CPPUNIT_ASSERT(eventually([&] {
            for (int run = 0; run < 8; ++run)
                if (!all_listed() || !heartbeats_sorted()) return false;
            return show(farmer_id_of(tokens[5]))->heartbeats == 10;
        }, 10));
    }

    void everySortKeyBothWays() {
        const std::size_t n = list("status/list").size();
        CPPUNIT_ASSERT(n >= 12);  // seedFarmers (StatusGeo may run before or after)
        int checked = 0;
        for (const std::string& key : kKeys)
            for (bool desc : {false, true}) {
                const std::string path = std::string("status/list/by/") + (desc ? "d/" : "") + key;
                const auto farmers = list(path);
                CPPUNIT_ASSERT_EQUAL_MESSAGE(path, n, farmers.size());
                expect_ordered(farmers, key, desc, path);
                std::set<std::string> ids;
                for (const Farmer& f : farmers) ids.insert(f.id);
                CPPUNIT_ASSERT_EQUAL_MESSAGE(path + " repeats farmers", n, ids.size());
                // The same order on a page (limit 5, page 1: rows 5-9).
                const auto page = list(path + "/5/1");
                CPPUNIT_ASSERT_EQUAL(std::size_t{5}, page.size());
                expect_ordered(page, key, desc, path + "/5/1");
                ++checked;
            }
        CPPUNIT_ASSERT_EQUAL(14, checked);
        // Values differ between farmers for every key (the test would prove little otherwise).
        const auto all = list("status/list");
        for (const std::string& key : kKeys) {
            bool differ = false;
            for (const Farmer& f : all) differ = differ || compare_key(f, all.front(), key) != 0;
            CPPUNIT_ASSERT_MESSAGE("every farmer has the same " + key, differ);
        }
    }

    void pagesPutTogetherAreTheList() {
        // Keys whose values do not move with time here (no proofs arrive), so the pages and
        // the whole list are read from one state.
        for (const std::string path : {"status/list/by/heartbeats", "status/list/by/d/address", "status/list/by/d/id"}) {
            const auto whole = list(path);
            std::vector<std::string> joined;
            for (int page = 0; page * 4 < static_cast<int>(whole.size()) + 4; ++page)
                for (const Farmer& f : list(path + "/4/" + std::to_string(page))) joined.push_back(f.id);
            std::vector<std::string> want;
            for (const Farmer& f : whole) want.push_back(f.id);
            CPPUNIT_ASSERT_MESSAGE(path, joined == want);
        }
        // limit 15 page 2 -> rows 30..44 (0-based pages), by id.
        const auto by_id = list("status/list");
        const auto rows = list("status/list/2/3");
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, rows.size());
        CPPUNIT_ASSERT_EQUAL(by_id[6].id, rows[0].id);
        CPPUNIT_ASSERT_EQUAL(by_id[7].id, rows[1].id);
        CPPUNIT_ASSERT(list("status/list/by/d/uptime/25/1000").empty());
        CPPUNIT_ASSERT(list("status/list/1000/1").empty());
        CPPUNIT_ASSERT_EQUAL(by_id.size(), list("status/list/1000").size());
    }

    void onlineFilter() {
        // Two answers describe the same farmers unless a contract expired between them.
        CPPUNIT_ASSERT(eventually([] {
            const auto online = list("status/list/online");
            CPPUNIT_ASSERT(!online.empty());
            CPPUNIT_ASSERT(std::all_of(online.begin(), online.end(), [](const Farmer& f) { return f.online; }));
            const auto all = list("status/list");
            const auto count = std::count_if(all.begin(), all.end(), [](const Farmer& f) { return f.online; });
            CPPUNIT_ASSERT(static_cast<std::size_t>(count) < all.size());
            return static_cast<std::size_t>(count) == online.size();
        }));
        for (const std::string& key : kKeys) {
            const auto sorted = list("status/list/online/by/d/" + key);
            CPPUNIT_ASSERT(std::all_of(sorted.begin(), sorted.end(), [](const Farmer& f) { return f.online; }));
            expect_ordered(sorted, key, true, "online by d/" + key);
        }
        const auto page = list("status/list/online/2/0");
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, page.size());
        CPPUNIT_ASSERT(page[0].online && page[1].online && page[0].id < page[1].id);
        CPPUNIT_ASSERT(list("status/list/online/by/uptime/5/999").empty());
    }

    void errors() {
        for (const std::string path : {"status/list/by/ip", "status/list/by/d/location/5", "status/list/online/by/UPTIME/1/0"}) {
            const HttpReply r = get(path);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path, 400, r.status);
            auto doc = parse(r.body);
            CPPUNIT_ASSERT_EQUAL(std::string("error"), std::string((*doc)["status"].GetString()));
            CPPUNIT_ASSERT(std::string((*doc)["message"].GetString()).find("sort key") != std::string::npos);
        }
        CPPUNIT_ASSERT_EQUAL(400, get("status/list/by/uptime/ten").status);
        CPPUNIT_ASSERT_EQUAL(400, get("status/list/5/-1").status);
        const HttpReply missing = get("status/show/0123456789abcdef0123");
        CPPUNIT_ASSERT_EQUAL(404, missing.status);
        CPPUNIT_ASSERT_EQUAL(std::string("error"), std::string((*parse(missing.body))["status"].GetString()));
        CPPUNIT_ASSERT_EQUAL(404, get("status/show/not-a-farmer").status);
        CPPUNIT_ASSERT_EQUAL(404, get("status/nothing").status);
        // The original prefix serves the same routes.
        HttpCall call;
        call.path = "/api/downstream/status/list/by/d/uptime/3";
        CPPUNIT_ASSERT_EQUAL(200, http_call(call).status);
    }

    void summaryAgreesWithTheList() {
        // Read both until they describe one state (a refresh may fall between them).
        CPPUNIT_ASSERT(eventually([&] {
            const auto all = list("status/list");
            auto doc = parse(get("status/summary").body);
            const json::Value& s = *doc;
            std::int64_t online = 0, size = 0, heartbeats = 0;
            std::set<std::string> countries;
            std::vector<std::pair<int, std::string>> points;
            for (const Farmer& f : all) {
                heartbeats += f.heartbeats;
                if (f.online) {
                    ++online;
                    size += f.size;
                    if (f.place.at("country")) countries.insert(*f.place.at("country"));
                }
                if (f.lat && f.lon) points.emplace_back(f.online ? 0 : 1, f.id);
            }
            std::sort(points.begin(), points.end());
            if (s["farmers"].GetInt64() != static_cast<std::int64_t>(all.size()) || s["online"].GetInt64() != online ||
                s["size"].GetInt64() != size || s["heartbeats"].GetInt64() != heartbeats ||
                s["countries"].GetInt64() != static_cast<std::int64_t>(countries.size()) ||
                s["points"].Size() != points.size())
                return false;
            for (std::size_t i = 0; i < points.size(); ++i)
                if (points[i].second != s["points"][static_cast<rapidjson::SizeType>(i)]["id"].GetString()) return false;
            return true;
        }, 10));
    }

    void cacheHeaders() {
        for (const std::string path : {"status/list/by/d/uptime/25/0", "status/summary", "status/list"}) {
            const HttpReply first = get(path);
            CPPUNIT_ASSERT_EQUAL(std::string("public, max-age=5"), first.headers.at("cache-control"));
            // nginx keeps the answer a few seconds.
            const HttpReply second = get(path);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path, std::string("HIT"), second.headers.at("x-cache"));
        }
        CPPUNIT_ASSERT(get("status/show/0123456789abcdef0123").headers.count("x-cache") == 0);
    }

    // nginx keeps each answer gzipped (compressed once, not per reader): the cache file's
    // body is gzip data. Readers with and without gzip get the same JSON from that entry.
    void cachedGzippedOnce() {
        const char* cache_dir = std::getenv("DOWNSTREAM_STATUS_CACHE_DIR");
        CPPUNIT_ASSERT_MESSAGE("scripts/test-status.sh sets DOWNSTREAM_STATUS_CACHE_DIR", cache_dir);
        for (const std::string path : {"status/summary", "status/list"}) {
            get(path);
            HttpCall call;
            call.path = "/api/downstream/v1/" + path;
            call.headers.emplace_back("Accept-Encoding", "gzip, deflate");
            const HttpReply zipped = http_call(call);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path, 200, zipped.status);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path, std::string("HIT"), zipped.headers.at("x-cache"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path, std::string("gzip"), zipped.headers.at("content-encoding"));
            std::string text;
            CPPUNIT_ASSERT(!http::decode_body(zipped.body, std::size_t{1} << 30, text));

            const HttpReply plain = get(path);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path, std::string("HIT"), plain.headers.at("x-cache"));
            CPPUNIT_ASSERT_MESSAGE(path, plain.headers.count("content-encoding") == 0);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path, plain.body, text);
            CPPUNIT_ASSERT(json::parse_json(text).ok());

            const std::string stored = cached_body(cache_dir, "GET" + call.path);
            CPPUNIT_ASSERT_MESSAGE(path + ": no cache file", !stored.empty());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path, std::string("\x1f\x8b"), stored.substr(0, 2));
        }
    }

    void onlineGoesFalseAfterExpiry() {
        const std::string token = new_token(300, "214.0.0.7");
        const std::string id = farmer_id_of(token);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, take_chunk(token, "214.0.0.7"));
        const std::int64_t issued = now_ms();
        auto f = show(id);
        CPPUNIT_ASSERT(f->online);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, f->contracts);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{4096}, f->size);
        CPPUNIT_ASSERT(f->last_due);
        const auto in_online_list = [&] {
            for (const Farmer& g : list("status/list/online")) if (g.id == id) return true;
            return false;
        };
        CPPUNIT_ASSERT(eventually(in_online_list));
        // Unanswered, the contract expires at its due time, one interval after issue.
        const std::int64_t interval = interval_s() * 1000;
        std::this_thread::sleep_for(std::chrono::milliseconds(std::max<std::int64_t>(0, issued + interval + 50 - now_ms())));
        f = show(id);
        CPPUNIT_ASSERT(!f->online);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, f->contracts);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, f->size);
        CPPUNIT_ASSERT(eventually([&] { return !in_online_list(); }, 3));
        // The sweep (run by the status index, no cleandb) takes it out of the counters within
        // about a second of requests.
        CPPUNIT_ASSERT(eventually([&] {
            list("status/list/by/d/uptime/1");
            return query_number("SELECT contracts_online FROM tokens WHERE farmer_id = '" + id + "'") == 0 &&
                   query_number("SELECT COUNT(*) FROM contracts c JOIN tokens t ON t.id = c.token_id"
                                " WHERE t.farmer_id = '" + id + "' AND c.online = 1") == 0;
        }, 4));
    }

    void uptimeOfAFarmerWithAGap() {
        // Online one interval [0, i), offline until 2i, online [2i, 3i): at 3i, 2/3 = 66.67 %;
        // measured with the times the node stamped.
        const std::string token = new_token(301, "214.0.0.8");
        const std::string id = farmer_id_of(token);
        CPPUNIT_ASSERT_EQUAL(0.0, show(id)->uptime);  // no contract yet: 0 %
        const std::int64_t interval = interval_s() * 1000;
        take_chunk(token, "214.0.0.8");
        std::this_thread::sleep_for(std::chrono::milliseconds(2 * interval));
        take_chunk(token, "214.0.0.8");
        std::this_thread::sleep_for(std::chrono::milliseconds(interval + 200));
        const std::int64_t first = query_number("SELECT first_contract_ms FROM tokens WHERE farmer_id = '" + id + "'");
        const std::int64_t start = query_number("SELECT online_start_ms FROM tokens WHERE farmer_id = '" + id + "'");
        const std::int64_t covered = query_number("SELECT covered_ms FROM tokens WHERE farmer_id = '" + id + "'");
        CPPUNIT_ASSERT_EQUAL(interval, covered);  // the first stint, closed by the gap
        CPPUNIT_ASSERT(start - first >= 2 * interval);
        const std::int64_t before = now_ms();
        const auto f = show(id);
        const std::int64_t after = now_ms();
        CPPUNIT_ASSERT(!f->online);
        // online time = 2 intervals; elapsed since the first contract between before and after.
        const double low = std::round(10000.0 * 2 * interval / (after - first)) / 100;
        const double high = std::round(10000.0 * 2 * interval / (before - first)) / 100;
        CPPUNIT_ASSERT_MESSAGE(std::to_string(f->uptime), f->uptime >= low && f->uptime <= high);
        CPPUNIT_ASSERT(f->uptime > 55 && f->uptime < 67);
    }
};

// A missing or corrupt GeoIP file: one clear error in the serve log, null locations, and the
// node still serves. scripts/test-status.sh restarts the stack with the broken file first.
class StatusNoGeoTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(StatusNoGeoTest);
    CPPUNIT_TEST(oneErrorNullLocationsStillServing);
    CPPUNIT_TEST_SUITE_END();

public:
    void oneErrorNullLocationsStillServing() {
        const char* log_path = std::getenv("DOWNSTREAM_STATUS_SERVE_LOG");
        const char* broken = std::getenv("DOWNSTREAM_STATUS_GEO_BROKEN");
        CPPUNIT_ASSERT_MESSAGE("run through scripts/test-status.sh", log_path && broken);
        static int n = 400;
        const std::string token = new_token(++n, "81.2.69.142");
        const auto f = show(farmer_id_of(token));
        CPPUNIT_ASSERT(f.has_value());
        expect_place(*f, nullptr, "London without a GeoIP database");
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, take_chunk(token, "216.160.83.56"));
        expect_place(*show(farmer_id_of(token)), nullptr, "Milton without a GeoIP database");
        CPPUNIT_ASSERT(!list("status/list").empty());
        std::ifstream in(log_path);
        std::string line;
        int mentions = 0;
        std::string said;
        while (std::getline(in, line))
            if (line.find(broken) != std::string::npos) {
                ++mentions;
                said = line;
            }
        CPPUNIT_ASSERT_EQUAL_MESSAGE(said, 1, mentions);
        CPPUNIT_ASSERT_MESSAGE(said, said.find("error") != std::string::npos &&
                                         said.find("cannot open GeoIP database") != std::string::npos &&
                                         said.find("locations will be unknown") != std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StatusGeoTest);
CPPUNIT_TEST_SUITE_REGISTRATION(StatusApiTest);
CPPUNIT_TEST_SUITE_REGISTRATION(StatusNoGeoTest);
