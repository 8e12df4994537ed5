// Progress lines for long pool fills (generate-chunk, maintain): chunks, bytes, chunks/s,
// MiB/s and how the time splits between generating, encoding and inserting.
#pragma once

#include "node/pool_filler.h"

#include <chrono>
#include <string>

namespace downstream::node {

// "1000 chunks, 31.2 MiB in 0.90 s: 1111 chunks/s, 34.7 MiB/s (stream 0.10 s, encode 0.40 s,
// insert 0.40 s)"
std::string describe_fill(const FillReport& report);

// Logs a report at most once per `interval` (the final line is the caller's).
class ProgressLog {
public:
    ProgressLog(std::string prefix, std::chrono::milliseconds interval)
        : prefix_(std::move(prefix)), interval_(interval) {}
    void operator()(const FillReport& report);

private:
    std::string prefix_;
    std::chrono::milliseconds interval_;
    std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

}  // namespace downstream::node
