#include "integration/cluster/cluster_env.h"

#include "integration/api/api_stack.h"
#include "integration/store/store_fixture.h"
#include "store/address_repository.h"
#include "store/db_settings.h"
#include "store/node_settings_repository.h"
#include "store/transaction.h"

#include <cppunit/TestAssert.h>

#include <array>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>

namespace downstream::testing::cluster {
namespace {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

std::string env(const std::string& name) {
    const char* value = std::getenv(name.c_str());
    if (!value || !*value)
        CPPUNIT_FAIL(name + " is not set: run the cluster tests through scripts/test-cluster.sh");
    return value;
}

std::int64_t unix_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

void galera(const std::string& action, int number) {
    std::istringstream words(env("DOWNSTREAM_CLUSTER_GALERA"));
    std::string script, dir;
    words >> script >> dir;
    const std::string command = script + " " + action + " " + dir + " " + std::to_string(number) +
                                " >>" + dir + "/test-actions.log 2>&1";
    const int rc = std::system(command.c_str());
    CPPUNIT_ASSERT_EQUAL_MESSAGE(command, 0, rc);
}

}  // namespace

farmer::Endpoint endpoint(Via via) {
    const char* name = via == Via::PoolA   ? "DOWNSTREAM_CLUSTER_URL_A"
                       : via == Via::PoolB ? "DOWNSTREAM_CLUSTER_URL_B"
                                           : "DOWNSTREAM_CLUSTER_URL";
    auto parsed = farmer::parse_url(env(name));
    if (!parsed) CPPUNIT_FAIL(std::string(name) + ": " + parsed.error().message);
    return *parsed;
}

std::string describe(Via via) {
    return via == Via::PoolA ? "pool A" : via == Via::PoolB ? "pool B" : "both pools";
}

Member::Member(int number) : number_(number) {
    const std::string name = "DOWNSTREAM_CLUSTER_DB_URI_" + std::to_string(number);
    auto settings = store::parse_db_uri(env(name));
    if (!settings) CPPUNIT_FAIL(name + ": " + settings.error().message);
    database_ = std::make_unique<store::Database>(*settings);
}

std::vector<std::string> Member::strings(const std::string& sql) {
    std::vector<std::string> values;
    database_->autocommit([&](store::Transaction& tx) {
        values.clear();
        tx.session() << sql, into(values), now;
    });
    return values;
}

std::int64_t Member::number(const std::string& sql) {
    std::vector<std::int64_t> values;
    database_->autocommit([&](store::Transaction& tx) {
        values.clear();
        tx.session() << sql, into(values), now;
    });
    return values.empty() ? 0 : values.front();
}

std::int64_t Member::status(const std::string& name) {
    std::vector<std::string> values;
    std::string variable = name;
    database_->autocommit([&](store::Transaction& tx) {
        values.clear();
        tx.session() << "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS"
                        " WHERE VARIABLE_NAME = UPPER(?)",
            use(variable), into(values), now;
    });
    if (values.empty()) CPPUNIT_FAIL("member " + std::to_string(number_) + " has no status " + name);
    return std::stoll(values.front());
}

Member& member(int number) {
    static std::mutex mutex;
    static std::array<std::unique_ptr<Member>, 3> members;
    CPPUNIT_ASSERT(number >= 1 && number <= 3);
    std::lock_guard<std::mutex> lock(mutex);
    auto& slot = members[static_cast<std::size_t>(number - 1)];
    if (!slot) slot = std::make_unique<Member>(number);
    return *slot;
}

void stop_member(int number) { galera("stop-member", number); }

void start_member(int number) {
    galera("start-member", number);
    // Its sessions died with the server: connect afresh.
    member(number).database().close_idle_sessions();
}

std::size_t access_log_lines() {
    std::ifstream log(env("DOWNSTREAM_CLUSTER_ACCESS_LOG"));
    std::size_t lines = 0;
    for (std::string line; std::getline(log, line);) ++lines;
    return lines;
}

std::map<std::string, std::int64_t> requests_per_pool(std::size_t from_line) {
    const std::string a = env("DOWNSTREAM_CLUSTER_SOCKET_A");
    const std::string b = env("DOWNSTREAM_CLUSTER_SOCKET_B");
    std::map<std::string, std::int64_t> counts{{"A", 0}, {"B", 0}};
    std::ifstream log(env("DOWNSTREAM_CLUSTER_ACCESS_LOG"));
    std::size_t n = 0;
    for (std::string line; std::getline(log, line); ++n) {
        if (n < from_line) continue;
        // $upstream_addr: "unix:/path" or "unix:/a, unix:/b" when nginx tried both.
        if (line.find(a) != std::string::npos) ++counts["A"];
        if (line.find(b) != std::string::npos) ++counts["B"];
    }
    return counts;
}

std::int64_t node_pool_chunks(Member& from) {
    return from.number("SELECT COUNT(*) FROM chunk_pool WHERE key_fingerprint ="
                       " UNHEX((SELECT value FROM node_settings WHERE name = '" +
                       std::string(store::kHeartbeatKeyFingerprint) + "'))");
}

TableSnapshot snapshot(Member& from) {
    TableSnapshot s;
    s.tokens = from.strings(
        "SELECT CONCAT_WS('|', farmer_id, address, ip, created_ms, heartbeats,"
        " IFNULL(first_contract_ms, '-'), IFNULL(online_start_ms, '-'), IFNULL(online_end_ms, '-'),"
        " covered_ms, contracts_online, size_online, IFNULL(last_due_ms, '-'), changed_ms)"
        " FROM tokens ORDER BY farmer_id");
    s.contracts = from.strings(
        "SELECT CONCAT_WS('|', COUNT(*), SUM(answered), SUM(online), SUM(size),"
        " SUM(CRC32(CONCAT_WS('|', id, token_id, file_id, HEX(file_hash), due_ms, answered,"
        " expiration_ms, HEX(state), HEX(challenge)))))"
        " FROM contracts");
    s.pool_chunks = from.number("SELECT COUNT(*) FROM chunk_pool");
    return s;
}

std::string next_ip() { return fresh_ip(); }

std::string next_address() {
    static std::mutex mutex;
    static int next = static_cast<int>(unix_ms() % 1000000) * 1000;
    std::lock_guard<std::mutex> lock(mutex);
    const std::string address = test_address(next++);
    store::AddressRepository(member(3).database())
        .add(store::WhitelistEntry{address, 1000000}, unix_ms());
    return address;
}

}  // namespace downstream::testing::cluster
