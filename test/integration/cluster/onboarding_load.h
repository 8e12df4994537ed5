// A closed-loop load of new farmers, each cycle four requests and three writes that Galera
// certifies: GET /new/<address> (a token), GET /chunk/<token>/<size> (a pool draw), POST
// /answer/<token> (a heartbeat), GET /status/show/<farmer id>. The cluster tests run it to
// compare throughput through one pool and through two, and as background writes while a
// member stops.
#pragma once

#include "integration/cluster/cluster_env.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace downstream::testing::cluster {

struct OnboardingPlan {
    Via via = Via::BothPools;
    int threads = 4;
    std::int64_t chunk_size = 4096;      // one chunk per cycle
    std::chrono::milliseconds duration{8000};
    std::int64_t max_cycles = 1000;      // over all threads: the pool must hold this many chunks
    const std::atomic<bool>* stop = nullptr;  // ends the run early when set
};

struct OnboardingTally {
    std::int64_t cycles = 0;          // cycles whose four requests all succeeded
    std::int64_t failed_cycles = 0;   // cycles that ended with an error (counted in problems)
    std::int64_t requests = 0;        // HTTP requests answered (any status)
    std::int64_t answers_ok = 0;
    std::int64_t answers_unknown = 0;  // request failed or "challenge already answered"
    double seconds = 0;                // wall time of the run
    std::vector<std::string> seeds;    // of every contract received
    std::map<std::string, std::int64_t> ok_by_farmer;  // farmer id -> acknowledged answers
    std::vector<std::string> problems;                  // the first few

    double cycles_per_second() const { return seconds > 0 ? static_cast<double>(cycles) / seconds : 0; }
    double requests_per_second() const {
        return seconds > 0 ? static_cast<double>(requests) / seconds : 0;
    }
};

// Runs `plan.threads` loops (each its own whitelisted address and kept-alive connection, a
// fresh client IP per cycle) until the duration ends, max_cycles are done or `stop` is set.
OnboardingTally run_onboarding(const OnboardingPlan& plan);

}  // namespace downstream::testing::cluster
