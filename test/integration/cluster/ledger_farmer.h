// A farmer of the cluster tests: the shipped client's cycle (token, contracts, rounds of
// answers and next challenges, as farmer::farm_rounds) that writes down every outcome the node
// gave it, so a test can hold the database to exactly what the node acknowledged.
#pragma once

#include "integration/cluster/cluster_env.h"
#include "integration/cluster/start_gate.h"

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace downstream::testing::cluster {

struct FarmerLedger {
    std::string address;
    std::string ip;
    std::string token;
    std::string farmer_id;
    std::vector<std::string> seeds;  // of every contract received
    std::int64_t contract_bytes = 0;    // their sizes added up
    std::int64_t answers_ok = 0;        // "status": "ok": the node counted a heartbeat
    std::int64_t answers_ok_late = 0;   // ... of them, sent after the plan's `mark` was set
    // The node may or may not have counted these: the request failed (HTTP error, connection),
    // or it says "challenge already answered" (what a rerun of a committed answer reports).
    std::int64_t answers_unknown = 0;
    std::int64_t answers_refused = 0;   // any other error entry (e.g. "contract expired")
    std::int64_t request_failures = 0;  // requests answered with an HTTP error or not at all
    int rounds_done = 0;
    std::vector<std::string> problems;  // the first few failures, for messages
};

struct FarmerPlan {
    Via via = Via::BothPools;
    std::int64_t size = 32768;  // bytes of contracts to ask for
    int rounds = 3;             // at most this many rounds
    // Set by the test: stop after the current round. Unset: run `rounds` rounds.
    const std::atomic<bool>* stop = nullptr;
    // Set by the test at the moment of interest (a member stopped): answers sent after it
    // count in answers_ok_late.
    const std::atomic<bool>* mark = nullptr;
    // Passed after the token and before asking for contracts.
    StartGate* before_contracts = nullptr;
};

// Farms with a new whitelisted address from a fresh IP according to `plan`; never throws for
// what the node or the network does (that goes into the ledger).
void run_farmer(const FarmerPlan& plan, FarmerLedger& ledger);

}  // namespace downstream::testing::cluster
