// Shared by the API integration tests (suites Api*): the running node stack that
// scripts/test-api.sh started with scripts/node-stack.sh (real nginx, worker pool, MariaDB),
// fresh farmers on it, raw requests, and what the database says.
//
// Environment (set by scripts/test-api.sh):
//   DOWNSTREAM_API_URL      nginx in front of the node, e.g. http://127.0.0.1:18131
//   DOWNSTREAM_API_STACK    the stack's folder (node.conf, run/serve.pid)
//   DOWNSTREAM_TEST_DB_URI  the stack's database (integration/store/store_fixture.h helpers)
//
// Every test works with its own addresses, tokens and client IPs (X-Forwarded-For, which the
// node believes from nginx on 127.0.0.1), so tests never see each other's farmers.
#pragma once

#include "farmer/farmer_client.h"
#include "farmer/farmer_key.h"
#include "node/config.h"

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace downstream::testing {

farmer::Endpoint api_endpoint();
const std::string& stack_dir();
// The stack's effective configuration (its node.conf and layered files).
const node::Config& stack_config();
// The contract interval in milliseconds.
std::int64_t interval_ms();

// Runs the node's admin CLI on the stack's configuration (e.g. {"revoke-token", TOKEN});
// fails the test unless it exits 0. Returns its standard error (where it logs).
std::string run_admin(const std::vector<std::string>& args);

// The pool master's pid and its worker processes' pids.
pid_t serve_master_pid();
std::vector<pid_t> serve_worker_pids();

// A client IP no other test uses (10.x.y.z, random).
std::string fresh_ip();

// A new key whose address is on the whitelist with `balance`.
farmer::FarmerKey whitelisted_key(std::int64_t balance = 1000000,
                                  identity::KeyForm form = identity::KeyForm::Compressed);

// A farmer client appearing from `ip` (a fresh one when empty), under `prefix`.
std::unique_ptr<farmer::FarmerClient> make_client(const std::string& ip = "",
                                                  const std::string& prefix = std::string(farmer::kClientPrefix));

// A farmer holding a token: a new whitelisted key, a fresh IP, a signed POST /new (which works
// whether or not the node requires signatures). Fails the test if the node refuses.
struct TestFarmer {
    farmer::FarmerKey key;
    std::unique_ptr<farmer::FarmerClient> client;
    farmer::FarmerClient& operator*() { return *client; }
    farmer::FarmerClient* operator->() { return client.get(); }
};
TestFarmer new_farmer(const std::string& prefix = std::string(farmer::kClientPrefix));

// Contracts for a farmer: exactly the sizes the node should give for `size` (fails the test
// otherwise, with the reply).
std::vector<farmer::Contract> contracts_for(farmer::FarmerClient& client, std::int64_t size,
                                            std::size_t expected_count);

// One request on a new client from `ip` (fresh when empty). `path` is the full path.
farmer::HttpResponse raw_request(const std::string& method, const std::string& path,
                                 const std::string& body = "", const farmer::HeaderList& headers = {},
                                 const std::string& ip = "");
// GET / POST of `route` under the client prefix /api/downstream/v1.
farmer::HttpResponse api_get(const std::string& route, const std::string& ip = "");
farmer::HttpResponse api_post(const std::string& route, const std::string& body,
                              const farmer::HeaderList& headers = {}, const std::string& ip = "");

// {"status":"error","message":"<message>"} exactly as the node writes it.
std::string error_json(const std::string& message);
// Asserts status and exact body of an error reply, and that it is JSON.
void assert_error(const farmer::HttpResponse& response, int status, const std::string& message);
// Asserts a 200 JSON reply with exactly `body`.
void assert_json(const farmer::HttpResponse& response, const std::string& body);

// `body` with every "due":<n> replaced by "due":D, after checking min_due <= n <= max_due.
std::string normalise_due(const std::string& body, std::int64_t min_due, std::int64_t max_due);
// A challenge list entry with "due":D (see normalise_due).
std::string challenge_entry(const farmer::Contract& contract, bool answered);

// "\"text\"": a JSON string (for building expected bodies).
std::string quoted(const std::string& text);

// The farmer id (20 hex) of a token, and facts the database holds about its farmer.
std::string farmer_id_of(const std::string& token);
std::int64_t db_heartbeats(const std::string& token);
std::string db_token_ip(const std::string& token);
std::int64_t db_contracts(const std::string& token);

// A contract's due time and expiration as the database holds them (UTC epoch ms).
std::int64_t db_due_ms(const std::string& file_hash);
std::int64_t db_expiration_ms(const std::string& file_hash);
// Sleeps until the system clock (the node's clock) reads `unix_ms` plus `margin_ms`.
void sleep_until_unix_ms(std::int64_t unix_ms, int margin_ms = 250);

// Sleeps until `deadline` plus `margin_ms` (steady clock).
void sleep_until(farmer::SteadyTime deadline, int margin_ms = 0);

// The same contract with another file (the seed's stream of another seed): proofs from it
// are built from the wrong bytes.
std::string wrong_file(const farmer::Contract& contract);

}  // namespace downstream::testing
