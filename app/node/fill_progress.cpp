#include "node/fill_progress.h"

#include "base/log.h"
#include "node/byte_size.h"

#include <cstdio>

namespace downstream::node {

std::string describe_fill(const FillReport& r) {
    const double elapsed = r.elapsed_s > 0 ? r.elapsed_s : 1e-9;
    char text[256];
    std::snprintf(text, sizeof text,
                  "%lld chunks, %s in %.2f s: %.0f chunks/s, %.1f MiB/s (stream %.2f s, encode "
                  "%.2f s, insert %.2f s)",
                  static_cast<long long>(r.chunks), format_byte_size(r.bytes).c_str(), r.elapsed_s,
                  static_cast<double>(r.chunks) / elapsed,
                  static_cast<double>(r.bytes) / (1024.0 * 1024.0) / elapsed,
                  r.generation.stream_s, r.generation.encode_s, r.insert_s);
    return text;
}

void ProgressLog::operator()(const FillReport& report) {
    const auto now = std::chrono::steady_clock::now();
    if (now - last_ < interval_) return;
    last_ = now;
    log::info(prefix_ + describe_fill(report));
}

}  // namespace downstream::node
