// Adds one process's database statistics (store::Database::Stats, counted per process) to
// the shared metrics table, so that the table holds the sums over every worker.
#pragma once

#include "store/database.h"

#include <mutex>

namespace downstream::metrics {

class MetricsTable;

class DbStatsPublisher {
public:
    DbStatsPublisher(MetricsTable& table, const store::Database& database)
        : table_(table), database_(database) {}

    // Adds what the database counted since the last call. Safe from several threads; cheap
    // enough to call after every request. What a worker counted after its last call is lost
    // if it is killed (at most its in-flight requests' work).
    void publish();

private:
    MetricsTable& table_;
    const store::Database& database_;
    std::mutex mutex_;
    store::Database::Stats published_;
};

}  // namespace downstream::metrics
