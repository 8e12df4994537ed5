// The Prometheus text exposition format (version 0.0.4) of a MetricsSnapshot.
//
// Every family has its # HELP and # TYPE lines, even without samples. Per-route series
// (downstream_http_requests_total, downstream_http_request_duration_seconds) appear only for
// routes that answered at least one request, and the request counter only for status
// classes that occurred, which keeps an idle node's page short. Families and their meaning
// are listed in the README ("Operations").
#pragma once

#include "metrics/metrics_snapshot.h"

#include <string>
#include <string_view>

namespace downstream::metrics {

// The Content-Type of the text.
inline constexpr std::string_view kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

std::string render_prometheus(const MetricsSnapshot& snapshot);

// `value` escaped for a label value: backslash, double quote and line feed.
std::string escape_label_value(std::string_view value);

}  // namespace downstream::metrics
