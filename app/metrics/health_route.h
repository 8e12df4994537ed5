// GET /health: whether this worker can serve, for a load balancer or a monitor polling
// every second. 200 {"status":"ok","database":"ok","database_ms":0.4,"pid":..,"generation":..}
// when the database answered a trivial query; 503 {"status":"error","database":"unavailable",
// "message":"..."} (and Retry-After) when it did not. The message is the operator's (where
// the node tried to connect, the server's error); nginx serves the route to loopback only.
#pragma once

#include "http/router.h"

#include <functional>

namespace downstream::metrics {

inline constexpr char kHealthPath[] = "/health";

struct HealthSources {
    // Runs a trivial query with short timeouts; throws (StoreUnavailable or any
    // std::exception) when the database does not answer.
    std::function<void()> ping_database;
    // Reported as they are, so a caller can tell which worker answered.
    long pid = 0;
    int generation = 0;
};

// Registers GET /health (exactly that path).
void add_health_route(http::Router& router, HealthSources sources);

}  // namespace downstream::metrics
