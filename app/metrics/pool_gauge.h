// The pool's chunk counts by size, read at scrape time but at most once per `max_age`: a
// scrape every second from several Prometheus servers costs the database one small GROUP BY
// per worker every few seconds. A failed count (database down) is remembered for as long,
// so scrapes stay fast while the database is away.
#pragma once

#include "base/clock.h"

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>

namespace downstream::metrics {

class PoolGauge {
public:
    using Counts = std::map<std::int64_t, std::int64_t>;  // size in bytes -> chunks

    // `count` queries the database (e.g. ChunkPoolRepository::counts_by_size) and throws
    // when it cannot.
    PoolGauge(std::function<Counts()> count, const Clock& clock, std::int64_t max_age_ms)
        : count_(std::move(count)), clock_(clock), max_age_ms_(max_age_ms) {}

    // The counts, from a query made less than max_age ago or a new one; nullopt when the
    // latest query failed (the failure is logged once per query).
    std::optional<Counts> read();

private:
    std::function<Counts()> count_;
    const Clock& clock_;
    std::int64_t max_age_ms_;
    std::mutex mutex_;
    bool queried_ = false;
    UnixMillis queried_at_ = 0;
    std::optional<Counts> latest_;
};

}  // namespace downstream::metrics
