// The node's counters, shared by every process of the worker pool.
//
// A scrape of /metrics reaches one worker at random, so every worker must see the sums of
// all: the master creates the table before forking (one anonymous MAP_SHARED mapping that
// every worker inherits) and each process adds to it with lock-free atomics. A worker killed
// with SIGKILL loses nothing it had counted; restarts keep counting from where the pool was.
//
// Routes have fixed slots, one per label the router logs ("GET /api/downstream/v1/chunk/
// <token>/<size>"), given when the table is created, plus one slot for everything else
// (unknown paths, requests refused before routing, HEAD). Labels are known before the first
// request, so no process ever has to register one (which would need a lock a killed worker
// could hold forever).
#pragma once

#include "metrics/metrics_snapshot.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace downstream::metrics {

// Event counters beside the per-route figures.
enum class Counter {
    TokensIssued,
    ContractsIssued,
    ContractBytesIssued,
    ChallengesIssued,
    DbTransactions,
    DbConflictRetries,
    DbConnectionRetries,
    DbErrors,
    DbSessionsOpened,
};
inline constexpr std::size_t kCounters = 9;

class MetricsTable {
public:
    // `route_labels`: "METHOD /pattern" per route (duplicates are merged). Throws
    // std::bad_alloc when the shared mapping cannot be made, std::invalid_argument for a
    // label without a space.
    explicit MetricsTable(const std::vector<std::string>& route_labels);
    ~MetricsTable();
    MetricsTable(const MetricsTable&) = delete;
    MetricsTable& operator=(const MetricsTable&) = delete;

    // The slot of `label`, or other_slot() for a label the table does not know.
    std::size_t slot_of(std::string_view label) const;
    std::size_t other_slot() const { return labels_.size(); }

    // One request answered on `slot` with `status` after `micros` microseconds.
    void record_request(std::size_t slot, int status, std::uint64_t micros);
    void add(Counter counter, std::uint64_t n = 1);
    void add_proof(ProofResult result);

    // Everything counted so far, by every process. Route figures come in the order of the
    // labels given, the other slot last (method and route "<other>").
    MetricsSnapshot snapshot() const;

private:
    std::atomic<std::uint64_t>& cell(std::size_t index) const;
    std::size_t route_base(std::size_t slot) const;

    struct Label {
        std::string method;
        std::string route;
    };
    std::vector<Label> labels_;
    std::map<std::string, std::size_t, std::less<>> slots_;
    std::size_t cells_ = 0;
    std::size_t bytes_ = 0;
    void* mapping_ = nullptr;
};

}  // namespace downstream::metrics
