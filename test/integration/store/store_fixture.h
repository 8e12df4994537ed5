// Shared by the store integration tests: the test database (a private MariaDB started by
// scripts/test-integration.sh, reached through $DOWNSTREAM_TEST_DB_URI), a clean slate per
// test, and small builders for farmers and pool chunks.
#pragma once

#include "proof/heartbeat_scheme.h"
#include "store/chunk_pool_repository.h"
#include "store/database.h"
#include "store/db_settings.h"
#include "store/token_repository.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace downstream::testing {

// The settings of $DOWNSTREAM_TEST_DB_URI; fails the calling test loudly when unset.
store::DbSettings test_db_settings();

// One Database for the whole test run, with every migration applied.
store::Database& test_database();

// Empties every table except schema_migrations.
void reset_database();

// Runs one SQL statement without parameters on the test database (test set-up only).
void execute_sql(const std::string& sql);
// The first column of the first row of a query, as a number.
std::int64_t query_number(const std::string& sql);
// The first column of every row of a query, as text.
std::vector<std::string> query_strings(const std::string& sql);

// The scheme and key the tests fill the pool with.
// The Merkle scheme keyed with 32 'k' bytes (the key the fixture records), n = 256.
const proof::HeartbeatScheme& test_scheme();
store::PoolKey test_pool_key();

// Adds `count` pool chunks of `size` bytes (real seeds, hashes, tags and states).
void add_pool_chunks(std::int64_t size, int count);

// A whitelisted address (balance 10^6) and a token for it; returns the token.
store::TokenRecord make_farmer(const std::string& address, const std::string& ip);

// Runs body(0) .. body(n - 1) on n threads at once and joins them; an exception (or failed
// assertion) in any thread fails the calling test after all have ended.
void run_in_threads(int n, const std::function<void(int)>& body);

// A syntactically valid address, different for each n (base58check, 21-byte payload).
std::string test_address(int n);

}  // namespace downstream::testing
