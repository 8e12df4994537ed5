// The request latency histogram: fixed buckets chosen around the node's target (p99 under
// 20 ms per request), the arithmetic over them, and the text of their bounds.
//
// Observations are whole microseconds. Bucket i counts the observations o with
// bound[i-1] < o <= bound[i] (Prometheus' `le` semantics, per bucket rather than cumulative);
// the last bucket (+Inf) counts those above every bound.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace downstream::metrics {

// Upper bounds in microseconds, ascending: 0.5 ms .. 10 s, dense around 20 ms.
inline constexpr std::array<std::uint64_t, 16> kLatencyBoundsUs{
    500,   1000,   2500,   5000,   10000,   15000,   20000,   30000,
    50000, 100000, 250000, 500000, 1000000, 2500000, 5000000, 10000000};

// Buckets including +Inf.
inline constexpr std::size_t kLatencyBuckets = kLatencyBoundsUs.size() + 1;

using LatencyCounts = std::array<std::uint64_t, kLatencyBuckets>;

// The bucket an observation of `micros` belongs to (kLatencyBuckets - 1 for +Inf).
std::size_t latency_bucket(std::uint64_t micros);

// Per-bucket counts turned cumulative (the value of each `le` series); the last element is
// the total.
LatencyCounts cumulative(const LatencyCounts& per_bucket);

// The q-quantile (0 <= q <= 1) estimated as Prometheus' histogram_quantile() does: find the
// bucket holding the rank q * total and interpolate linearly inside it (from 0 for the first
// bucket). A rank in the +Inf bucket gives the largest finite bound. nullopt when empty.
std::optional<double> quantile_us(const LatencyCounts& per_bucket, double q);

// `micros` in seconds as the shortest exact decimal text: 500 -> "0.0005", 1000000 -> "1",
// 2500000 -> "2.5", 0 -> "0".
std::string seconds_text(std::uint64_t micros);

}  // namespace downstream::metrics
