#include "metrics/db_stats_publisher.h"

#include "metrics/metrics_table.h"

namespace downstream::metrics {

void DbStatsPublisher::publish() {
    std::lock_guard<std::mutex> lock(mutex_);
    const store::Database::Stats now = database_.stats();
    auto publish_field = [&](std::uint64_t store::Database::Stats::*field, Counter counter) {
        // The database's counters only grow; the guard keeps a reset from wrapping around.
        if (now.*field > published_.*field) table_.add(counter, now.*field - published_.*field);
    };
    publish_field(&store::Database::Stats::transactions, Counter::DbTransactions);
    publish_field(&store::Database::Stats::conflict_retries, Counter::DbConflictRetries);
    publish_field(&store::Database::Stats::connection_retries, Counter::DbConnectionRetries);
    publish_field(&store::Database::Stats::errors, Counter::DbErrors);
    publish_field(&store::Database::Stats::sessions_opened, Counter::DbSessionsOpened);
    published_ = now;
}

}  // namespace downstream::metrics
