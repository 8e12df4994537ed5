#include "metrics/latency_histogram.h"

#include <algorithm>

namespace downstream::metrics {

std::size_t latency_bucket(std::uint64_t micros) {
    const auto it = std::lower_bound(kLatencyBoundsUs.begin(), kLatencyBoundsUs.end(), micros);
    return static_cast<std::size_t>(it - kLatencyBoundsUs.begin());
}

LatencyCounts cumulative(const LatencyCounts& per_bucket) {
    LatencyCounts out{};
    std::uint64_t running = 0;
    for (std::size_t i = 0; i < per_bucket.size(); ++i) {
        running += per_bucket[i];
        out[i] = running;
    }
    return out;
}

std::optional<double> quantile_us(const LatencyCounts& per_bucket, double q) {
    const LatencyCounts totals = cumulative(per_bucket);
    const std::uint64_t total = totals.back();
    if (total == 0) return std::nullopt;
    q = std::clamp(q, 0.0, 1.0);
    const double rank = q * static_cast<double>(total);
    std::size_t i = 0;
    while (i + 1 < totals.size() && static_cast<double>(totals[i]) < rank) ++i;
    if (i == kLatencyBoundsUs.size()) return static_cast<double>(kLatencyBoundsUs.back());
    const double lower = i == 0 ? 0.0 : static_cast<double>(kLatencyBoundsUs[i - 1]);
    const double upper = static_cast<double>(kLatencyBoundsUs[i]);
    const double below = i == 0 ? 0.0 : static_cast<double>(totals[i - 1]);
    const double inside = static_cast<double>(per_bucket[i]);
    if (inside == 0) return lower;  // only when rank is 0: the first non-empty bucket's start
    return lower + (upper - lower) * (rank - below) / inside;
}

std::string seconds_text(std::uint64_t micros) {
    std::string text = std::to_string(micros / 1000000);
    std::uint64_t fraction = micros % 1000000;
    if (fraction == 0) return text;
    std::string digits = std::to_string(fraction);
    digits.insert(0, 6 - digits.size(), '0');
    while (digits.back() == '0') digits.pop_back();
    return text + "." + digits;
}

}  // namespace downstream::metrics
