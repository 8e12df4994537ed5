#include "http/access_log.h"

#include <cstdio>

namespace downstream::http {

std::string format_access_line(const AccessRecord& record) {
    char numbers[96];
    std::snprintf(numbers, sizeof numbers, " %d %.2fms in=%zu out=%zu", record.status,
                  record.milliseconds, record.body_bytes_in, record.body_bytes_out);
    std::string line = "access: " + record.route + numbers;
    if (record.client_gone) line += " client-gone";
    return line;
}

void log_access(const AccessRecord& record) {
    const std::string line = format_access_line(record) + "\n";
    // One fwrite per line: stdio's lock keeps lines from different threads whole.
    std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace downstream::http
