// One line per request for the operator: method and route (tokens redacted), status, time.
#pragma once

#include <cstddef>
#include <string>

namespace downstream::http {

struct AccessRecord {
    // "GET /api/downstream/v1/chunk/<token>/<size>": a route label, never a raw token.
    std::string route;
    int status = 0;
    double milliseconds = 0;
    std::size_t body_bytes_in = 0;
    std::size_t body_bytes_out = 0;
    // True when nginx went away before the response was complete.
    bool client_gone = false;
};

// "access: GET /api/downstream/v1/chunk/<token>/<size> 200 1.25ms in=0 out=512"
std::string format_access_line(const AccessRecord& record);

// Logs format_access_line(record) as one line (base/log.h): level info, warn for 5xx.
void log_access(const AccessRecord& record);

}  // namespace downstream::http
