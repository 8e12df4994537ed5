#include "metrics/pool_gauge.h"

#include "base/log.h"

#include <exception>

namespace downstream::metrics {

std::optional<PoolGauge::Counts> PoolGauge::read() {
    // Held during the query: concurrent scrapes wait for one answer instead of each asking.
    std::lock_guard<std::mutex> lock(mutex_);
    const UnixMillis now = clock_.now_ms();
    // A clock stepping back counts as expired rather than freezing the cache.
    if (queried_ && now >= queried_at_ && now - queried_at_ < max_age_ms_) return latest_;
    try {
        latest_ = count_();
    } catch (const std::exception& e) {
        log::warn(std::string("metrics: cannot count the chunk pool: ") + e.what());
        latest_.reset();
    }
    queried_ = true;
    queried_at_ = now;
    return latest_;
}

}  // namespace downstream::metrics
