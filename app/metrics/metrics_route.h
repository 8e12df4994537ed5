// GET /metrics: the Prometheus page of the whole worker pool (metrics/prometheus_text.h).
#pragma once

#include "http/router.h"
#include "metrics/metrics_snapshot.h"

#include <functional>
#include <optional>

namespace downstream::metrics {

class MetricsTable;

inline constexpr char kMetricsPath[] = "/metrics";

// Where the page's figures come from, besides the shared table.
struct MetricsSources {
    // Runs before each scrape (e.g. publishing this process's database statistics).
    std::function<void()> before_scrape;
    // The worker pool's counters (starts, restarts, reloads, running).
    std::function<WorkerFigures()> workers;
    // The pool's chunk counts, or nullopt when they cannot be read now.
    std::function<std::optional<PoolFigures>()> pool;
};

// Registers GET /metrics (exactly that path). `table` must outlive the router.
void add_metrics_route(http::Router& router, const MetricsTable& table, MetricsSources sources);

}  // namespace downstream::metrics
