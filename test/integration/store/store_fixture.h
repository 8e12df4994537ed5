// Shared by the store integration tests: the test database (a private MariaDB started by
// scripts/test-integration.sh, reached through $DOWNSTREAM_TEST_DB_URI), a clean slate per
// test, and small builders for farmers and pool chunks.
#pragma once

#include "proof/heartbeat_scheme.h"
#include "store/chunk_pool_repository.h"
#include "store/contract_repository.h"
#include "store/database.h"
#include "store/db_settings.h"
#include "store/token_repository.h"

#include <cstdint>
#include <functional>
#include <optional>
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

// Records `claims` for the farmer the way the answer routes do (ContractRepository::answer):
// its contracts among `file_hashes` are read under the group's locks and the claims, fixed in
// advance, are what the decision returns. `seen`, if given, receives what the decision was
// shown. Outcomes in claim order; nullopt for an unknown token.
std::optional<std::vector<store::AnswerOutcome>> answer_claims(
    store::ContractRepository& contracts, const std::string& token_hash,
    const std::vector<std::string>& file_hashes, const std::vector<store::AnswerClaim>& claims,
    UnixMillis at, std::vector<store::ContractRecord>* seen = nullptr);

// One claim for one contract of the farmer (read by its file hash), as answer_claims.
store::AnswerOutcome answer_one(store::ContractRepository& contracts, const store::TokenRecord& farmer,
                                const store::ContractRecord& contract, store::AnswerClaim claim,
                                UnixMillis at);

// Runs body(0) .. body(n - 1) on n threads at once and joins them; an exception (or failed
// assertion) in any thread fails the calling test after all have ended.
void run_in_threads(int n, const std::function<void(int)>& body);

// A syntactically valid address, different for each n (base58check, 21-byte payload).
std::string test_address(int n);

}  // namespace downstream::testing
