#include "http/access_log.h"

#include "base/log.h"

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
    // Server errors are the operator's business at any log level; the rest is routine.
    log::write(record.status >= 500 ? log::Level::Warn : log::Level::Info, format_access_line(record));
}

}  // namespace downstream::http
