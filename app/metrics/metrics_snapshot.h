// The node's figures at one instant, as plain values: what the Prometheus text is rendered
// from (metrics/prometheus_text.h). Filled from the shared table (metrics/metrics_table.h),
// the worker pool's counters and the gauges read at scrape time.
#pragma once

#include "metrics/latency_histogram.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace downstream::metrics {

// Response status classes: 1xx .. 5xx, and anything else.
inline constexpr std::size_t kStatusClasses = 6;
// The index of `status`'s class: 100..199 -> 0, ..., 500..599 -> 4, else 5.
std::size_t status_class(int status);
// "1xx" .. "5xx", "other".
const char* status_class_name(std::size_t index);

// Final results of proofs, in the order of their names in proof_result_name.
enum class ProofResult { Ok, Invalid, Corrupted, Expired, NotFound, AlreadyAnswered, StateInvalid };
inline constexpr std::size_t kProofResults = 7;
// "ok", "invalid", "corrupted", "expired", "not_found", "already_answered", "state_invalid".
const char* proof_result_name(ProofResult result);

struct RouteFigures {
    std::string method;  // "GET"
    std::string route;   // "/api/downstream/v1/chunk/<token>/<size>"
    std::array<std::uint64_t, kStatusClasses> by_class{};
    LatencyCounts latency{};     // per bucket, not cumulative
    std::uint64_t latency_sum_us = 0;

    std::uint64_t requests() const;
};

struct DatabaseFigures {
    std::uint64_t transactions = 0;
    std::uint64_t conflict_retries = 0;
    std::uint64_t connection_retries = 0;
    std::uint64_t errors = 0;
    std::uint64_t sessions_opened = 0;
};

struct WorkerFigures {
    std::uint64_t starts = 0;
    std::uint64_t restarts = 0;
    std::uint64_t reloads = 0;
    std::uint64_t running = 0;
};

struct PoolFigures {
    std::string scheme;                            // "Merkle"
    std::map<std::int64_t, std::int64_t> chunks;   // size in bytes -> chunks in the pool
};

struct MetricsSnapshot {
    std::vector<RouteFigures> routes;
    std::array<std::uint64_t, kProofResults> proofs{};
    std::uint64_t tokens_issued = 0;
    std::uint64_t contracts_issued = 0;
    std::uint64_t contract_bytes_issued = 0;
    std::uint64_t challenges_issued = 0;
    DatabaseFigures database;
    WorkerFigures workers;
    // Absent when the pool could not be counted (database down): its series are left out.
    std::optional<PoolFigures> pool;
};

}  // namespace downstream::metrics
