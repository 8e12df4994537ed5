#include "metrics/metrics_route.h"

#include "metrics/metrics_table.h"
#include "metrics/prometheus_text.h"

#include <memory>

namespace downstream::metrics {

void add_metrics_route(http::Router& router, const MetricsTable& table, MetricsSources sources) {
    auto shared = std::make_shared<MetricsSources>(std::move(sources));
    router.add("GET", kMetricsPath,
               [&table, shared](const http::Request&, const http::RouteParams&,
                                http::ResponseWriter& writer) -> http::HandlerResult {
                   if (shared->before_scrape) shared->before_scrape();
                   MetricsSnapshot snapshot = table.snapshot();
                   if (shared->workers) snapshot.workers = shared->workers();
                   if (shared->pool) snapshot.pool = shared->pool();
                   const std::string page = render_prometheus(snapshot);
                   writer.start(200, {{"Content-Type", std::string(kPrometheusContentType)},
                                      {"Content-Length", std::to_string(page.size())},
                                      {"Cache-Control", "no-store"}});
                   writer.write(page);
                   return {};
               });
}

}  // namespace downstream::metrics
