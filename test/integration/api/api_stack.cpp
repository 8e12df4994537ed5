#include "integration/api/api_stack.h"

#include "base/clock.h"
#include "crypto/secure_random.h"
#include "encoding/hex.h"
#include "identity/token.h"
#include "integration/store/node_process.h"
#include "integration/store/store_fixture.h"
#include "store/address_repository.h"

#include <dirent.h>

#include <cppunit/TestAssert.h>

#include <cstdlib>
#include <fstream>
#include <mutex>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

namespace downstream::testing {
namespace {

std::string required_env(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0')
        CPPUNIT_FAIL(std::string(name) + " is not set: run the API tests through scripts/test-api.sh");
    return value;
}

// SQL text of a string literal (the values passed are hex or addresses: no quotes inside).
std::string sql_text(const std::string& value) {
    for (char c : value)
        if (c == '\'' || c == '\\') CPPUNIT_FAIL("unexpected character in SQL value " + value);
    return "'" + value + "'";
}

}  // namespace

farmer::Endpoint api_endpoint() {
    auto endpoint = farmer::parse_url(required_env("DOWNSTREAM_API_URL"));
    if (!endpoint) CPPUNIT_FAIL("DOWNSTREAM_API_URL: " + endpoint.error().message);
    return *endpoint;
}

const std::string& stack_dir() {
    static const std::string dir = required_env("DOWNSTREAM_API_STACK");
    return dir;
}

const node::Config& stack_config() {
    static std::once_flag once;
    static node::Config config;
    std::call_once(once, [] {
        std::vector<std::string> paths{stack_dir() + "/node.conf"};
        std::ifstream extra(stack_dir() + "/extra-configs");
        for (std::string line; std::getline(extra, line);)
            if (!line.empty()) paths.push_back(line);
        auto loaded = node::load_config(paths);
        if (!loaded) CPPUNIT_FAIL("the stack's configuration: " + loaded.error().message);
        config = *loaded;
    });
    return config;
}

std::int64_t interval_ms() { return stack_config().contract_interval_s * 1000; }

std::string run_admin(const std::vector<std::string>& args) {
    std::vector<std::string> full{"--config", stack_dir() + "/node.conf"};
    std::ifstream extra(stack_dir() + "/extra-configs");
    for (std::string line; std::getline(extra, line);)
        if (!line.empty()) full.insert(full.end(), {"--config", line});
    full.insert(full.end(), args.begin(), args.end());
    const NodeRun run = run_node(full, 60);
    if (run.exit_code != 0) CPPUNIT_FAIL("downstream-node " + args.front() + " failed: " + run.err);
    return run.err;
}

pid_t serve_master_pid() {
    std::ifstream in(stack_dir() + "/run/serve.pid");
    long pid = 0;
    in >> pid;
    if (pid <= 0) CPPUNIT_FAIL("no pid in " + stack_dir() + "/run/serve.pid");
    return static_cast<pid_t>(pid);
}

std::vector<pid_t> serve_worker_pids() {
    const pid_t master = serve_master_pid();
    std::vector<pid_t> workers;
    std::unique_ptr<DIR, int (*)(DIR*)> proc(opendir("/proc"), closedir);
    if (!proc) CPPUNIT_FAIL("cannot list /proc");
    while (dirent* entry = readdir(proc.get())) {
        const std::string name = entry->d_name;
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream stat("/proc/" + name + "/stat");
        std::string line;
        if (!std::getline(stat, line)) continue;  // gone meanwhile
        // pid (comm) state ppid ...: comm may hold spaces, so read after the last ')'.
        const std::size_t close = line.rfind(')');
        if (close == std::string::npos) continue;
        std::istringstream rest(line.substr(close + 1));
        std::string state;
        long ppid = 0;
        rest >> state >> ppid;
        if (ppid == master && state != "Z") workers.push_back(static_cast<pid_t>(std::stol(name)));
    }
    return workers;
}

std::string fresh_ip() {
    static std::mutex mutex;
    static std::set<std::string> used;
    std::lock_guard<std::mutex> lock(mutex);
    for (;;) {
        const std::string r = crypto::secure_random_bytes(3);
        const std::string ip = "10." + std::to_string(static_cast<unsigned char>(r[0])) + "." +
                               std::to_string(static_cast<unsigned char>(r[1])) + "." +
                               std::to_string(static_cast<unsigned char>(r[2]));
        if (used.insert(ip).second) return ip;
    }
}

farmer::FarmerKey whitelisted_key(std::int64_t balance, identity::KeyForm form) {
    farmer::FarmerKey key = farmer::FarmerKey::generate(form);
    const bool added = store::AddressRepository(test_database())
                           .add(store::WhitelistEntry{key.address(), balance}, SystemClock().now_ms());
    if (!added) CPPUNIT_FAIL("address " + key.address() + " was already on the whitelist");
    return key;
}

std::unique_ptr<farmer::FarmerClient> make_client(const std::string& ip, const std::string& prefix) {
    farmer::FarmerOptions options;
    options.http.endpoint = api_endpoint();
    options.http.forwarded_for = ip.empty() ? fresh_ip() : ip;
    options.http.timeout_seconds = 60;
    options.prefix = prefix;
    return std::make_unique<farmer::FarmerClient>(options);
}

TestFarmer new_farmer(const std::string& prefix) {
    TestFarmer farmer{whitelisted_key(), make_client("", prefix)};
    const std::string message = "test farmer " + farmer.key.address();
    Status token = farmer.client->request_signed_token(farmer.key.address(), message,
                                                       farmer.key.sign(message));
    if (!token) CPPUNIT_FAIL("the node refused a token: " + token.error().message);
    return farmer;
}

std::vector<farmer::Contract> contracts_for(farmer::FarmerClient& client, std::int64_t size,
                                            std::size_t expected_count) {
    auto contracts = client.request_contracts(size);
    if (!contracts) CPPUNIT_FAIL("contracts for " + std::to_string(size) + " bytes: " + contracts.error().message);
    if (contracts->size() != expected_count)
        CPPUNIT_FAIL("expected " + std::to_string(expected_count) + " contracts for " +
                     std::to_string(size) + " bytes, got " + std::to_string(contracts->size()) +
                     " (is the pool filled?)");
    return std::move(contracts).value();
}

farmer::HttpResponse raw_request(const std::string& method, const std::string& path,
                                 const std::string& body, const farmer::HeaderList& headers,
                                 const std::string& ip) {
    farmer::HttpClientOptions options;
    options.endpoint = api_endpoint();
    options.forwarded_for = ip.empty() ? fresh_ip() : ip;
    farmer::HttpClient client(options);
    return client.request(method, path, body, headers);
}

farmer::HttpResponse api_get(const std::string& route, const std::string& ip) {
    return raw_request("GET", std::string(farmer::kClientPrefix) + route, "", {}, ip);
}

farmer::HttpResponse api_post(const std::string& route, const std::string& body,
                              const farmer::HeaderList& headers, const std::string& ip) {
    farmer::HeaderList all{{"Content-Type", "application/json"}};
    all.insert(all.end(), headers.begin(), headers.end());
    return raw_request("POST", std::string(farmer::kClientPrefix) + route, body, all, ip);
}

std::string quoted(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

std::string error_json(const std::string& message) {
    return "{\"status\":\"error\",\"message\":" + quoted(message) + "}";
}

void assert_error(const farmer::HttpResponse& response, int status, const std::string& message) {
    CPPUNIT_ASSERT_EQUAL_MESSAGE(response.body, status, response.status);
    CPPUNIT_ASSERT_EQUAL(error_json(message), response.body);
    CPPUNIT_ASSERT_EQUAL(std::string("application/json"), response.headers.at("content-type"));
}

void assert_json(const farmer::HttpResponse& response, const std::string& body) {
    CPPUNIT_ASSERT_EQUAL_MESSAGE(response.body, 200, response.status);
    CPPUNIT_ASSERT_EQUAL(body, response.body);
    CPPUNIT_ASSERT_EQUAL(std::string("application/json"), response.headers.at("content-type"));
}

std::string normalise_due(const std::string& body, std::int64_t min_due, std::int64_t max_due) {
    static const std::regex due("\"due\":([0-9]+)");
    for (auto it = std::sregex_iterator(body.begin(), body.end(), due); it != std::sregex_iterator(); ++it) {
        const std::int64_t n = std::stoll((*it)[1].str());
        if (n < min_due || n > max_due)
            CPPUNIT_FAIL("due " + std::to_string(n) + " is not in [" + std::to_string(min_due) + ", " +
                         std::to_string(max_due) + "] in " + body);
    }
    return std::regex_replace(body, due, "\"due\":D");
}

std::string challenge_entry(const farmer::Contract& c, bool answered) {
    return std::string("{\"answered\":") + (answered ? "true" : "false") + ",\"challenge\":" +
           c.challenge_json + ",\"due\":D,\"file_hash\":" + quoted(c.file_hash) + "}";
}

std::string farmer_id_of(const std::string& token) {
    auto parsed = identity::Token::parse(token);
    if (!parsed) CPPUNIT_FAIL("not a token: " + token);
    return parsed->farmer_id();
}

std::int64_t db_heartbeats(const std::string& token) {
    return query_number("SELECT heartbeats FROM tokens WHERE farmer_id = " + sql_text(farmer_id_of(token)));
}

std::string db_token_ip(const std::string& token) {
    const auto ips = query_strings("SELECT ip FROM tokens WHERE farmer_id = " + sql_text(farmer_id_of(token)));
    if (ips.size() != 1) CPPUNIT_FAIL("no token row for farmer " + farmer_id_of(token));
    return ips.front();
}

std::int64_t db_contracts(const std::string& token) {
    return query_number("SELECT COUNT(*) FROM contracts c JOIN tokens t ON t.id = c.token_id"
                        " WHERE t.farmer_id = " + sql_text(farmer_id_of(token)));
}

namespace {

std::int64_t contract_column(const std::string& file_hash, const std::string& column) {
    const auto values = query_strings("SELECT CAST(" + column + " AS CHAR) FROM contracts WHERE file_hash = UNHEX(" +
                                      sql_text(file_hash) + ")");
    if (values.size() != 1) CPPUNIT_FAIL("no single contract with file hash " + file_hash);
    return std::stoll(values.front());
}

}  // namespace

std::int64_t db_due_ms(const std::string& file_hash) { return contract_column(file_hash, "due_ms"); }

std::int64_t db_expiration_ms(const std::string& file_hash) {
    return contract_column(file_hash, "expiration_ms");
}

void sleep_until_unix_ms(std::int64_t unix_ms, int margin_ms) {
    std::this_thread::sleep_until(std::chrono::system_clock::time_point(std::chrono::milliseconds(unix_ms + margin_ms)));
}

void sleep_until(farmer::SteadyTime deadline, int margin_ms) {
    std::this_thread::sleep_until(deadline + std::chrono::milliseconds(margin_ms));
}

std::string wrong_file(const farmer::Contract& contract) {
    return farmer::regenerate_file(contract.seed + "-not-this-one", contract.size);
}

}  // namespace downstream::testing
